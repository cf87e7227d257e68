//! `GET /reports/annual`: the annual report's figures of the user's subtree for a report
//! year, with year and unit selectors; `.xlsx` and `.docx` download the same report.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::pages::csrf_for;
use super::system_templates::OptionItem;
use super::systems::{error_page, login_redirect, respond};
use super::templates::Chrome;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::export::download::{docx_response, xlsx_response};
use crate::rules::today_in_vietnam;
use crate::services::annual_report::{self as service, AnnualReport};
use crate::services::annual_report_period::FIRST_YEAR;
use crate::services::annual_report_tables::{heading, prose, sections, Cell};
use crate::services::{self, Actor};
use crate::startup::AppState;

#[derive(Deserialize)]
pub struct AnnualQuery {
    year: Option<String>,
    organization_id: Option<String>,
}

/// One table cell as shown: its text and whether it is a figure (right-aligned).
pub struct CellView {
    pub text: String,
    pub figure: bool,
}

pub struct SectionView {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<CellView>>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/annual_report.html")]
pub struct AnnualReportPage {
    pub chrome: Chrome,
    pub title: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub organization_id: String,
    pub orgs: Vec<OptionItem>,
    pub heading: Vec<(String, String)>,
    pub sections: Vec<SectionView>,
    pub prose: Vec<String>,
    pub notice: Option<String>,
    pub xlsx_href: String,
    pub docx_href: String,
}

fn section_views(report: &AnnualReport) -> Vec<SectionView> {
    sections(report)
        .into_iter()
        .map(|s| SectionView {
            title: s.title,
            columns: s.columns,
            rows: s
                .rows
                .iter()
                .map(|cells| {
                    cells
                        .iter()
                        .map(|c| CellView {
                            text: c.display(),
                            figure: !matches!(c, Cell::Text(_)),
                        })
                        .collect()
                })
                .collect(),
            note: s.note,
        })
        .collect()
}

fn query_string(year: i32, organization_id: &str) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("year", &year.to_string());
    if !organization_id.is_empty() {
        s.append_pair("organization_id", organization_id);
    }
    s.finish()
}

fn given(v: &Option<String>) -> String {
    v.as_deref().map(str::trim).unwrap_or_default().to_string()
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<AnnualQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let today = today_in_vietnam();
    let latest = service::current_year(today);
    let mut notice = None;
    // A year that means nothing falls back to the current one, with a notice.
    let year = match service::parse_year(query.year.as_deref(), today) {
        Ok(y) => y,
        Err(e) => {
            notice = Some(format!("{e}; báo cáo hiển thị năm {latest}."));
            latest
        }
    };
    let asked: String = given(&query.organization_id).chars().take(64).collect();
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let loaded = state
        .db
        .run(move |conn| {
            let orgs = services::organizations::list(conn, &actor, Default::default())?;
            // An organisation outside the user's subtree is dropped, not refused.
            let kept = Some(asked.clone()).filter(|a| orgs.iter().any(|o| &o.id == a));
            let report = service::gather(conn, &registry, &actor, kept.as_deref(), year, today)?;
            Ok::<_, AppError>((orgs, kept, asked, report))
        })
        .await;
    let (orgs, kept, asked, report) = match loaded {
        Ok(found) => found,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    if !asked.is_empty() && kept.is_none() {
        notice = Some(
            "Đơn vị đã chọn không thuộc phạm vi của bạn; báo cáo gồm mọi đơn vị trong phạm vi."
                .into(),
        );
    }
    let organization_id = kept.unwrap_or_default();
    let q = query_string(year, &organization_id);
    let (token, cookie) = csrf_for(&req, &state);
    let page = AnnualReportPage {
        chrome: Chrome::signed_in(token, &user.principal, "annual_report"),
        title: report.basis.title.to_string(),
        year,
        years: (FIRST_YEAR..=latest).rev().collect(),
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
        heading: heading(&report),
        sections: section_views(&report),
        prose: prose(&report),
        notice,
        xlsx_href: format!("/reports/annual.xlsx?{q}"),
        docx_href: format!("/reports/annual.docx?{q}"),
        organization_id,
    };
    respond(StatusCode::OK, &page, cookie)
}

/// The report of the query, or the error page (a bad year is refused here: a download has
/// no page to show a notice on).
async fn report_for(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    user: &AuthUser,
    query: &AnnualQuery,
) -> Result<AnnualReport, HttpResponse> {
    let today = today_in_vietnam();
    let year = service::parse_year(query.year.as_deref(), today)
        .map_err(|e| error_page(req, state, user, e))?;
    let org = Some(given(&query.organization_id)).filter(|o| !o.is_empty());
    let actor = Actor::user(user);
    let registry = state.rules.clone();
    state
        .db
        .run(move |conn| service::gather(conn, &registry, &actor, org.as_deref(), year, today))
        .await
        .map_err(|e| error_page(req, state, user, e))
}

pub async fn xlsx(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<AnnualQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let report = match report_for(&req, &state, &user, &query).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let year = report.year;
    match web::block(move || services::annual_report_xlsx::xlsx(&report)).await {
        Ok(Ok(file)) => xlsx_response(file, &format!("bao-cao-nam-{year}.xlsx")),
        Ok(Err(e)) => error_page(&req, &state, &user, e),
        Err(e) => error_page(&req, &state, &user, e.into()),
    }
}

pub async fn docx(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<AnnualQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let report = match report_for(&req, &state, &user, &query).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let year = report.year;
    match web::block(move || services::annual_report_docx::docx(&report)).await {
        Ok(Ok(file)) => docx_response(file, &format!("bao-cao-nam-{year}.docx")),
        Ok(Err(e)) => error_page(&req, &state, &user, e),
        Err(e) => error_page(&req, &state, &user, e.into()),
    }
}
