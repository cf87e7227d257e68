//! A system's compliance checklist on the web ("Đáp ứng yêu cầu"): the page, starting a review,
//! answering a requirement (htmx swaps the checklist; without JavaScript post/redirect/get),
//! the evidence forms are in `compliance_evidence`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::compliance_checklist_forms::{
    BodyPartial, ChecklistPage, Choice, Empty, ItemForm, SimpleForm, Tab,
};
use super::compliance_checklist_model::{body, Returned};
use super::form_post::{self, Outcome, Posted};
use super::pages::{csrf_for, redirect};
use super::system_views::date_vn;
use super::systems::{error_page, login_redirect, respond};
use super::templates::{render, Chrome};
use crate::auth::AuthUser;
use crate::db::AnyConn;
use crate::error::{AppError, FieldErrors};
use crate::repo::users::UserFilter;
use crate::repo::{compliance as repo, Page};
use crate::rules::{today_in_vietnam, Registry};
use crate::services::compliance_items as items;
use crate::services::compliance_views::ChecklistView;
use crate::services::{self, compliance, Actor};
use crate::startup::AppState;

/// Everything the page reads, in one trip to the database.
struct Loaded {
    system_id: String,
    system_name: String,
    tabs: Vec<Tab>,
    view: Option<ChecklistView>,
    empty: Option<Empty>,
    users: Vec<Choice>,
}

