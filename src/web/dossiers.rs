//! Level-proposal dossiers (hồ sơ đề xuất cấp độ): the dossier page, and "Lập hồ sơ" from a
//! system's page. The checklist and workflow posts are in `dossier_actions`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::dossier_page::{self as model, Returned, Rights};
use super::dossier_templates::{DossierPage, SystemLink};
use super::form_post::{self, Outcome, Posted};
use super::pages::{csrf_for, redirect};
use super::systems::{can_register, error_page, login_redirect, respond};
use super::templates::Chrome;
use crate::auth::AuthUser;
use crate::db::AnyConn;
use crate::domain::dossier::DossierStatus;
use crate::error::AppError;
use crate::rules::{today_in_vietnam, Registry};
use crate::services::dossier_routing::UnitSource;
use crate::services::dossier_views::DossierView;
use crate::services::{self, Actor};
use crate::startup::AppState;

/// Everything the dossier page reads, in one trip to the database.
pub(super) struct Loaded {
    pub view: DossierView,
    /// The appraiser named on the system's record, when this user sees the system (the
    /// appraising unit sees the dossier, not the owner's register).
    pub appraiser_name: Option<String>,
    pub rights: Rights,
}

pub(super) fn load(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
) -> Result<Loaded, AppError> {
    let view = services::dossiers::get(conn, registry, actor, id, today_in_vietnam())?;
    let (appraiser_name, edit) = match services::systems::get(conn, actor, &view.system_id) {
        Ok(system) => (
            system.appraiser_name,
            services::systems::actor_may_edit(conn, actor, &view.system_id)?,
        ),
        Err(AppError::NotFound(_)) => (None, false),
        Err(e) => return Err(e),
    };
    Ok(Loaded {
        view,
        appraiser_name,
        rights: Rights {
            edit,
            manage: can_register(actor.role),
        },
    })
}

pub(super) async fn fetch(
    state: &AppState,
    user: &AuthUser,
    id: String,
) -> Result<Loaded, AppError> {
    let actor = Actor::user(user);
    let registry = state.rules.clone();
    state
        .db
        .run(move |conn| load(conn, &registry, &actor, &id))
        .await
}

