//! `/api/v1/classify` and `/api/v1/regimes`: propose a level with the law behind it.

use actix_web::web;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::validated;
use crate::auth::AuthUser;
use crate::domain::SystemFacts;
use crate::error::{AppError, ErrorBody};
use crate::rules::model::{PackMeta, Vocabulary};
use crate::rules::result::Classification;
use crate::services::classification;
use crate::startup::AppState;

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// Dữ kiện của hệ thống.
    pub facts: SystemFacts,
    /// Mã bộ quy tắc, ví dụ `nd85-2016`; mặc định theo cấu hình hoặc theo ngày.
    pub regime: Option<String>,
    /// Ngày xác định cấp độ (YYYY-MM-DD); chọn bộ quy tắc có hiệu lực vào ngày đó.
    pub date: Option<NaiveDate>,
}

#[derive(Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    pub facts: SystemFacts,
    /// Các bộ quy tắc cần so sánh.
    #[validate(length(min = 1, max = 10, message = "Chọn từ 1 đến 10 bộ quy tắc"))]
    pub regimes: Vec<String>,
    pub date: Option<NaiveDate>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CompareResponse {
    pub results: Vec<Classification<'static>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegimeSummary {
    #[serde(flatten)]
    pub meta: PackMeta,
    /// Số tiêu chí theo cấp độ 1–5.
    pub criteria_per_level: [usize; 5],
    pub minimum_rules: usize,
    pub vocabulary: Vocabulary,
    /// Bộ quy tắc đang có hiệu lực hôm nay.
    pub in_force_today: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegimeList {
    pub items: Vec<RegimeSummary>,
}

/// Propose the level of a system from its facts, with every clause that applies.
#[utoipa::path(post, path = "/api/v1/classify", tag = "classification", security(("bearer" = [])),
    request_body = ClassifyRequest,
    responses((status = 200, body = Classification), (status = 401, body = ErrorBody), (status = 422, description = "Dữ kiện không hợp lệ hoặc không có bộ quy tắc", body = ErrorBody)))]
pub async fn classify(
    state: web::Data<AppState>,
    _user: AuthUser,
    body: web::Json<ClassifyRequest>,
) -> Result<web::Json<serde_json::Value>, AppError> {
    let body = validated(body.into_inner())?;
    let result = classification::classify_json(
        &state.rules,
        &body.facts,
        body.regime.as_deref(),
        body.date,
        "facts.",
    )?;
    Ok(web::Json(result))
}

/// Classify the same facts under several regimes, side by side.
#[utoipa::path(post, path = "/api/v1/classify/compare", tag = "classification", security(("bearer" = [])),
    request_body = CompareRequest,
    responses((status = 200, body = CompareResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compare(
    state: web::Data<AppState>,
    _user: AuthUser,
    body: web::Json<CompareRequest>,
) -> Result<web::Json<serde_json::Value>, AppError> {
    let body = validated(body.into_inner())?;
    let results =
        classification::compare_json(&state.rules, &body.facts, &body.regimes, body.date)?;
    Ok(web::Json(serde_json::json!({ "results": results })))
}

/// The regimes (rule packs) capdo knows, with their dates.
#[utoipa::path(get, path = "/api/v1/regimes", tag = "classification", security(("bearer" = [])),
    responses((status = 200, body = RegimeList), (status = 401, body = ErrorBody)))]
pub async fn regimes(state: web::Data<AppState>, _user: AuthUser) -> web::Json<RegimeList> {
    let today = crate::rules::today_in_vietnam();
    let items = state
        .rules
        .packs()
        .iter()
        .map(|p| {
            let mut per_level = [0usize; 5];
            for c in &p.criteria {
                per_level[usize::from(c.level - 1)] += 1;
            }
            RegimeSummary {
                meta: p.meta.clone(),
                criteria_per_level: per_level,
                minimum_rules: p.minimums.len(),
                vocabulary: p.vocabulary.clone(),
                in_force_today: p.in_force_on(today),
            }
        })
        .collect();
    web::Json(RegimeList { items })
}
