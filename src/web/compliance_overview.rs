//! `GET /compliance` "Đáp ứng yêu cầu cơ bản": the subtree's compliance in total, per group
//! and per system (worst first), the first page of gaps, and `GET /compliance/gaps.xlsx`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::pages::csrf_for;
use super::system_templates::OptionItem;
use super::system_views::date_vn;
use super::systems::{error_page, login_redirect, respond};
use super::templates::Chrome;
use crate::auth::AuthUser;
use crate::domain::compliance::PERCENT_RULE;
use crate::export::download::xlsx_response;
use crate::repo::Page;
use crate::rules::today_in_vietnam;
use crate::services::compliance_report::{
    self as service, Gap, GapQuery, Summary, SummaryQuery, SummarySort,
};
use crate::services::{self, Actor};
use crate::startup::AppState;

#[derive(Deserialize)]
pub struct OverviewQuery {
    organization_id: Option<String>,
    baseline: Option<String>,
    responsible: Option<String>,
    overdue: Option<String>,
    page: Option<String>,
}

/// A gap line as the page prints it.
pub struct GapLine {
    pub gap: Gap,
    pub target: String,
}

#[derive(Template)]
#[template(path = "pages/compliance_overview.html")]
pub struct ComplianceOverviewPage {
    pub chrome: Chrome,
    pub summary: Summary,
    pub percent: String,
    pub gaps: Vec<GapLine>,
    pub gap_total: i64,
    pub orgs: Vec<OptionItem>,
    pub baselines: Vec<OptionItem>,
    pub organization_id: String,
    pub baseline: String,
    pub responsible: String,
    pub overdue: bool,
    pub page: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub xlsx_href: String,
    pub percent_rule: &'static str,
}

/// "62,5 %" or "—".
pub fn pct(p: &Option<f64>) -> String {
    p.map_or("—".to_string(), |p| {
        format!("{} %", format!("{p:.1}").replace('.', ","))
    })
}

fn given(v: &Option<String>) -> String {
    v.as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .chars()
        .take(64)
        .collect()
}

fn href(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        s.append_pair(k, v);
    }
    let q = s.finish();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{q}")
    }
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<OverviewQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let actor = Actor::user(&user);
    let mut org = given(&query.organization_id);
    let mut baseline = given(&query.baseline);
    if state.rules.baseline(&baseline).is_none() {
        baseline.clear();
    }
    let responsible = if given(&query.responsible) == "me" {
        "me"
    } else {
        ""
    }
    .to_string();
    let overdue = given(&query.overdue) == "1";
    let number = given(&query.page)
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, 100_000);
    let registry = state.rules.clone();
    let today = today_in_vietnam();
    let (o, b, me) = (org.clone(), baseline.clone(), actor.user_id.clone());
    let want_me = responsible == "me";
    let loaded = state
        .db
        .run(move |conn| {
            let orgs = services::organizations::list(conn, &actor, Default::default())?;
            let o = Some(o).filter(|o| orgs.iter().any(|x| &x.id == o));
            let b = Some(b).filter(|b| !b.is_empty());
            let summary = service::summary(
                conn,
                &registry,
                &actor,
                SummaryQuery {
                    organization_id: o.clone(),
                    baseline: b.clone(),
                    page: number,
                    sort: SummarySort::PercentAsc,
                },
                today,
            )?;
            let gaps = service::gaps(
                conn,
                &registry,
                &actor,
                GapQuery {
                    organization_id: o.clone(),
                    baseline: b,
                    responsible_id: if want_me { me } else { None },
                    status: None,
                    overdue_only: overdue,
                    page: Page {
                        number: 1,
                        size: 50,
                    },
                },
                today,
            )?;
            Ok((orgs, o, summary, gaps))
        })
        .await;
    let (orgs, kept, summary, gaps) = match loaded {
        Ok(found) => found,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    if kept.is_none() {
        org.clear();
    }
    let pages = (summary.systems_total + service::PER_PAGE - 1) / service::PER_PAGE;
    let pages = pages.max(1);
    let filters = |p: String| {
        href(
            "/compliance",
            &[
                ("organization_id", &org),
                ("baseline", &baseline),
                ("responsible", &responsible),
                ("overdue", if overdue { "1" } else { "" }),
                ("page", &p),
            ],
        )
    };
    let (token, cookie) = csrf_for(&req, &state);
    let page = ComplianceOverviewPage {
        chrome: Chrome::signed_in(token, &user.principal, "compliance"),
        percent: pct(&summary.percent),
        gap_total: gaps.total,
        gaps: gaps
            .items
            .into_iter()
            .map(|g| GapLine {
                target: g.target_date.map(date_vn).unwrap_or_default(),
                gap: g,
            })
            .collect(),
        orgs: orgs
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
            .collect(),
        baselines: state
            .rules
            .baselines()
            .iter()
            .map(|b| OptionItem {
                label: b.title.clone(),
                value: b.id.clone(),
            })
            .collect(),
        prev_href: (number > 1).then(|| filters((number - 1).min(pages).to_string())),
        next_href: (number < pages).then(|| filters((number + 1).to_string())),
        xlsx_href: href(
            "/compliance/gaps.xlsx",
            &[("organization_id", &org), ("baseline", &baseline)],
        ),
        summary,
        organization_id: org,
        baseline,
        responsible,
        overdue,
        page: number,
        pages,
        percent_rule: PERCENT_RULE,
    };
    respond(StatusCode::OK, &page, cookie)
}

/// The gap report as an Excel workbook, with the page's organisation and catalogue filters.
pub async fn xlsx(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<OverviewQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let today = today_in_vietnam();
    let (org, baseline) = (given(&query.organization_id), given(&query.baseline));
    match state
        .db
        .run(move |conn| {
            services::compliance_xlsx::gaps_xlsx(
                conn,
                &registry,
                &actor,
                Some(org.as_str()),
                Some(baseline.as_str()),
                today,
            )
        })
        .await
    {
        Ok(file) => xlsx_response(
            file,
            &format!("ton-tai-dap-ung-yeu-cau-{}.xlsx", today.format("%Y%m%d")),
        ),
        Err(e) => error_page(&req, &state, &user, e),
    }
}
