//! The dossier page's posts: completing a component of the checklist (a fragment swapped in
//! place with htmx, or post/redirect/get without JavaScript) and taking a workflow step.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::dossier_forms::{ComponentForm, TransitionForm};
use super::dossier_page::{self as model, Returned};
use super::dossier_templates::ComponentPartial;
use super::dossiers::{fetch, render_page, Loaded};
use super::form_post::{self, Outcome, Posted};
use super::pages::redirect;
use super::systems::error_page;
use super::templates::render;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::rules::today_in_vietnam;
use crate::services::dossier_views::DossierView;
use crate::services::{self, Actor};
use crate::startup::AppState;

/// The card of `component` alone, for htmx (always 200: htmx 2 does not swap error answers,
/// and the card itself shows the error).
fn card_fragment(
    loaded: &Loaded,
    component: &str,
    token: &str,
    returned: Option<(&ComponentForm, &Outcome)>,
) -> Option<HttpResponse> {
    let c = loaded
        .view
        .components
        .iter()
        .find(|c| c.component == component)?;
    let card = model::card(
        &loaded.view,
        c,
        loaded.rights,
        token,
        returned,
        returned.is_none(),
    );
    Some(form_post::no_store(render(
        StatusCode::OK,
        &ComponentPartial { c: card },
    )))
}

/// `POST /dossiers/{id}/components/{component}`.
pub async fn update_component(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return form_post::sign_in_first(&req);
    };
    let Some(form) = form_post::read(&body, ComponentForm::parse) else {
        return error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    let (id, component) = path.into_inner();
    let (changes, parse_errors) = form.to_changes();
    let actor = Actor::user(&user);
    let (target, part) = (id.clone(), component.clone());
    let registry = state.rules.clone();
    let run = state.db.run(move |conn| {
        services::dossiers::update_component(
            conn,
            &registry,
            &actor,
            &target,
            &part,
            changes,
            today_in_vietnam(),
        )
    });
    let outcome = match form_post::submit(&req, &form.csrf_token, parse_errors, run).await {
        Posted::Done(_) if !form_post::is_htmx(&req) => {
            return redirect(&format!(
                "/dossiers/{id}?saved={}#c-{}",
                url_part(&component),
                url_part(&component)
            ))
        }
        Posted::Done(_) => None,
        Posted::Again(outcome) => Some(outcome),
        Posted::Failed(e) => return error_page(&req, &state, &user, e),
    };
    let loaded = match fetch(&state, &user, id).await {
        Ok(l) => l,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    if form_post::is_htmx(&req) {
        let token = super::pages::csrf_for(&req, &state).0;
        let returned = outcome.as_ref().map(|o| (&form, o));
        if let Some(res) = card_fragment(&loaded, &component, &token, returned) {
            return res;
        }
    }
    let returned = match outcome {
        Some(o) => Returned::Component(component, form, o),
        None => Returned::None,
    };
    render_page(&req, &state, &user, loaded, returned, None, None)
}

fn url_part(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `POST /dossiers/{id}/transitions`: the step named by the form's `to`.
pub async fn transition(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return form_post::sign_in_first(&req);
    };
    let Some(form) = form_post::read(&body, TransitionForm::parse) else {
        return error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    let id = id.into_inner();
    let posted: Posted<DossierView> = match form.target() {
        None => Posted::Again(Outcome::alert(
            "Vui lòng chọn một bước có trên trang hồ sơ".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Some(to) => {
            let (t, parse_errors) = form.to_transition(to);
            let actor = Actor::user(&user);
            let registry = state.rules.clone();
            let target = id.clone();
            let run = state.db.run(move |conn| {
                services::dossier_workflow::transition(
                    conn,
                    &registry,
                    &actor,
                    &target,
                    t,
                    today_in_vietnam(),
                )
            });
            form_post::submit(&req, &form.csrf_token, parse_errors, run).await
        }
    };
    let outcome = match posted {
        Posted::Done(view) => {
            return redirect(&format!(
                "/dossiers/{}?done={}",
                view.id,
                view.status.as_str()
            ))
        }
        Posted::Again(outcome) => outcome,
        Posted::Failed(e) => return error_page(&req, &state, &user, e),
    };
    match fetch(&state, &user, id).await {
        Ok(loaded) => render_page(
            &req,
            &state,
            &user,
            loaded,
            Returned::Transition(form, outcome),
            None,
            None,
        ),
        Err(e) => error_page(&req, &state, &user, e),
    }
}
