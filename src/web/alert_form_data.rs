//! What the warning form needs besides what was typed: the options of its lists, the audience
//! preview, and the error summary with the form's own field names.

use super::alert_form::AlertForm;
use super::alert_templates::{PreviewView, RecipientChoices, RecipientOption};
use super::form_errors::{ErrorLink, FormErrors};
use super::system_templates::OptionItem;
use super::system_views::time_vn;
use crate::db::AnyConn;
use crate::domain::alert::{Severity, Tlp};
use crate::domain::Role;
use crate::error::{AppError, FieldErrors};
use crate::repo::Page;
use crate::services::{self, alert_send, utc, Actor};

/// The options of the form's lists and the preview, loaded in one trip to the database.
pub struct FormData {
    pub orgs: Vec<OptionItem>,
    pub recipients: RecipientChoices,
    pub sent_alerts: Vec<OptionItem>,
    pub preview: PreviewView,
}

pub fn severities() -> Vec<OptionItem> {
    Severity::ALL
        .iter()
        .map(|s| OptionItem {
            value: s.as_str().into(),
            label: s.label().into(),
        })
        .collect()
}

pub fn tlps() -> Vec<OptionItem> {
    Tlp::ALL
        .iter()
        .map(|t| OptionItem {
            value: t.as_str().into(),
            label: t.label().into(),
        })
        .collect()
}

pub fn roles() -> Vec<OptionItem> {
    Role::ALL
        .iter()
        .map(|r| OptionItem {
            value: r.as_str().into(),
            label: r.label().into(),
        })
        .collect()
}

/// The audience preview of what the form holds (nothing when no audience is chosen yet).
pub fn compute_preview(
    conn: &mut AnyConn,
    actor: &Actor,
    form: &AlertForm,
) -> Result<PreviewView, AppError> {
    let mut ignored = FieldErrors::new();
    let audience = form.audience(&mut ignored);
    if audience.is_empty() {
        return Ok(PreviewView::default());
    }
    let products = form.products(&mut ignored);
    if audience.systems_with_affected_products && products.is_empty() {
        return Ok(PreviewView::problem(
            "Để gửi tới hệ thống dùng sản phẩm bị ảnh hưởng, hãy nêu ít nhất một sản phẩm.",
        ));
    }
    let preview = alert_send::preview(conn, actor, &audience, &products)?;
    Ok(PreviewView::from_preview(preview))
}

/// Accounts listed by the recipient picker when nothing is searched, and per search.
const RECIPIENT_MATCHES_SHOWN: i64 = 50;

/// The recipient picker: everyone already chosen (checked, whatever the search), then up to
/// `RECIPIENT_MATCHES_SHOWN` active accounts of the caller's scope whose name or email
/// matches `query` (case- and diacritic-insensitive, like the user list).
pub fn recipient_choices(
    conn: &mut AnyConn,
    actor: &Actor,
    chosen: &[String],
    query: &str,
) -> Result<RecipientChoices, AppError> {
    let label = |u: &services::users::UserView| format!("{} ({})", u.full_name, u.email);
    let mut options = Vec::new();
    for id in chosen {
        if options.iter().any(|o: &RecipientOption| &o.value == id) {
            continue;
        }
        // An id outside the scope (or made up) is dropped, as the service would refuse it.
        if let Ok(u) = services::users::get(conn, actor, id) {
            options.push(RecipientOption {
                label: label(&u),
                value: u.id,
                checked: true,
            });
        }
    }
    let query = query.trim();
    let filter = crate::repo::users::UserFilter {
        active: Some(true),
        search: (!query.is_empty()).then(|| query.to_string()),
        ..Default::default()
    };
    let page = Page {
        number: 1,
        size: RECIPIENT_MATCHES_SHOWN,
    };
    let (found, matches) = services::users::list(conn, actor, filter, page)?;
    let shown = found.len();
    for u in found {
        if !options.iter().any(|o| o.value == u.id) {
            options.push(RecipientOption {
                label: label(&u),
                value: u.id,
                checked: false,
            });
        }
    }
    Ok(RecipientChoices {
        options,
        query: query.to_string(),
        matches,
        shown,
    })
}

pub fn load_form(
    conn: &mut AnyConn,
    actor: &Actor,
    form: &AlertForm,
) -> Result<FormData, AppError> {
    let orgs = services::organizations::list(conn, actor, Default::default())?
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
    let recipients = recipient_choices(conn, actor, &form.audience_users, &form.user_q)?;
    let (rows, _) = crate::repo::alerts::list_in_scope(
        conn,
        &actor.scope_path,
        Page {
            number: 1,
            size: 200,
        },
    )?;
    let sent_alerts = rows
        .into_iter()
        .filter(|a| a.status == "sent" || a.id == form.corrects_id)
        .map(|a| OptionItem {
            label: match a.sent_at {
                Some(at) => format!("{} (gửi {})", a.title, time_vn(utc(at))),
                None => a.title,
            },
            value: a.id,
        })
        .collect();
    let preview = compute_preview(conn, actor, form)?;
    Ok(FormData {
        orgs,
        recipients,
        sent_alerts,
        preview,
    })
}

/// The form's name of a field, for the error summary.
fn label(key: &str) -> &'static str {
    match key {
        "organization_id" => "Đơn vị phát hành",
        "title" => "Tiêu đề",
        "severity" => "Mức độ",
        "source_authority" => "Cơ quan phát hành cảnh báo gốc",
        "source_document" => "Văn bản nguồn",
        "body" => "Nội dung",
        "cve_ids" => "Mã lỗ hổng (CVE)",
        "affected_products" => "Sản phẩm bị ảnh hưởng",
        "required_action" => "Việc cần làm",
        "action_due_on" => "Hạn thực hiện",
        "tlp" => "Nhãn TLP",
        "corrects_id" => "Đính chính cho cảnh báo",
        "audience.organization_ids" => "Đơn vị nhận",
        _ => "Người nhận",
    }
}

const ORDER: &[&str] = &[
    "organization_id",
    "title",
    "severity",
    "source_authority",
    "source_document",
    "body",
    "cve_ids",
    "affected_products",
    "required_action",
    "action_due_on",
    "tlp",
    "corrects_id",
    "audience",
    "audience.organization_ids",
];

/// The control id of a field: `f-{id}`.
pub fn control_id(key: &str) -> String {
    key.replace(['.', '[', ']'], "-")
}

/// Links to every field in error, in the order of the form.
pub fn summary(errors: &FormErrors) -> Vec<ErrorLink> {
    let mut keys: Vec<&String> = errors.0.keys().collect();
    keys.sort_by_key(|k| ORDER.iter().position(|f| f == k).unwrap_or(usize::MAX));
    keys.into_iter()
        .map(|key| ErrorLink {
            href: format!("#f-{}", control_id(key)),
            text: format!("{}: {}", label(key), errors.text(key)),
        })
        .collect()
}
