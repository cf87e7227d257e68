//! The register as a DOCX table: the seed report's seven columns under a title, streamed row by
//! row from the same paged reading as the XLSX and CSV files.

use chrono::NaiveDate;

use super::system_register::{date_vn, for_each, Context, TITLE};
use super::Actor;
use crate::db::AnyConn;
use crate::error::AppError;
use crate::export::docx::{Align, DocProps, DocxWriter, Paragraph, TableCell, TableLayout};
use crate::export::system_columns::exported;

/// The columns the document shows (the seed report's table) and their relative widths.
const SHOWN: [(&str, u32); 7] = [
    ("stt", 5),
    ("register_name", 30),
    ("operator_name", 17),
    ("proposed_level", 8),
    ("submission", 18),
    ("approved_level", 11),
    ("status", 11),
];

pub fn docx(
    conn: &mut AnyConn,
    actor: &Actor,
    organization_id: Option<&str>,
    today: NaiveDate,
) -> Result<std::fs::File, AppError> {
    let ctx = Context::load(conn, actor, organization_id)?;
    let positions: Vec<usize> = SHOWN
        .iter()
        .map(|(key, _)| {
            exported()
                .position(|c| c.key == *key)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("no register column {key}")))
        })
        .collect::<Result<_, _>>()?;
    let headers: Vec<&str> = exported().map(|c| c.header).collect();
    let props = DocProps {
        title: TITLE.into(),
        subject: ctx.scope_name.clone(),
        creator: "capdo".into(),
    };
    let io = AppError::internal;
    let mut w = DocxWriter::tempfile(&props).map_err(io)?;
    w.paragraph(
        &Paragraph::new()
            .bold(TITLE.to_uppercase())
            .align(Align::Center)
            .spacing(0, 6),
    )
    .map_err(io)?;
    let scope = if ctx.scope_name.is_empty() {
        format!("(Xuất ngày {})", date_vn(today))
    } else {
        format!(
            "(Đơn vị: {} và các đơn vị trực thuộc; xuất ngày {})",
            ctx.scope_name,
            date_vn(today)
        )
    };
    w.paragraph(
        &Paragraph::new()
            .italic(scope)
            .align(Align::Center)
            .spacing(0, 12),
    )
    .map_err(io)?;
    let weights: Vec<u32> = SHOWN.iter().map(|(_, w)| *w).collect();
    w.start_table(TableLayout::grid(&weights).size(11))
        .map_err(io)?;
    let titles: Vec<TableCell> = positions
        .iter()
        .map(|&i| TableCell::title(headers[i]))
        .collect();
    w.header_row(&titles).map_err(io)?;
    for_each(conn, &ctx, |e| {
        let cells: Vec<TableCell> = positions
            .iter()
            .map(|&i| TableCell::text(e.cells[i].as_str()))
            .collect();
        w.row(&cells).map_err(io)
    })?;
    w.end_table().map_err(io)?;
    w.finish_rewound().map_err(io)
}
