//! What an import answers: the mode, the column mapping (the user's choice or the recognised
//! headers), the required columns, and the report of every row.

use std::collections::HashMap;

use serde::Serialize;

use super::system_import_apply::RowError;
use crate::error::AppError;
use crate::export::system_columns::{by_key, match_header, Column, Role as ColumnRole};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    DryRun,
    Commit,
}

impl Mode {
    pub fn parse(s: Option<&str>) -> Result<Self, AppError> {
        match s.map(str::trim).unwrap_or("dry_run") {
            "" | "dry_run" => Ok(Self::DryRun),
            "commit" => Ok(Self::Commit),
            other => Err(AppError::field(
                "mode",
                format!(
                    "Chế độ `{other}` không hợp lệ; dùng dry_run (xem trước) hoặc commit (ghi)"
                ),
            )),
        }
    }
}

/// How one header of the file is read.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MappedHeader {
    /// Vị trí cột (từ 1).
    pub position: usize,
    pub header: String,
    /// Trường được gán; null: cột bị bỏ qua.
    pub field: Option<String>,
    /// Tên tiếng Việt của trường.
    pub field_header: Option<String>,
    /// Cột chỉ để hiển thị (số thứ tự, hồ sơ, cấp độ đã phê duyệt): không được nhập.
    pub shown_only: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ImportedRow {
    /// Số dòng trong bảng tính.
    pub row: usize,
    pub name: String,
    /// `create` hoặc `update`; null khi chưa xác định được.
    pub action: Option<String>,
    /// Hệ thống được cập nhật (hoặc đã tạo khi ghi).
    pub system_id: Option<String>,
    pub errors: Vec<RowError>,
    /// Cấp độ xác định theo tiêu chí mà dòng sẽ nhận.
    pub level: Option<i32>,
    pub proposed_level: Option<i32>,
    /// determined, needs_review, undetermined
    pub classification_status: Option<String>,
    /// Văn bản xác định cấp độ (bộ quy tắc).
    pub regime_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// dry_run hoặc commit
    pub mode: String,
    /// xlsx hoặc csv
    pub format: String,
    pub sheet: Option<String>,
    pub mapping: Vec<MappedHeader>,
    /// Tiêu đề cột không được gán cho trường nào.
    pub unmapped: Vec<String>,
    pub rows: Vec<ImportedRow>,
    pub total: usize,
    pub valid: usize,
    pub invalid: usize,
    pub creates: usize,
    pub updates: usize,
    /// Đã ghi vào cơ sở dữ liệu.
    pub committed: bool,
}

/// The field a mapping may name, for the web page's selects.
pub fn field_choices() -> Vec<(&'static str, &'static str)> {
    crate::export::system_columns::COLUMNS
        .iter()
        .filter(|c| c.role == ColumnRole::Data)
        .map(|c| (c.key, c.header))
        .collect()
}

/// The column each header is read as: the user's `mapping` (header → field key, "" to skip)
/// first, then the recognised headers.
pub fn map_headers(
    headers: &[String],
    mapping: Option<&HashMap<String, String>>,
) -> Result<Vec<Option<&'static Column>>, AppError> {
    let mut out = Vec::new();
    let mut used: HashMap<&str, &str> = HashMap::new();
    for header in headers {
        let column = match mapping.and_then(|m| m.get(header)) {
            Some(key) if key.trim().is_empty() || key == "-" => None,
            Some(key) => Some(by_key(key.trim()).ok_or_else(|| {
                AppError::field(
                    "mapping",
                    format!("Không có trường `{key}` (cột «{header}»)"),
                )
            })?),
            None => match_header(header),
        };
        if let Some(c) = column {
            if let Some(first) = used.insert(c.key, header) {
                return Err(AppError::field(
                    "mapping",
                    format!(
                        "Hai cột «{first}» và «{header}» cùng được gán cho «{}»; bỏ gán một cột",
                        c.header
                    ),
                ));
            }
        }
        out.push(column);
    }
    Ok(out)
}

/// The columns every file needs, as Vietnamese headers, that `mapped` lacks.
pub fn missing(mapped: &[Option<&'static Column>]) -> Vec<String> {
    let has = |k: &str| mapped.iter().flatten().any(|c| c.key == k);
    let mut out = Vec::new();
    if !has("name") && !has("register_name") {
        out.push("Tên hệ thống (hoặc Tên hệ thống thông tin)".to_string());
    }
    if !has("owner_name") {
        out.push("Chủ quản hệ thống".to_string());
    }
    if !has("function") && !has("facts") {
        out.push("Chức năng của hệ thống (hoặc Dữ kiện phân loại)".to_string());
    }
    out
}
