//! Classifying facts under one or several regimes (shared by the API and the CLI).

use chrono::NaiveDate;

use crate::domain::SystemFacts;
use crate::error::{AppError, FieldErrors};
use crate::rules::{today_in_vietnam, Classification, Registry};

/// Classifies `facts` under the chosen regime as JSON; field errors are named with `prefix`.
pub fn classify_json(
    registry: &Registry,
    facts: &SystemFacts,
    regime: Option<&str>,
    date: Option<NaiveDate>,
    prefix: &str,
) -> Result<serde_json::Value, AppError> {
    let today = today_in_vietnam();
    let pack = registry
        .resolve(regime, date, today)
        .map_err(|e| AppError::field("regime", e.to_string()))?;
    let result: Classification<'_> = registry
        .classify(pack, facts, date.unwrap_or(today))
        .map_err(|errors| facts_invalid(errors, prefix))?;
    serde_json::to_value(&result).map_err(AppError::internal)
}

/// One result per requested regime, in the order asked.
pub fn compare_json(
    registry: &Registry,
    facts: &SystemFacts,
    regimes: &[String],
    date: Option<NaiveDate>,
) -> Result<Vec<serde_json::Value>, AppError> {
    if regimes.is_empty() {
        return Err(AppError::field(
            "regimes",
            "Vui lòng chọn ít nhất một bộ quy tắc",
        ));
    }
    let mut results = Vec::with_capacity(regimes.len());
    for id in regimes {
        let pack = registry.get(id).ok_or_else(|| {
            let known: Vec<_> = registry
                .packs()
                .iter()
                .map(|p| p.meta.id.as_str())
                .collect();
            AppError::field(
                "regimes",
                format!(
                    "Không có bộ quy tắc `{id}`; các bộ hiện có: {}",
                    known.join(", ")
                ),
            )
        })?;
        let result = registry
            .classify(pack, facts, date.unwrap_or_else(today_in_vietnam))
            .map_err(|e| facts_invalid(e, "facts."))?;
        results.push(serde_json::to_value(&result).map_err(AppError::internal)?);
    }
    Ok(results)
}

fn facts_invalid(errors: FieldErrors, prefix: &str) -> AppError {
    let fields = errors
        .into_iter()
        .map(|(k, v)| (format!("{prefix}{k}"), v))
        .collect();
    AppError::Validation {
        message: "Dữ kiện của hệ thống không hợp lệ".into(),
        fields,
    }
}
