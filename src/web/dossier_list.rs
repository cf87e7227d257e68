//! `GET /dossiers`: the dossiers a user works on, in two tabs — "Hồ sơ của đơn vị" (its own
//! systems) and "Hồ sơ gửi thẩm định" (sent to its unit for appraisal or approval).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::dossier_page::status_badge;
use super::pages::csrf_for;
use super::system_views::date_vn;
use super::systems::{can_register, error_page, login_redirect, respond};
use super::templates::Chrome;
use crate::auth::AuthUser;
use crate::repo::Page;
use crate::services::dossier_list::{self as service, DossierRowView, ListRole};
use crate::services::Actor;
use crate::startup::AppState;

const PAGE_SIZE: i64 = 25;

/// One row of the list, worded.
pub struct DossierLine {
    pub id: String,
    pub system_name: String,
    pub more_systems: usize,
    pub organization_name: String,
    pub proposed_level: i32,
    pub status: &'static str,
    pub status_label: String,
    pub status_badge: &'static str,
    pub submission: String,
    pub sent_to: String,
}

fn line(r: DossierRowView) -> DossierLine {
    DossierLine {
        more_systems: r.systems_count.saturating_sub(1),
        submission: match (&r.submission_number, r.submission_date) {
            (Some(n), Some(d)) => format!("{n} ngày {}", date_vn(d)),
            (Some(n), None) => n.clone(),
            _ => String::new(),
        },
        sent_to: r
            .appraiser_unit_name
            .clone()
            .or(r.approver_unit_name.clone())
            .unwrap_or_default(),
        status: r.status.as_str(),
        status_badge: status_badge(r.status),
        status_label: r.status_label,
        id: r.id,
        system_name: r.system_name,
        organization_name: r.organization_name,
        proposed_level: r.proposed_level,
    }
}

#[derive(Template)]
#[template(path = "pages/dossier_list.html")]
pub struct DossierListPage {
    pub chrome: Chrome,
    /// `owner` or `appraiser`.
    pub tab: &'static str,
    /// Whether this user may see the appraiser tab.
    pub appraiser_tab: bool,
    pub rows: Vec<DossierLine>,
    pub total: i64,
    pub page: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    tab: Option<String>,
    page: Option<String>,
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
    let appraiser_tab = can_register(user.role);
    let (tab, role) = match q.tab.as_deref() {
        Some("appraiser") if appraiser_tab => ("appraiser", ListRole::Appraiser),
        _ => ("owner", ListRole::Owner),
    };
    let number = q
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    let actor = Actor::user(&user);
    let page = Page {
        number,
        size: PAGE_SIZE,
    };
    let found = state
        .db
        .run(move |conn| {
            service::list(
                conn,
                &actor,
                &service::ListQuery {
                    role: Some(role),
                    ..Default::default()
                },
                page,
            )
        })
        .await;
    let found = match found {
        Ok(f) => f,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let pages = ((found.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let href = |n: i64| format!("/dossiers?tab={tab}&page={n}");
    let (token, cookie) = csrf_for(&req, &state);
    let page = DossierListPage {
        chrome: Chrome::signed_in(token, &user.principal, "dossiers"),
        tab,
        appraiser_tab,
        rows: found.items.into_iter().map(line).collect(),
        total: found.total,
        page: number,
        prev_href: (number > 1).then(|| href((number - 1).min(pages))),
        next_href: (number < pages).then(|| href(number + 1)),
    };
    respond(StatusCode::OK, &page, cookie)
}
