//! What the system form needs besides what was typed: the options of its lists, the stored
//! name, and the classification panel computed from the typed facts.

use chrono::NaiveDate;

use super::system_form::SystemForm;
use super::system_panel::{Panel, ResultView};
use super::system_templates::OptionItem;
use crate::db::AnyConn;
use crate::error::{AppError, FieldErrors};
use crate::repo::systems::{SystemFilter, SystemSort};
use crate::repo::Page;
use crate::rules::transition::{Route, Situation};
use crate::rules::{today_in_vietnam, Registry};
use crate::services::classification::classify_json;
use crate::services::system_classification::facts_with_components;
use crate::services::{self, Actor};

/// Whether the form registers a new system or changes the stored one `id`.
#[derive(Clone)]
pub enum Mode {
    New,
    Edit(String),
}

impl Mode {
    pub fn id(&self) -> Option<&str> {
        match self {
            Mode::New => None,
            Mode::Edit(id) => Some(id),
        }
    }
}

/// Classifies what the form holds (with its component systems) for the panel.
pub fn compute_panel(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    form: &SystemForm,
    self_id: Option<&str>,
) -> Result<Panel, AppError> {
    let mut panel = Panel {
        proposed: form.proposal(&mut FieldErrors::new()),
        ..Panel::default()
    };
    if form.function.is_empty() && form.information.is_empty() {
        return Ok(panel);
    }
    let mut errors = FieldErrors::new();
    let mut facts = form.facts(&mut errors);
    if !errors.is_empty() {
        panel.problems = errors.into_values().flatten().collect();
        return Ok(panel);
    }
    let mut ids = Vec::new();
    for id in form.component_ids.iter().filter(|id| !id.is_empty()) {
        if Some(id.as_str()) == self_id {
            continue;
        }
        match services::systems::find_visible(conn, actor, id) {
            Ok(row) => {
                ids.push(id.clone());
                panel.component_names.push(row.name);
            }
            Err(AppError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if !ids.is_empty() {
        facts = facts_with_components(conn, &facts, &ids, 0)?;
    }
    let (regime, as_of) = planned_regime(conn, registry, actor, form, self_id)?;
    match classify_json(registry, &facts, regime.as_deref(), as_of, "facts.") {
        Ok(json) => panel.result = ResultView::from_json(&json),
        Err(AppError::Validation { fields, .. }) => {
            panel.problems = fields.into_values().flatten().collect();
        }
        Err(e) => return Err(e),
    }
    Ok(panel)
}

/// The regime and date the panel classifies under: the one in force, unless a project under
/// investment before the new law chose to finish under its predecessor and still may (the
/// service decides the same way when the form is saved).
fn planned_regime(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    form: &SystemForm,
    self_id: Option<&str>,
) -> Result<(Option<String>, Option<NaiveDate>), AppError> {
    let chosen = form.chosen_regime.trim();
    if form.investment_before_law != "true" || chosen.is_empty() {
        return Ok((None, None));
    }
    let approved = match self_id {
        Some(id) => services::systems::find_visible(conn, actor, id)?
            .approved_level
            .is_some(),
        None => false,
    };
    let situation = Situation {
        approved_regime: None,
        approved,
        investment_before_law: true,
        chosen_regime: Some(chosen),
    };
    let plan = registry
        .plan(situation, today_in_vietnam())
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    Ok(match plan.route {
        Route::InvestmentProject => (Some(plan.pack.meta.id.clone()), Some(plan.as_of)),
        _ => (None, None),
    })
}

/// The facts' own errors (unreadable answers, then the engine's checks), for a submission
/// refused before the service read the facts.
pub fn facts_errors(registry: &Registry, form: &SystemForm) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let facts = form.facts(&mut errors);
    if let Err(AppError::Validation { fields, .. }) =
        classify_json(registry, &facts, None, None, "facts.")
    {
        for (key, messages) in fields {
            errors.entry(key).or_insert(messages);
        }
    }
    errors
}

/// The options of the form's lists, the stored name and the panel, in one trip.
pub struct FormData {
    pub orgs: Vec<OptionItem>,
    pub users: Vec<OptionItem>,
    pub systems: Vec<OptionItem>,
    pub record_name: String,
    pub panel: Panel,
}

pub fn load_form(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    form: &SystemForm,
    mode: &Mode,
) -> Result<FormData, AppError> {
    let record_name = match mode.id() {
        Some(id) => services::systems::find_visible(conn, actor, id)?.name,
        None => String::new(),
    };
    let mut orgs: Vec<OptionItem> = services::organizations::list(conn, actor, Default::default())?
        .into_iter()
        .map(|o| OptionItem {
            label: format!(
                "{}{} ({})",
                "\u{a0}\u{a0}\u{a0}".repeat(o.depth),
                o.name,
                o.code
            ),
            value: o.id,
        })
        .collect();
    // An operator may edit a system managed above its own subtree: keep that value selectable.
    for value in [&form.organization_id, &form.operator_id] {
        if !value.is_empty() && !orgs.iter().any(|o| &o.value == value) {
            orgs.push(OptionItem {
                value: value.clone(),
                label: "Đơn vị hiện tại (ngoài phạm vi của bạn)".into(),
            });
        }
    }
    let user_filter = crate::repo::users::UserFilter {
        active: Some(true),
        ..Default::default()
    };
    let (users, _) = services::users::list(
        conn,
        actor,
        user_filter,
        Page {
            number: 1,
            size: 200,
        },
    )?;
    let mut users: Vec<OptionItem> = users
        .into_iter()
        .map(|u| OptionItem {
            label: format!("{} ({})", u.full_name, u.email),
            value: u.id,
        })
        .collect();
    // Contacts already chosen stay choosable (and chosen) even when deactivated or beyond the
    // first page, so saving the form never drops one silently.
    for id in &form.contact_ids {
        if !users.iter().any(|u| &u.value == id) {
            let label = match crate::repo::users::find(conn, id)? {
                Some(u) if u.active => format!("{} ({})", u.full_name, u.email),
                Some(u) => format!("{} ({}) — đã khóa", u.full_name, u.email),
                None => "Tài khoản không còn tồn tại".into(),
            };
            users.push(OptionItem {
                value: id.clone(),
                label,
            });
        }
    }
    let (systems, _) = services::systems::list(
        conn,
        actor,
        SystemFilter::default(),
        SystemSort::Name,
        Page {
            number: 1,
            size: 200,
        },
    )?;
    let mut systems: Vec<OptionItem> = systems
        .into_iter()
        .filter(|s| Some(s.id.as_str()) != mode.id())
        .map(|s| OptionItem {
            label: s.name,
            value: s.id,
        })
        .collect();
    for id in &form.component_ids {
        if !systems.iter().any(|o| &o.value == id) {
            let label = crate::repo::systems::find(conn, id)?
                .map(|r| r.name)
                .unwrap_or_else(|| "Hệ thống không còn tồn tại".into());
            systems.push(OptionItem {
                value: id.clone(),
                label,
            });
        }
    }
    let panel = compute_panel(conn, registry, actor, form, mode.id())?;
    Ok(FormData {
        orgs,
        users,
        systems,
        record_name,
        panel,
    })
}
