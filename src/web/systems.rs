//! The register of information systems: the list and the detail page (the form is in
//! `system_edit`).

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::pages::{csrf_for, redirect};
use super::system_choices::{label_in, CHOICES};
use super::system_panel::{Panel, ResultView};
use super::system_templates::{ListFilters, ListRow, OptionItem, SystemDetailPage, SystemListPage};
use super::system_views::{date_vn, fact_rows, history_rows, term_label, time_vn};
use super::templates::{render, Chrome, ErrorPage};
use crate::auth::AuthUser;
use crate::domain::system::SystemStatus;
use crate::domain::Role;
use crate::error::AppError;
use crate::repo::systems::{SystemFilter, SystemSort};
use crate::repo::Page;
use crate::rules::{today_in_vietnam, RulePack};
use crate::services::{self, Actor};
use crate::startup::AppState;

const PAGE_SIZE: i64 = 25;

/// Renders `page`, setting the CSRF cookie when this browser has none yet.
pub(super) fn respond<T: Template>(
    status: StatusCode,
    page: &T,
    cookie: Option<Cookie<'static>>,
) -> HttpResponse {
    let mut res = render(status, page);
    if let Some(cookie) = cookie {
        let _ = res.add_cookie(&cookie);
    }
    res
}

/// To the login page, coming back here afterwards.
pub(super) fn login_redirect(req: &HttpRequest) -> HttpResponse {
    let here = match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    };
    let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    redirect(&format!("/login?next={next}"))
}

/// An error as a page that keeps the navigation of the signed-in user.
pub(super) fn error_page(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    err: AppError,
) -> HttpResponse {
    use actix_web::ResponseError;
    if let AppError::Internal(cause) = &err {
        tracing::error!(error = ?cause, "internal error on a page");
    }
    let status = err.status_code();
    let title = match err {
        AppError::NotFound(_) => "Không tìm thấy",
        AppError::Forbidden(_) => "Không có quyền truy cập",
        AppError::Internal(_) => "Đã xảy ra lỗi",
        _ => "Không thực hiện được yêu cầu",
    };
    let (token, cookie) = csrf_for(req, state);
    let page = ErrorPage {
        chrome: Chrome::signed_in(token, &user.principal, "systems"),
        status: status.as_u16(),
        title: title.into(),
        message: err.to_string(),
    };
    respond(status, &page, cookie)
}

/// The rule pack in force today: its vocabulary labels the kinds, tiers and tags.
pub(super) fn pack(state: &AppState) -> Result<Arc<RulePack>, AppError> {
    state
        .rules
        .resolve(None, None, today_in_vietnam())
        .cloned()
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))
}