/// The page, with a form that came back (its input and errors) and a notice on top.
pub(super) fn render_page(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    loaded: Loaded,
    returned: Returned,
    notice: Option<String>,
    saved: Option<&str>,
) -> HttpResponse {
    let status = match &returned {
        Returned::Component(_, _, o) | Returned::Transition(_, o) | Returned::Page(o) => o.status,
        Returned::None => StatusCode::OK,
    };
    let Loaded {
        view: v,
        appraiser_name,
        rights,
    } = loaded;
    let (token, cookie) = csrf_for(req, state);
    let pack = state.rules.get(&v.regime_id);
    // The appraising unit configured for the organisation, else the appraiser on the
    // system's record, else the role the regime names.
    let routed = v.authority.appraiser.as_ref();
    let recipient = routed
        .filter(|u| u.source == UnitSource::Configuration)
        .map(|u| u.name.clone())
        .or_else(|| appraiser_name.clone())
        .or_else(|| routed.map(|u| u.name.clone()))
        .unwrap_or_default();
    let actions = super::dossier_steps::actions(&v, rights, &recipient, &returned);
    // A refused step whose form is not on the page now (the dossier moved on meanwhile, or
    // the step is not open to this user) is told at the top.
    let joined = |o: &Outcome| {
        o.alert.clone().unwrap_or_else(|| {
            o.errors
                .values()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let page_alert = match &returned {
        Returned::Page(o) => Some(joined(o)),
        Returned::Transition(f, o)
            if !actions
                .iter()
                .any(|a| f.target().map(|t| t.as_str()) == Some(a.to)) =>
        {
            Some(joined(o))
        }
        _ => None,
    };
    let no_action = actions.is_empty().then(|| {
        match v.status {
            DossierStatus::Approved => "Hồ sơ đã được phê duyệt; không còn bước nào tiếp theo.",
            DossierStatus::Draft | DossierStatus::Returned => {
                "Đơn vị vận hành hoặc đơn vị chuyên trách hoàn thiện và gửi hồ sơ."
            }
            _ => {
                "Bước tiếp theo do đơn vị chuyên trách hoặc cơ quan thẩm định, phê duyệt ghi nhận."
            }
        }
        .to_string()
    });
    let page = DossierPage {
        groups: model::groups(&v, rights, &token, &returned, saved),
        chrome: Chrome::signed_in(token, &user.principal, "dossiers"),
        id: v.id.clone(),
        systems: v
            .systems
            .iter()
            .map(|s| SystemLink {
                id: s.system_id.clone(),
                name: s.name.clone(),
            })
            .collect(),
        title: format!("Hồ sơ đề xuất cấp độ: {}", v.system_name),
        kind_label: v.kind.label(),
        regime: pack
            .map(|p| p.meta.title.clone())
            .unwrap_or_else(|| v.regime_id.clone()),
        proposed_level: v.proposed_level,
        procedure_level: v.procedure_level,
        approved_level: v.approved_level,
        status: v.status.as_str(),
        status_label: v.status_label.clone(),
        status_badge: model::status_badge(v.status),
        facts: model::facts(&v),
        clock: v.clock.as_ref().map(model::clock),
        authority: model::authority(&v.authority),
        appraiser_name,
        timeline: model::timeline(&v),
        actions,
        no_action,
        notice,
        page_alert,
    };
    respond(status, &page, cookie)
}

#[derive(Deserialize)]
pub struct DetailQuery {
    created: Option<String>,
    done: Option<String>,
    saved: Option<String>,
}

/// `GET /dossiers/{id}`.
pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    query: web::Query<DetailQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let loaded = match fetch(&state, &user, id.into_inner()).await {
        Ok(l) => l,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let q = query.into_inner();
    let notice = if q.created.is_some() {
        Some("Đã lập hồ sơ với danh mục thành phần theo cấp độ đề xuất. Hoàn thiện từng thành phần rồi gửi hồ sơ.".to_string())
    } else {
        q.done
            .as_deref()
            .and_then(DossierStatus::parse)
            .map(|to| format!("Đã ghi nhận: hồ sơ chuyển sang “{}”.", to.label()))
    };
    let saved = q.saved.filter(|s| !s.is_empty());
    render_page(
        &req,
        &state,
        &user,
        loaded,
        Returned::None,
        notice,
        saved.as_deref(),
    )
}

/// The only field of the "Lập hồ sơ" form.
fn csrf_field(body: &[u8]) -> String {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The `systems` values of the form (a multi-select), empty ones left out.
fn further_systems(body: &[u8]) -> Vec<String> {
    url::form_urlencoded::parse(body)
        .filter(|(k, v)| k == "systems" && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_string())
        .collect()
}

/// `POST /systems/{id}/dossiers`: opens a dossier for the system and goes to its page; a
/// refusal (no proposed level yet, a dossier already open) is shown with the system's name.
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let Some(token) = form_post::read(&body, csrf_field) else {
        return error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    let system_id = id.into_inner();
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let target = system_id.clone();
    // The further systems picked on the system's page; the service checks each one.
    let input = services::dossiers::NewDossier {
        systems: further_systems(&body),
        ..Default::default()
    };
    let run = state.db.run(move |conn| {
        services::dossiers::create(conn, &registry, &actor, &target, input, today_in_vietnam())
    });
    match form_post::submit(&req, &token, Default::default(), run).await {
        Posted::Done(view) => redirect(&format!("/dossiers/{}?created=1", view.id)),
        Posted::Again(outcome) => refused(&req, &state, &user, &system_id, outcome).await,
        Posted::Failed(e) => error_page(&req, &state, &user, e),
    }
}

/// A refused "Lập hồ sơ": the reason, on a page that leads back to the system.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    system_id: &str,
    outcome: Outcome,
) -> HttpResponse {
    let actor = Actor::user(user);
    let lookup = system_id.to_string();
    let name = match state
        .db
        .run(move |conn| services::systems::get(conn, &actor, &lookup))
        .await
    {
        Ok(v) => v.name,
        Err(e) => return error_page(req, state, user, e),
    };
    let (token, cookie) = csrf_for(req, state);
    let page = super::dossier_templates::DossierRefusedPage {
        chrome: Chrome::signed_in(token, &user.principal, "dossiers"),
        system_id: system_id.to_string(),
        system_name: name,
        message: outcome.alert.unwrap_or_else(|| {
            outcome
                .errors
                .into_values()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        }),
    };
    respond(outcome.status, &page, cookie)
}
