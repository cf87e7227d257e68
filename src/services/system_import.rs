//! Importing systems from a register file (XLSX or CSV): the column mapping, every row checked
//! and run through the register's own create and update use cases inside ONE write
//! transaction, which a dry run rolls back and a commit keeps only when no row has an error.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::system_import_apply::{apply_cells, blank_input, Headers, RowError};
pub use super::system_import_map::{field_choices, ImportReport, ImportedRow, MappedHeader, Mode};
use super::system_import_map::{map_headers, missing};
use super::system_import_rows::{split_register_name, Cells, OrgLookup};
use super::systems::{self, SystemView};
use super::Actor;
use crate::db::{write_tx, AnyConn};
use crate::domain::Role;
use crate::error::{AppError, FieldErrors};
use crate::export::import_table::{Format, Table};
use crate::export::system_columns::Role as ColumnRole;
use crate::repo::system_register as repo;
use crate::repo::systems as systems_repo;
use crate::rules::Registry;

/// The most data rows one file may have.
pub const MAX_ROWS: usize = 20_000;
/// Row errors listed in the answer to a refused commit.
const LISTED_ERRORS: usize = 50;
/// The marker of the rollback that ends a dry run.
const ROLLBACK: &str = "system-import-rollback";

/// How an import runs: the user's corrections to the header mapping, dry run or commit, and the
/// owning unit of rows that name none.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub mapping: Option<HashMap<String, String>>,
    pub mode: Mode,
    pub default_org: String,
}

/// Reads, checks and (in commit mode, when every row is valid) stores the systems of `table`.
/// A commit with any row error answers 422 and writes nothing.
pub fn run(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    table: Table,
    options: &ImportOptions,
    today: NaiveDate,
) -> Result<ImportReport, AppError> {
    let mapping = options.mapping.as_ref();
    let mode = options.mode;
    let default_org = options.default_org.as_str();
    if actor.role == Role::Viewer {
        return Err(AppError::forbidden());
    }
    let columns = map_headers(&table.headers, mapping)?;
    let lacking = missing(&columns);
    if !lacking.is_empty() {
        let mut fields = FieldErrors::new();
        fields.insert(
            "columns".into(),
            lacking.iter().map(|c| format!("Thiếu cột «{c}»")).collect(),
        );
        return Err(AppError::Validation {
            message: format!("Tệp thiếu cột bắt buộc: {}", lacking.join("; ")),
            fields,
        });
    }
    let mut report = ImportReport {
        mode: if mode == Mode::Commit {
            "commit"
        } else {
            "dry_run"
        }
        .into(),
        format: if table.format == Format::Xlsx {
            "xlsx"
        } else {
            "csv"
        }
        .into(),
        sheet: table.sheet.clone(),
        mapping: Vec::new(),
        unmapped: Vec::new(),
        rows: Vec::new(),
        total: table.rows.len(),
        valid: 0,
        invalid: 0,
        creates: 0,
        updates: 0,
        committed: false,
    };
    for (i, (header, column)) in table.headers.iter().zip(&columns).enumerate() {
        if column.is_none() {
            report.unmapped.push(header.clone());
        }
        report.mapping.push(MappedHeader {
            position: i + 1,
            header: header.clone(),
            field: column.map(|c| c.key.to_string()),
            field_header: column.map(|c| c.header.to_string()),
            shown_only: column.is_some_and(|c| c.role == ColumnRole::Shown),
        });
    }
    let headers = Headers::new(&table.headers, &columns);
    let scope: Vec<(String, String, String)> = repo::organizations(conn)?
        .into_iter()
        .filter(|(_, _, _, path)| path.starts_with(&actor.scope_path))
        .map(|(id, code, name, _)| (id, code, name))
        .collect();
    let in_scope: HashSet<String> = scope.iter().map(|o| o.0.clone()).collect();
    let orgs = OrgLookup::new(scope);
    let ctx = RowContext {
        registry,
        actor,
        headers: &headers,
        orgs: &orgs,
        in_scope: &in_scope,
        default_org,
        today,
    };
    let rows = table.rows;
    let outcome = write_tx(conn, |conn| {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for row in &rows {
            let cells = Cells::new(
                columns
                    .iter()
                    .zip(&row.cells)
                    .filter_map(|(c, v)| {
                        c.filter(|c| c.role == ColumnRole::Data)
                            .map(|c| (c.key, v.clone()))
                    })
                    .chain(
                        // Columns past the row's last cell are empty.
                        columns
                            .iter()
                            .skip(row.cells.len())
                            .flatten()
                            .filter(|c| c.role == ColumnRole::Data)
                            .map(|c| (c.key, String::new())),
                    ),
            );
            let done = import_row(conn, &ctx, row.number, &cells, &mut seen)?;
            if done.errors.is_empty() {
                report.valid += 1;
                match done.action.as_deref() {
                    Some("create") => report.creates += 1,
                    Some("update") => report.updates += 1,
                    _ => {}
                }
            } else {
                report.invalid += 1;
            }
            report.rows.push(done);
        }
        if mode == Mode::Commit && report.invalid == 0 {
            Ok(())
        } else {
            Err(AppError::Conflict(ROLLBACK.into()))
        }
    });
    match outcome {
        Ok(()) => {
            report.committed = true;
            Ok(report)
        }
        Err(AppError::Conflict(m)) if m == ROLLBACK => {
            if mode == Mode::Commit {
                Err(refused(&report))
            } else {
                Ok(report)
            }
        }
        Err(e) => Err(e),
    }
}

