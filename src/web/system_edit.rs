//! Registering and changing a system: the form, its submission and the live classification
//! panel. Without JavaScript every step is a plain form post; htmx only refreshes the panel.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::form_errors::FormErrors;
use super::form_post::{self, Outcome, Posted};
use super::pages::{csrf_for, redirect};
use super::system_choices::CHOICES;
use super::system_form::SystemForm;
use super::system_form_data::{compute_panel, facts_errors, load_form, Mode};
use super::system_panel::Panel;
use super::system_templates::{ClassificationPanelPartial, OptionItem, SystemFormPage};
use super::system_views::date_vn;
use super::systems::{can_register, error_page, login_redirect, pack, respond};
use super::templates::{render, Chrome};
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::rules::today_in_vietnam;
use crate::services::{self, Actor};
use crate::startup::AppState;

/// Shows the form again with what the user typed, the errors and the panel.
async fn render_form(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    mode: Mode,
    form: SystemForm,
    outcome: Outcome,
) -> HttpResponse {
    let Outcome {
        errors,
        alert,
        status,
    } = outcome;
    let errors = FormErrors(errors);
    let actor = Actor::user(user);
    let registry = state.rules.clone();
    let (loaded_form, loaded_mode) = (form.clone(), mode.clone());
    let loaded = state
        .db
        .run(move |conn| load_form(conn, &registry, &actor, &loaded_form, &loaded_mode))
        .await;
    let (data, pack) = match (loaded, pack(state)) {
        (Ok(d), Ok(p)) => (d, p),
        (Err(e), _) | (_, Err(e)) => return error_page(req, state, user, e),
    };
    let (token, cookie) = csrf_for(req, state);
    let (editing, action, heading, cancel_href) = match &mode {
        Mode::New => (
            false,
            "/systems".to_string(),
            "Đăng ký hệ thống thông tin".to_string(),
            "/systems".to_string(),
        ),
        Mode::Edit(id) => (
            true,
            format!("/systems/{id}"),
            format!("Sửa: {}", data.record_name),
            format!("/systems/{id}"),
        ),
    };
    let page = SystemFormPage {
        chrome: Chrome::signed_in(token, &user.principal, "systems"),
        editing,
        action,
        heading,
        record_name: data.record_name,
        cancel_href,
        summary: errors.summary(),
        errors,
        alert,
        panel: data.panel,
        orgs: data.orgs,
        users: data.users,
        systems: data.systems,
        regimes: regime_options(&state.rules, today_in_vietnam()),
        kinds: pack.vocabulary.kind.clone(),
        tiers: pack.vocabulary.tier.clone(),
        tags: pack.vocabulary.tags.clone(),
        form: SystemForm {
            system_id: mode.id().unwrap_or_default().to_string(),
            ..form
        },
        c: &CHOICES,
    };
    respond(status, &page, cookie)
}

/// Every loaded rule pack, by title; a lapsed one says until when it was in force.
fn regime_options(registry: &crate::rules::Registry, today: chrono::NaiveDate) -> Vec<OptionItem> {
    registry
        .packs()
        .iter()
        .map(|p| OptionItem {
            value: p.meta.id.clone(),
            label: match p.meta.effective_until.filter(|u| *u < today) {
                Some(until) => format!("{} (hiệu lực đến {})", p.meta.title, date_vn(until)),
                None => p.meta.title.clone(),
            },
        })
        .collect()
}

pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    if !can_register(user.role) {
        return error_page(&req, &state, &user, AppError::forbidden());
    }
    let form = SystemForm::blank(&user.organization_id);
    render_form(&req, &state, &user, Mode::New, form, Outcome::ok()).await
}

pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let actor = Actor::user(&user);
    let id = id.into_inner();
    // Operators may edit only the systems their unit operates: ask the service, not the role.
    let (check_actor, check_id) = (actor.clone(), id.clone());
    match state
        .db
        .run(move |conn| services::systems::actor_may_edit(conn, &check_actor, &check_id))
        .await
    {
        Ok(true) => {}
        Ok(false) => return error_page(&req, &state, &user, AppError::forbidden()),
        Err(e) => return error_page(&req, &state, &user, e),
    }
    let lookup = id.clone();
    let view = match state
        .db
        .run(move |conn| services::systems::get(conn, &actor, &lookup))
        .await
    {
        Ok(v) => v,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let form = SystemForm::from_view(&view);
    render_form(&req, &state, &user, Mode::Edit(id), form, Outcome::ok()).await
}

fn read_form(body: &web::Bytes) -> Option<SystemForm> {
    form_post::read(body, SystemForm::parse)
}

fn too_large(req: &HttpRequest, state: &AppState, user: &AuthUser) -> HttpResponse {
    error_page(req, state, user, AppError::PayloadTooLarge)
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let Some(form) = read_form(&body) else {
        return too_large(&req, &state, &user);
    };
    save(&req, &state, &user, Mode::New, form).await
}

pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let Some(form) = read_form(&body) else {
        return too_large(&req, &state, &user);
    };
    save(&req, &state, &user, Mode::Edit(id.into_inner()), form).await
}

async fn save(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    mode: Mode,
    form: SystemForm,
) -> HttpResponse {
    let (mut input, parse_errors) = form.to_input();
    if input.organization_id.is_empty() {
        input.organization_id = user.organization_id.clone();
    }
    let actor = Actor::user(user);
    let rules = state.rules.clone();
    let target = mode.clone();
    let run = state.db.run(move |conn| {
        let today = today_in_vietnam();
        match target {
            Mode::New => services::systems::create(conn, &rules, &actor, input, today),
            Mode::Edit(id) => services::systems::update(
                conn,
                &rules,
                &actor,
                &id,
                |current| {
                    *current = input;
                    Ok(())
                },
                today,
            ),
        }
    });
    let mut outcome = match form_post::submit(req, &form.csrf_token, parse_errors, run).await {
        Posted::Done(view) => return redirect(&format!("/systems/{}?saved=1", view.id)),
        Posted::Again(outcome) => outcome,
        Posted::Failed(other) => return error_page(req, state, user, other),
    };
    if outcome.status == StatusCode::UNPROCESSABLE_ENTITY {
        // The record is checked before the facts: name the facts' problems too.
        outcome.add_fields(facts_errors(&state.rules, &form));
    }
    render_form(req, state, user, mode, form, outcome).await
}

/// `POST /systems/preview`: the panel for htmx, or (without JavaScript) the whole form again.
pub async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    body: web::Bytes,
) -> HttpResponse {
    let htmx = form_post::is_htmx(&req);
    let Some(user) = user else {
        return form_post::sign_in_first(&req);
    };
    let Some(form) = read_form(&body) else {
        return too_large(&req, &state, &user);
    };
    if !form_post::csrf_header_or_field(&req, &form.csrf_token) {
        return error_page(
            &req,
            &state,
            &user,
            AppError::Forbidden("Phiên biểu mẫu đã hết hạn; vui lòng tải lại trang".into()),
        );
    }
    let mode = match form.system_id.trim() {
        "" => Mode::New,
        id => Mode::Edit(id.to_string()),
    };
    if !htmx {
        let (_, parse_errors) = form.to_input();
        let outcome = Outcome::errors(parse_errors, StatusCode::OK);
        return render_form(&req, &state, &user, mode, form, outcome).await;
    }
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let panel = state
        .db
        .run(move |conn| compute_panel(conn, &registry, &actor, &form, mode.id()))
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "live classification failed");
            Panel {
                problems: vec![
                    "Chưa tính được cấp độ lúc này; vui lòng thử lại sau ít phút.".into(),
                ],
                ..Panel::default()
            }
        });
    let partial = ClassificationPanelPartial {
        panel: Panel {
            live: true,
            ..panel
        },
    };
    form_post::no_store(render(StatusCode::OK, &partial))
}
