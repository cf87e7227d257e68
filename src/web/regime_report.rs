//! `GET /reports/regime-change`: which systems of the user's subtree change level with the
//! change of regime, with totals, filters and pages; `GET /reports/regime-change.xlsx` streams
//! the same report, with the same filters, as an Excel workbook.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::pages::csrf_for;
use super::regime_templates::{DirectionOption, RegimeReportPage, ReportFilters};
use super::regime_views::{direction_code, ReportLine};
use super::system_choices::CHOICES;
use super::system_templates::OptionItem;
use super::system_views::date_vn;
use super::systems::{error_page, login_redirect, respond};
use super::templates::Chrome;
use crate::auth::AuthUser;
use crate::export::download::xlsx_response;
use crate::rules::change::Direction;
use crate::rules::today_in_vietnam;
use crate::services::regime_report::{self as service, ReportFilter};
use crate::services::{self, Actor};
use crate::startup::AppState;

const PAGE_SIZE: u64 = 100;
const DIRECTIONS: [Direction; 4] = [
    Direction::Up,
    Direction::Down,
    Direction::Same,
    Direction::Undetermined,
];

#[derive(Deserialize)]
pub struct ReportQuery {
    organization_id: Option<String>,
    direction: Option<String>,
    level: Option<String>,
    approved: Option<String>,
    page: Option<String>,
}

fn given(v: &Option<String>) -> String {
    v.as_deref().map(str::trim).unwrap_or_default().to_string()
}

/// The filters as typed, with values that mean nothing cleared, and the service's filter.
fn read_filters(q: &ReportQuery) -> (ReportFilters, ReportFilter) {
    let mut f = ReportFilters {
        organization_id: given(&q.organization_id).chars().take(64).collect(),
        direction: given(&q.direction),
        level: given(&q.level),
        approved: given(&q.approved),
    };
    let direction = Direction::parse(&f.direction);
    if direction.is_none() {
        f.direction.clear();
    }
    let level = f.level.parse::<u8>().ok().filter(|l| (1..=5).contains(l));
    if level.is_none() {
        f.level.clear();
    }
    let approved = match f.approved.as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => {
            f.approved.clear();
            None
        }
    };
    let filter = ReportFilter {
        organization_id: Some(f.organization_id.clone()).filter(|o| !o.is_empty()),
        direction,
        level,
        approved,
    };
    (f, filter)
}

fn query_string(f: &ReportFilters, page: Option<u64>) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("organization_id", f.organization_id.as_str()),
        ("direction", &f.direction),
        ("level", &f.level),
        ("approved", &f.approved),
    ] {
        if !value.is_empty() {
            s.append_pair(key, value);
        }
    }
    if let Some(page) = page {
        s.append_pair("page", &page.to_string());
    }
    s.finish()
}

fn with_query(path: &str, query: String) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let (mut f, mut filter) = read_filters(&query);
    let number = given(&query.page)
        .parse::<u64>()
        .unwrap_or(1)
        .clamp(1, 100_000);
    let skip = (number - 1) * PAGE_SIZE;
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let today = today_in_vietnam();
    let asked_org = filter.organization_id.clone();
    let loaded = state
        .db
        .run(move |conn| {
            let orgs = services::organizations::list(conn, &actor, Default::default())?;
            // An organisation outside the user's subtree is dropped from the filter, not refused.
            if let Some(id) = &filter.organization_id {
                if !orgs.iter().any(|o| &o.id == id) {
                    filter.organization_id = None;
                }
            }
            let kept_org = filter.organization_id.clone();
            let mut seen = 0u64;
            let mut rows = Vec::new();
            let (header, totals) = service::scan(conn, &registry, &actor, &filter, today, |row| {
                if seen >= skip && (rows.len() as u64) < PAGE_SIZE {
                    rows.push(row);
                }
                seen += 1;
                Ok(())
            })?;
            Ok((orgs, kept_org, header, totals, rows))
        })
        .await;
    let (orgs, kept_org, header, totals, rows) = match loaded {
        Ok(found) => found,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let mut notice = None;
    if asked_org.is_some() && kept_org.is_none() {
        f.organization_id.clear();
        notice = Some(
            "Đơn vị đã chọn không thuộc phạm vi của bạn; báo cáo gồm mọi đơn vị trong phạm vi."
                .to_string(),
        );
    }
    let total = totals.systems;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let lines: Vec<ReportLine> = rows.iter().map(|r| ReportLine::new(r, &header)).collect();
    let first_shown = skip + 1;
    let filtered = !(f.organization_id.is_empty()
        && f.direction.is_empty()
        && f.level.is_empty()
        && f.approved.is_empty());
    let orgs = orgs
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
    let (token, cookie) = csrf_for(&req, &state);
    let page = RegimeReportPage {
        chrome: Chrome::signed_in(token, &user.principal, "reports"),
        old_title: header.old_title,
        new_title: header.new_title,
        date: date_vn(header.date),
        last_shown: first_shown + lines.len() as u64 - 1,
        first_shown,
        rows: lines,
        totals,
        prev_href: (number > 1).then(|| {
            with_query(
                "/reports/regime-change",
                query_string(&f, Some((number - 1).min(pages))),
            )
        }),
        next_href: (number < pages)
            .then(|| with_query("/reports/regime-change", query_string(&f, Some(number + 1)))),
        xlsx_href: with_query("/reports/regime-change.xlsx", query_string(&f, None)),
        f,
        filtered,
        notice,
        orgs,
        directions: DIRECTIONS
            .iter()
            .map(|d| DirectionOption {
                value: direction_code(*d),
                label: d.label(),
            })
            .collect(),
        page: number,
        pages,
        c: &CHOICES,
    };
    respond(StatusCode::OK, &page, cookie)
}

/// The same report as an XLSX workbook (a table sheet and a summary sheet).
pub async fn xlsx(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<ReportQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let (_, filter) = read_filters(&query);
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let today = today_in_vietnam();
    match state
        .db
        .run(move |conn| {
            crate::services::regime_report_xlsx::xlsx(conn, &registry, &actor, &filter, today)
        })
        .await
    {
        Ok(file) => xlsx_response(
            file,
            &format!("bao-cao-thay-doi-cap-do-{}.xlsx", today.format("%Y%m%d")),
        ),
        Err(e) => error_page(&req, &state, &user, e),
    }
}
