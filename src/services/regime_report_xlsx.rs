//! The regime-change report as an XLSX workbook, written in constant memory beside the scan.

use chrono::NaiveDate;

use super::regime_report::{regimes, scan, ReportFilter, ReportRow};
use super::Actor;
use crate::db::AnyConn;
use crate::error::AppError;
use crate::export::xlsx::{Cell, XlsxTable};
use crate::rules::Registry;

/// The report as an XLSX workbook in a rewound temporary file: the table sheet is written row
/// by row while the subtree is scanned, then a summary sheet with the totals.
pub fn xlsx(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    filter: &ReportFilter,
    today: NaiveDate,
) -> Result<std::fs::File, AppError> {
    let (old, new) = regimes(registry, today)?;
    let level_col = |title: &str| format!("Cấp độ theo {title}");
    let old_col = level_col(&old.meta.title);
    let new_col = level_col(&new.meta.title);
    let columns = [
        ("STT", 6.0),
        ("Hệ thống thông tin", 36.0),
        ("Đơn vị quản lý", 28.0),
        ("Cấp độ đã phê duyệt", 12.0),
        ("Quyết định phê duyệt", 28.0),
        (old_col.as_str(), 14.0),
        (new_col.as_str(), 14.0),
        ("Thay đổi", 12.0),
        ("Cần người có thẩm quyền xem xét", 14.0),
        ("Căn cứ của thay đổi", 60.0),
        ("Dữ kiện còn thiếu", 40.0),
        ("Việc cần làm", 70.0),
        ("Hạn gần nhất", 14.0),
    ];
    let xlsx_error = |e: rust_xlsxwriter::XlsxError| AppError::internal(anyhow::anyhow!(e));
    let table = XlsxTable::new("Thay đổi cấp độ", &columns).map_err(xlsx_error)?;
    // The writer runs beside the scan: the scan classifies on every core, the workbook is
    // written as rows arrive, and neither ever holds the whole report.
    let (rows, received) = std::sync::mpsc::sync_channel::<ReportRow>(2048);
    let (scanned, table) = std::thread::scope(|s| {
        let writer = s.spawn(move || -> Result<XlsxTable, AppError> {
            let mut table = table;
            for row in received {
                write_row(&mut table, &row).map_err(xlsx_error)?;
            }
            Ok(table)
        });
        let scanned = scan(conn, registry, actor, filter, today, move |row| {
            rows.send(row)
                .map_err(|_| AppError::internal(anyhow::anyhow!("report writer stopped")))
        });
        (scanned, writer.join().expect("report writer panicked"))
    });
    let table = table?;
    let (header, totals) = scanned?;
    let summary = vec![
        (
            "Báo cáo".to_string(),
            format!(
                "Thay đổi cấp độ khi chuyển từ {} sang {}",
                header.old_title, header.new_title
            ),
        ),
        (
            "Ngày lập".to_string(),
            header.date.format("%d/%m/%Y").to_string(),
        ),
        ("Số hệ thống".to_string(), totals.systems.to_string()),
        ("Cấp độ tăng".to_string(), totals.up.to_string()),
        ("Cấp độ giảm".to_string(), totals.down.to_string()),
        ("Không đổi".to_string(), totals.same.to_string()),
        (
            "Chưa xác định được".to_string(),
            totals.undetermined.to_string(),
        ),
        (
            "Cần người có thẩm quyền xem xét".to_string(),
            totals.needs_review.to_string(),
        ),
        (
            "Còn thiếu dữ kiện".to_string(),
            totals.missing_facts.to_string(),
        ),
    ];
    table
        .finish("Tổng hợp", &summary)
        .map_err(AppError::internal)
}

/// One report row as a table row.
fn write_row(table: &mut XlsxTable, row: &ReportRow) -> Result<(), rust_xlsxwriter::XlsxError> {
    let level = |l: Option<u8>| {
        l.map_or(Cell::Text("Chưa xác định"), |l| {
            Cell::Number(f64::from(l))
        })
    };

    let decision = match (&row.approval_decision_number, row.approval_decision_date) {
        (Some(n), Some(d)) => format!(
            "{n} ngày {}{}",
            d.format("%d/%m/%Y"),
            row.approved_regime
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        _ => String::new(),
    };
    let causes = row
        .causes
        .iter()
        .map(|c| format!("{} (cấp độ {}): {}", c.citation, c.level, c.summary))
        .collect::<Vec<_>>()
        .join("\n");
    let missing = row
        .missing
        .iter()
        .map(|m| m.label)
        .collect::<Vec<_>>()
        .join("; ");
    let actions = row
        .actions
        .iter()
        .map(|a| match a.due {
            Some(due) => format!("{} — hạn {}", a.title, due.format("%d/%m/%Y")),
            None => a.title.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let nearest = row.actions.iter().filter_map(|a| a.due).min();
    let number = f64::from(table.rows() + 1);
    table.push(&[
        Cell::Number(number),
        Cell::Text(&row.name),
        Cell::Text(&row.organization_name),
        row.approved_level
            .map_or(Cell::Empty, |l| Cell::Number(f64::from(l))),
        Cell::Owned(decision),
        level(row.old_level),
        level(row.new_level),
        Cell::Text(row.direction.label()),
        Cell::Text(if row.needs_review { "Có" } else { "" }),
        Cell::Owned(causes),
        Cell::Owned(missing),
        Cell::Owned(actions),
        nearest.map_or(Cell::Empty, |d| {
            Cell::Owned(d.format("%d/%m/%Y").to_string())
        }),
    ])
}