fn refused(report: &ImportReport) -> AppError {
    let listed: Vec<String> = report
        .rows
        .iter()
        .flat_map(|r| {
            r.errors
                .iter()
                .map(move |e| format!("Dòng {}, cột «{}»: {}", r.row, e.column, e.message))
        })
        .take(LISTED_ERRORS)
        .collect();
    let mut fields = FieldErrors::new();
    fields.insert("rows".into(), listed);
    AppError::Validation {
        message: format!(
            "{} dòng có lỗi: chưa ghi hệ thống nào; sửa tệp rồi nhập lại",
            report.invalid
        ),
        fields,
    }
}

struct RowContext<'a> {
    registry: &'a Registry,
    actor: &'a Actor,
    headers: &'a Headers,
    orgs: &'a OrgLookup,
    in_scope: &'a HashSet<String>,
    default_org: &'a str,
    today: NaiveDate,
}

impl RowContext<'_> {
    fn visible(&self, owner: &str, operator: Option<&str>) -> bool {
        self.actor.scope_path.matches('/').count() <= 2
            || self.in_scope.contains(owner)
            || operator.is_some_and(|o| self.in_scope.contains(o))
    }
}

/// Finds the system a row stands for: by capdo id, by external id, by name and owner.
fn target(
    conn: &mut AnyConn,
    ctx: &RowContext<'_>,
    cells: &Cells,
    name: &str,
    errors: &mut Vec<RowError>,
) -> Result<Option<String>, AppError> {
    if let Some(id) = cells.text("id") {
        if let Some(row) = systems_repo::find(conn, id)? {
            if ctx.visible(&row.organization_id, row.operator_id.as_deref()) {
                return Ok(Some(row.id));
            }
            errors.push(ctx.headers.error(
                "id",
                format!("Hệ thống «{id}» không thuộc phạm vi quản lý của bạn"),
            ));
            return Ok(None);
        }
    }
    if let Some(ext) = cells.text("external_id") {
        let found: Vec<_> = repo::with_external_id(conn, ext)?
            .into_iter()
            .filter(|(_, org, op)| ctx.visible(org, op.as_deref()))
            .collect();
        match found.as_slice() {
            [one] => return Ok(Some(one.0.clone())),
            [] => {}
            _ => {
                errors.push(ctx.headers.error(
                    "external_id",
                    format!("Có nhiều hệ thống mang mã tham chiếu «{ext}»"),
                ));
                return Ok(None);
            }
        }
    }
    let org = match (
        cells.text("organization_code"),
        cells.text("organization_name"),
    ) {
        (Some(code), _) => ctx.orgs.by_code(code).ok(),
        (None, Some(n)) => ctx.orgs.by_name(n).ok(),
        (None, None) => Some(ctx.default_org.to_string()),
    };
    if let (Some(org), false) = (org, name.is_empty()) {
        let name = super::system_checks::clean(name);
        match repo::named(conn, &org, &name)?.as_slice() {
            [one] => return Ok(Some(one.clone())),
            [] => {}
            _ => errors.push(ctx.headers.error(
                "name",
                format!("Đơn vị đã có nhiều hệ thống tên «{name}»: thêm cột Mã hệ thống để chọn đúng hệ thống"),
            )),
        }
    }
    Ok(None)
}

