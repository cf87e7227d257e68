//! `/api/v1/requirements`: the baseline requirements catalogues, whole or as they apply to
//! one level and hosting.

use std::collections::BTreeMap;

use actix_web::web;
use serde::{Deserialize, Serialize};

use crate::auth::AuthUser;
use crate::error::{AppError, ErrorBody};
use crate::rules::baseline::{Baseline, Part, Requirement, HOSTING_KINDS};
use crate::rules::AlsoRequired;
use crate::startup::AppState;

const PARTS: [Part; 5] = [
    Part::Management,
    Part::Zone,
    Part::Design,
    Part::Configuration,
    Part::General,
];

/// Một danh mục yêu cầu cơ bản, với số yêu cầu theo phần và cấp độ.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogueSummary {
    /// Ví dụ `tt12-2022`.
    pub id: String,
    pub title: String,
    /// Chế độ pháp lý (bộ quy tắc) có hệ thống theo danh mục này.
    pub regime: String,
    /// Tiêu chuẩn quốc gia được dẫn điều khoản.
    pub standard: String,
    pub note: Option<String>,
    /// Các chế độ khác cũng phải đáp ứng danh mục này, và hạn.
    pub also_required: Vec<AlsoRequired>,
    /// Số yêu cầu theo phần (`management`, `zone`, `design`, `configuration`, `general`) rồi
    /// theo cấp độ (`"1"`…`"5"`), không kể yêu cầu chỉ áp dụng cho một cách đặt hệ thống.
    pub counts: BTreeMap<String, BTreeMap<String, usize>>,
    pub requirement_count: usize,
}

/// Lọc danh mục theo cấp độ và cách đặt hệ thống.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CatalogueQuery {
    /// Cấp độ 1–5: chỉ các yêu cầu áp dụng ở cấp độ này.
    #[param(value_type = Option<u8>)]
    pub level: Option<String>,
    /// `provincial_data_center`, `own_server_room`, `outside_provider` hoặc `cloud`.
    pub hosting: Option<String>,
}

/// Một nhóm yêu cầu của danh mục.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogueGroup {
    pub code: String,
    pub part: Part,
    pub part_label: String,
    pub title: String,
    pub requirements: Vec<Requirement>,
}

/// Danh mục yêu cầu theo nhóm (toàn bộ, hoặc chỉ các yêu cầu áp dụng).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogueView {
    #[serde(flatten)]
    pub summary: CatalogueSummary,
    /// Cấp độ đã lọc, nếu có.
    pub level: Option<u8>,
    /// Cách đặt hệ thống đã lọc, nếu có.
    pub hosting: Option<String>,
    pub groups: Vec<CatalogueGroup>,
}

fn summary(b: &Baseline) -> CatalogueSummary {
    let counts = PARTS
        .iter()
        .map(|p| {
            let per_level = (1..=5u8).map(|l| (l.to_string(), b.count(*p, l))).collect();
            (p.as_str().to_string(), per_level)
        })
        .collect();
    CatalogueSummary {
        id: b.id.clone(),
        title: b.title.clone(),
        regime: b.regime.clone(),
        standard: b.standard.clone(),
        note: b.note.clone(),
        also_required: b.also_required.clone(),
        counts,
        requirement_count: b.requirements.len(),
    }
}

#[utoipa::path(get, path = "/api/v1/requirements", tag = "compliance", security(("bearer" = [])),
    responses((status = 200, description = "Các danh mục yêu cầu cơ bản theo cấp độ", body = Vec<CatalogueSummary>),
        (status = 401, body = ErrorBody)))]
pub async fn list(state: web::Data<AppState>, _user: AuthUser) -> web::Json<Vec<CatalogueSummary>> {
    web::Json(state.rules.baselines().iter().map(|b| summary(b)).collect())
}

fn level_of(value: Option<&str>) -> Result<Option<u8>, AppError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    match v.parse::<u8>() {
        Ok(l) if (1..=5).contains(&l) => Ok(Some(l)),
        _ => Err(AppError::field("level", "Cấp độ là số từ 1 đến 5")),
    }
}

#[utoipa::path(get, path = "/api/v1/requirements/{baseline}", tag = "compliance", security(("bearer" = [])),
    params(("baseline" = String, Path, description = "Mã danh mục, ví dụ `tt12-2022`"), CatalogueQuery),
    responses((status = 200, body = CatalogueView),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "Cấp độ hoặc cách đặt hệ thống không hợp lệ", body = ErrorBody)))]
pub async fn get(
    state: web::Data<AppState>,
    _user: AuthUser,
    baseline: web::Path<String>,
    query: web::Query<CatalogueQuery>,
) -> Result<web::Json<CatalogueView>, AppError> {
    let b = state
        .rules
        .baseline(&baseline)
        .ok_or_else(|| AppError::NotFound(format!("Không có danh mục yêu cầu `{baseline}`")))?;
    let query = query.into_inner();
    let level = level_of(query.level.as_deref())?;
    let hosting = query.hosting.filter(|h| !h.trim().is_empty());
    if let Some(h) = &hosting {
        if !HOSTING_KINDS.contains(&h.as_str()) {
            return Err(AppError::field(
                "hosting",
                format!(
                    "Cách đặt hệ thống là một trong: {}",
                    HOSTING_KINDS.join(", ")
                ),
            ));
        }
    }
    let keep = |r: &Requirement| match level {
        Some(l) => r.applies(l, hosting.as_deref()),
        None => {
            r.hosting.is_empty()
                || hosting.as_ref().is_some_and(|h| r.hosting.contains(h))
                || hosting.is_none()
        }
    };
    let groups = b
        .groups
        .iter()
        .map(|g| CatalogueGroup {
            code: g.code.clone(),
            part: g.part,
            part_label: g.part.label().into(),
            title: g.title.clone(),
            requirements: b
                .requirements
                .iter()
                .filter(|r| r.group == g.code && keep(r))
                .cloned()
                .collect(),
        })
        .filter(|g| !g.requirements.is_empty())
        .collect();
    Ok(web::Json(CatalogueView {
        summary: summary(b),
        level,
        hosting,
        groups,
    }))
}