fn load(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    baseline: Option<&str>,
    today: NaiveDate,
) -> Result<Loaded, AppError> {
    let row = services::systems::find_visible(conn, actor, id)?;
    let chosen = compliance::choose(registry, &row, baseline)?;
    let editable = services::systems::actor_may_edit(conn, actor, &row.id)?;
    let mut tabs = Vec::new();
    for a in compliance::applicable(registry, &row.regime_id) {
        tabs.push(Tab {
            started: repo::current(conn, &row.id, &a.baseline.id)?.is_some(),
            active: a.baseline.id == chosen.baseline.id,
            id: a.baseline.id.clone(),
            title: a.baseline.title.clone(),
            due_on: a.due_on.map(date_vn),
        });
    }
    let view = match compliance::checklist(
        conn,
        registry,
        actor,
        &row.id,
        Some(&chosen.baseline.id),
        today,
    ) {
        Ok(v) => Some(v),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let empty = view.is_none().then(|| Empty {
        baseline_id: chosen.baseline.id.clone(),
        baseline_title: chosen.baseline.title.clone(),
        year: today.year(),
        can_start: editable && compliance::level_of(&row).is_some(),
        blocked: (editable && compliance::level_of(&row).is_none()).then(|| {
            "Hệ thống chưa có cấp độ (đề xuất hoặc được phê duyệt): hãy xác định cấp độ trước khi lập bảng đánh giá.".to_string()
        }),
    });
    let users = if editable && view.is_some() {
        let filter = UserFilter {
            active: Some(true),
            ..UserFilter::default()
        };
        let page = Page {
            number: 1,
            size: 500,
        };
        crate::repo::users::list_in_scope(conn, &actor.scope_path, &filter, page)?
            .0
            .into_iter()
            .map(|u| Choice {
                label: format!("{} ({})", u.full_name, u.email),
                value: u.id,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Loaded {
        system_id: row.id,
        system_name: row.name,
        tabs,
        view,
        empty,
        users,
    })
}

async fn fetch(
    state: &AppState,
    user: &AuthUser,
    id: String,
    baseline: Option<String>,
) -> Result<Loaded, AppError> {
    let actor = Actor::user(user);
    let registry = state.rules.clone();
    state
        .db
        .run(move |conn| {
            load(
                conn,
                &registry,
                &actor,
                &id,
                baseline.as_deref(),
                today_in_vietnam(),
            )
        })
        .await
}

struct Shown<'a> {
    returned: Returned,
    notice: Option<String>,
    page_alert: Option<Outcome>,
    saved: Option<&'a str>,
}

fn render_page(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    l: Loaded,
    s: Shown,
) -> HttpResponse {
    let (token, cookie) = csrf_for(req, state);
    let status = s
        .page_alert
        .as_ref()
        .map_or_else(|| s.returned.status(), |o| o.status);
    let page_alert = s.page_alert.map(|o| {
        o.alert.unwrap_or_else(|| {
            o.errors
                .into_values()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
    });
    let page = ChecklistPage {
        body: l
            .view
            .as_ref()
            .map(|v| body(v, &token, l.users, &s.returned, s.saved, today_in_vietnam())),
        chrome: Chrome::signed_in(token, &user.principal, "systems"),
        system_id: l.system_id,
        system_name: l.system_name,
        tabs: l.tabs,
        empty: l.empty,
        notice: s.notice,
        page_alert,
    };
    respond(status, &page, cookie)
}

pub(super) fn back(id: &str, baseline: &str, rest: &str) -> HttpResponse {
    let b: String = url::form_urlencoded::byte_serialize(baseline.as_bytes()).collect();
    redirect(&format!("/systems/{id}/compliance?baseline={b}{rest}"))
}

pub(super) fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

#[derive(Deserialize)]
pub struct PageQuery {
    baseline: Option<String>,
    saved: Option<String>,
    started: Option<String>,
    removed: Option<String>,
    added: Option<String>,
}

/// `GET /systems/{id}/compliance?baseline=`.
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let q = query.into_inner();
    let loaded = match fetch(
        &state,
        &user,
        id.into_inner(),
        q.baseline.and_then(|b| opt(&b)),
    )
    .await
    {
        Ok(l) => l,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let notice = if q.started.is_some() {
        Some(
            "Đã lập bảng đánh giá theo cấp độ của hệ thống. Đánh giá từng yêu cầu bên dưới.".into(),
        )
    } else if q.removed.is_some() {
        Some("Đã xóa minh chứng.".into())
    } else if q.added.is_some() {
        Some("Đã thêm minh chứng.".into())
    } else {
        q.saved.as_ref().map(|c| format!("Đã lưu yêu cầu {c}."))
    };
    let shown = Shown {
        returned: Returned::None,
        notice,
        page_alert: None,
        saved: q.saved.as_deref(),
    };
    render_page(&req, &state, &user, loaded, shown)
}

/// `POST /systems/{id}/compliance/start`: the first review of the year, or a new year's review
/// copied from the last one.
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let Some(form) = form_post::read(&body, SimpleForm::parse) else {
        return error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    let id = id.into_inner();
    let mut parse_errors = FieldErrors::new();
    let year = opt(&form.year).and_then(|y| {
        let parsed = y.parse::<i32>().ok();
        if parsed.is_none() {
            parse_errors
                .entry("year".into())
                .or_default()
                .push("Năm rà soát không hợp lệ".into());
        }
        parsed
    });
    let (actor, registry, target, baseline) = (
        Actor::user(&user),
        state.rules.clone(),
        id.clone(),
        opt(&form.baseline),
    );
    let run = state.db.run(move |conn| {
        compliance::start(
            conn,
            &registry,
            &actor,
            &target,
            baseline.as_deref(),
            year,
            today_in_vietnam(),
        )
    });
    let outcome = match form_post::submit(&req, &form.csrf_token, parse_errors, run).await {
        Posted::Done(v) => return back(&id, &v.baseline_id, "&started=1"),
        Posted::Again(o) => o,
        Posted::Failed(e) => return error_page(&req, &state, &user, e),
    };
    again(
        &req,
        &state,
        &user,
        id,
        opt(&form.baseline),
        Returned::None,
        Some(outcome),
    )
    .await
}

/// The page again, with a form that came back or a refusal on top.
pub(super) async fn again(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    id: String,
    baseline: Option<String>,
    returned: Returned,
    page_alert: Option<Outcome>,
) -> HttpResponse {
    match fetch(state, user, id, baseline).await {
        Ok(l) => render_page(
            req,
            state,
            user,
            l,
            Shown {
                returned,
                notice: None,
                page_alert,
                saved: None,
            },
        ),
        Err(e) => error_page(req, state, user, e),
    }
}

/// `POST /systems/{id}/compliance/items/{code}`: the answer to one requirement.
pub async fn update_item(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    path: web::Path<(String, String)>,
    body_bytes: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return form_post::sign_in_first(&req);
    };
    let Some(form) = form_post::read(&body_bytes, ItemForm::parse) else {
        return error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    let (id, code) = path.into_inner();
    let (changes, parse_errors) = form.to_changes();
    let baseline = opt(&form.baseline);
    let (actor, registry, target, part, b) = (
        Actor::user(&user),
        state.rules.clone(),
        id.clone(),
        code.clone(),
        baseline.clone(),
    );
    let run = state.db.run(move |conn| {
        items::update_item(
            conn,
            &registry,
            &actor,
            &target,
            b.as_deref(),
            &part,
            changes,
            today_in_vietnam(),
        )
    });
    let htmx = form_post::is_htmx(&req);
    let returned = match form_post::submit(&req, &form.csrf_token, parse_errors, run).await {
        Posted::Done(v) if !htmx => {
            let a = super::compliance_checklist_forms::anchor(&code);
            let c: String = url::form_urlencoded::byte_serialize(code.as_bytes()).collect();
            return back(&id, &v.baseline_id, &format!("&saved={c}#{a}"));
        }
        Posted::Done(_) => Returned::None,
        Posted::Again(o) => Returned::Item(code.clone(), form, o),
        Posted::Failed(e) => return error_page(&req, &state, &user, e),
    };
    if htmx {
        // Always 200: htmx 2 does not swap error answers; the requirement shows its errors.
        let loaded = match fetch(&state, &user, id, baseline).await {
            Ok(l) => l,
            Err(e) => return error_page(&req, &state, &user, e),
        };
        if let Some(v) = &loaded.view {
            let token = csrf_for(&req, &state).0;
            let saved = matches!(returned, Returned::None).then_some(code.as_str());
            let b = body(
                v,
                &token,
                loaded.users,
                &returned,
                saved,
                today_in_vietnam(),
            );
            return form_post::no_store(render(StatusCode::OK, &BodyPartial { b }));
        }
        return render_page(
            &req,
            &state,
            &user,
            loaded,
            Shown {
                returned,
                notice: None,
                page_alert: None,
                saved: None,
            },
        );
    }
    again(&req, &state, &user, id, baseline, returned, None).await
}