fn import_row(
    conn: &mut AnyConn,
    ctx: &RowContext<'_>,
    number: usize,
    cells: &Cells,
    seen: &mut HashMap<String, usize>,
) -> Result<ImportedRow, AppError> {
    let name = cells
        .text("name")
        .map(str::to_string)
        .or_else(|| {
            cells
                .text("register_name")
                .map(|v| split_register_name(v).0)
        })
        .unwrap_or_default();
    let mut out = ImportedRow {
        row: number,
        name: name.clone(),
        action: None,
        system_id: None,
        errors: Vec::new(),
        level: None,
        proposed_level: None,
        classification_status: None,
        regime_id: None,
    };
    let target = target(conn, ctx, cells, &name, &mut out.errors)?;
    if !out.errors.is_empty() {
        return Ok(out);
    }
    let key = target.clone().unwrap_or_else(|| {
        let org = cells
            .text("organization_code")
            .or(cells.text("organization_name"))
            .unwrap_or_default();
        format!("new:{}:{}", search_name(org), search_name(&name))
    });
    if let Some(first) = seen.insert(key, number) {
        out.errors.push(ctx.headers.error(
            if target.is_some() { "id" } else { "name" },
            format!("Trùng với dòng {first}: cùng một hệ thống"),
        ));
        return Ok(out);
    }
    out.action = Some(if target.is_some() { "update" } else { "create" }.into());
    let mut errors = Vec::new();
    let result = match &target {
        None => {
            let mut input = blank_input(ctx.default_org);
            apply_cells(&mut input, cells, ctx.orgs, ctx.headers, &mut errors);
            if !errors.is_empty() {
                out.errors = errors;
                return Ok(out);
            }
            systems::create(conn, ctx.registry, ctx.actor, input, ctx.today)
        }
        Some(id) => systems::update(
            conn,
            ctx.registry,
            ctx.actor,
            id,
            |input| {
                apply_cells(input, cells, ctx.orgs, ctx.headers, &mut errors);
                if errors.is_empty() {
                    Ok(())
                } else {
                    Err(AppError::Conflict(ROLLBACK.into()))
                }
            },
            ctx.today,
        ),
    };
    out.system_id = target.clone();
    match result {
        Ok(view) => {
            if cells.has("external_id") {
                repo::set_external_id(conn, &view.id, cells.text("external_id"))?;
            }
            fill_result(&mut out, &view, target.is_none());
        }
        Err(AppError::Conflict(m)) if m == ROLLBACK => out.errors = errors,
        Err(AppError::Validation { message, fields }) => {
            out.errors = fields
                .into_iter()
                .flat_map(|(field, messages)| {
                    messages
                        .into_iter()
                        .map(move |m| ctx.headers.field_error(&field, m))
                        .collect::<Vec<_>>()
                })
                .collect();
            if out.errors.is_empty() {
                out.errors.push(ctx.headers.error("name", message));
            }
        }
        Err(AppError::Forbidden(m)) => out.errors.push(ctx.headers.error("id", m)),
        Err(AppError::NotFound(m)) => out.errors.push(ctx.headers.error("id", m)),
        Err(e) => return Err(e),
    }
    Ok(out)
}

fn search_name(name: &str) -> String {
    crate::domain::search::search_key(name)
}

fn fill_result(out: &mut ImportedRow, view: &SystemView, created: bool) {
    if created {
        out.system_id = Some(view.id.clone());
    }
    out.level = view.classification.level;
    out.proposed_level = view.proposed_level;
    out.classification_status = Some(view.classification.status.clone());
    out.regime_id = Some(view.classification.regime_id.clone());
}