/// Who may register systems (the service decides; this only hides the buttons).
pub(super) fn can_register(role: Role) -> bool {
    matches!(role, Role::Admin | Role::SecurityOfficer)
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    level: Option<String>,
    status: Option<String>,
    kind: Option<String>,
    below_criteria: Option<String>,
    redetermination_required: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

fn given(v: &Option<String>) -> String {
    v.as_deref().map(str::trim).unwrap_or_default().to_string()
}

fn list_href(f: &ListFilters, page: i64) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("q", f.q.as_str()),
        ("level", &f.level),
        ("status", &f.status),
        ("kind", &f.kind),
        ("sort", &f.sort),
    ] {
        if !value.is_empty() {
            s.append_pair(key, value);
        }
    }
    if f.redetermination {
        s.append_pair("redetermination_required", "true");
    }
    if f.below {
        s.append_pair("below_criteria", "true");
    }
    s.append_pair("page", &page.to_string());
    format!("/systems?{}", s.finish())
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<ListQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let q = query.into_inner();
    let mut f = ListFilters {
        q: given(&q.q).chars().take(100).collect(),
        level: given(&q.level),
        status: given(&q.status),
        kind: given(&q.kind),
        below: given(&q.below_criteria) == "true",
        redetermination: given(&q.redetermination_required) == "true",
        sort: given(&q.sort),
    };
    let mut notice = None;
    let sort = crate::services::systems::parse_sort(
        Some(&f.sort).filter(|s| !s.is_empty()).map(|s| s.as_str()),
    )
    .unwrap_or_else(|_| {
        notice =
            Some("Không sắp xếp được theo lựa chọn này; danh sách được sắp theo tên.".to_string());
        f.sort.clear();
        SystemSort::Name
    });
    let level = f.level.parse::<i32>().ok().filter(|l| (1..=5).contains(l));
    if level.is_none() {
        f.level.clear();
    }
    let status = SystemStatus::parse(&f.status).map(|s| s.as_str().to_string());
    if status.is_none() {
        f.status.clear();
    }
    let filter = SystemFilter {
        organization_id: None,
        level,
        status,
        kind: Some(f.kind.clone()).filter(|k| !k.is_empty()),
        below_criteria: f.below.then_some(true),
        redetermination_required: f.redetermination.then_some(true),
        search: Some(f.q.clone()).filter(|s| !s.is_empty()),
    };
    let number = given(&q.page).parse::<i64>().unwrap_or(1).clamp(1, 100_000);
    let page = Page {
        number,
        size: PAGE_SIZE,
    };
    let actor = Actor::user(&user);
    let found = state
        .db
        .run(move |conn| services::systems::list(conn, &actor, filter, sort, page))
        .await;
    let pack = match pack(&state) {
        Ok(p) => p,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let (items, total) = match found {
        Ok(found) => found,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let kinds = &pack.vocabulary.kind;
    let rows = items
        .into_iter()
        .map(|s| ListRow {
            kind: s
                .kind
                .as_deref()
                .map(|k| term_label(kinds, k))
                .unwrap_or_default(),
            status: s.status.label(),
            level: s.computed_level,
            proposed: s.proposed_level,
            approved: s.approved_level,
            classification: s.classification_status,
            below: s.below_criteria,
            redetermination: s.redetermination_required,
            id: s.id,
            name: s.name,
        })
        .collect::<Vec<_>>();
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let first_shown = (number - 1) * PAGE_SIZE + 1;
    let filtered = !(f.q.is_empty()
        && f.level.is_empty()
        && f.status.is_empty()
        && f.kind.is_empty()
        && !f.below
        && !f.redetermination);
    let (token, cookie) = csrf_for(&req, &state);
    let page = SystemListPage {
        chrome: Chrome::signed_in(token, &user.principal, "systems"),
        prev_href: (number > 1).then(|| list_href(&f, (number - 1).min(pages))),
        next_href: (number < pages).then(|| list_href(&f, number + 1)),
        last_shown: first_shown + rows.len() as i64 - 1,
        first_shown,
        f,
        filtered,
        notice,
        rows,
        total,
        page: number,
        pages,
        kinds: kinds.clone(),
        can_register: can_register(user.role),
        c: &CHOICES,
    };
    respond(StatusCode::OK, &page, cookie)
}

#[derive(Deserialize)]
pub struct DetailQuery {
    saved: Option<String>,
}

/// Everything the detail page reads, in one trip to the database.
struct DetailData {
    view: services::systems::SystemView,
    history: Vec<services::audit::AuditEntry>,
    history_total: i64,
    may_edit: bool,
    org_names: HashMap<String, String>,
    components: Vec<OptionItem>,
}

fn load_detail(
    conn: &mut crate::db::AnyConn,
    actor: &Actor,
    id: &str,
) -> Result<DetailData, AppError> {
    let view = services::systems::get(conn, actor, id)?;
    let may_edit = services::systems::actor_may_edit(conn, actor, id)?;
    let (history, history_total) = services::systems::history(
        conn,
        actor,
        id,
        Page {
            number: 1,
            size: 50,
        },
    )?;
    let org_names = services::organizations::list(conn, actor, Default::default())?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut components = Vec::new();
    for cid in &view.component_ids {
        let label = match services::systems::find_visible(conn, actor, cid) {
            Ok(row) => row.name,
            Err(AppError::NotFound(_)) => "Hệ thống ngoài phạm vi của bạn".to_string(),
            Err(e) => return Err(e),
        };
        components.push(OptionItem {
            value: cid.clone(),
            label,
        });
    }
    Ok(DetailData {
        view,
        may_edit,
        history,
        history_total,
        org_names,
        components,
    })
}

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
    let actor = Actor::user(&user);
    let id = id.into_inner();
    let registry = state.rules.clone();
    let loaded = state
        .db
        .run(move |conn| {
            let d = load_detail(conn, &actor, &id)?;
            let dossiers = super::system_dossiers::load(conn, &registry, &actor, &id, d.may_edit)?;
            Ok((d, dossiers))
        })
        .await;
    let ((d, dossiers), pack) = match (loaded, pack(&state)) {
        (Ok(d), Ok(p)) => (d, p),
        (Err(e), _) | (_, Err(e)) => return error_page(&req, &state, &user, e),
    };
    let v = d.view;
    let org_name = |id: &str| {
        d.org_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| "Đơn vị ngoài phạm vi của bạn".into())
    };
    let panel = Panel {
        result: ResultView::from_json(&v.classification.result),
        proposed: v.proposed_level.and_then(|p| u8::try_from(p).ok()),
        component_names: d.components.iter().map(|c| c.label.clone()).collect(),
        // Only people who may edit get links to the edit form.
        answer_base: if d.may_edit {
            format!("/systems/{}/edit", v.id)
        } else {
            String::new()
        },
        stored: true,
        ..Panel::default()
    };
    let (token, cookie) = csrf_for(&req, &state);
    let page = SystemDetailPage {
        chrome: Chrome::signed_in(token, &user.principal, "systems"),
        saved: query.saved.is_some(),
        can_edit: d.may_edit,
        kind: v
            .kind
            .as_deref()
            .map(|k| term_label(&pack.vocabulary.kind, k))
            .unwrap_or_else(|| "Chưa chọn loại".into()),
        hosting: v
            .hosting_kind
            .map(|h| label_in(CHOICES.hosting, h.as_str()))
            .unwrap_or_default(),
        status: v.status.label(),
        org: org_name(&v.organization_id),
        operator: v.operator_id.as_deref().map(org_name).unwrap_or_default(),
        go_live: v.go_live_on.map(date_vn).unwrap_or_default(),
        created: time_vn(v.created_at),
        updated: time_vn(v.updated_at),
        decision_date: v.approval_decision_date.map(date_vn).unwrap_or_default(),
        facts: fact_rows(&v.facts, &pack.vocabulary.tier, &pack.vocabulary.tags),
        panel,
        components: d.components,
        history: history_rows(&d.history),
        history_total: d.history_total,
        dossiers,
        v,
    };
    respond(StatusCode::OK, &page, cookie)
}
