//! The gap report as an XLSX workbook, written in constant memory while the gaps are read
//! from the database a few reviews at a time: "Tồn tại" (one row per gap) and "Tổng hợp"
//! (one row per current review with its percentage).

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::assessments::visible_orgs;
use super::compliance_report::{baselines, gap_of, sorted_reviews, SummarySort};
use super::Actor;
use crate::db::AnyConn;
use crate::domain::compliance::{Tally, PERCENT_RULE};
use crate::error::AppError;
use crate::repo::compliance_report as repo;
use crate::rules::Registry;

/// Reviews whose gaps are read per query (bounded memory: a few thousand rows at a time).
const CHUNK: usize = 100;

const GAP_COLUMNS: [(&str, f64); 13] = [
    ("STT", 7.0),
    ("Đơn vị", 28.0),
    ("Hệ thống", 34.0),
    ("Cấp độ", 8.0),
    ("Danh mục", 14.0),
    ("Mã", 10.0),
    ("Yêu cầu", 70.0),
    ("Nhóm", 30.0),
    ("Mức đáp ứng", 18.0),
    ("Người chịu trách nhiệm", 24.0),
    ("Ngày mục tiêu", 14.0),
    ("Quá hạn", 9.0),
    ("Cách đáp ứng", 50.0),
];

const SUMMARY_COLUMNS: [(&str, f64); 12] = [
    ("STT", 7.0),
    ("Đơn vị", 28.0),
    ("Hệ thống", 34.0),
    ("Cấp độ", 8.0),
    ("Danh mục", 14.0),
    ("Năm", 8.0),
    ("Số yêu cầu", 11.0),
    ("Đáp ứng", 10.0),
    ("Đáp ứng một phần", 12.0),
    ("Chưa đáp ứng", 11.0),
    ("Chưa đánh giá", 11.0),
    ("Tỷ lệ đáp ứng (%)", 14.0),
];

struct Formats {
    header: Format,
    wrap: Format,
    quoted: Format,
}

fn start(
    sheet: &mut Worksheet,
    name: &str,
    cols: &[(&str, f64)],
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (c, (title, width)) in cols.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(0, c as u16, *title, &f.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes text; a value that a spreadsheet could read as a formula gets the quote prefix.
fn text(sheet: &mut Worksheet, row: u32, col: u16, s: &str, f: &Formats) -> Result<(), XlsxError> {
    let format = if s.starts_with(['=', '+', '-', '@']) {
        &f.quoted
    } else {
        &f.wrap
    };
    sheet.write_string_with_format(row, col, s, format)?;
    Ok(())
}

/// The gap report of the actor's subtree (or of `organization_id`'s), in a rewound temp file.
pub fn gaps_xlsx(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    organization_id: Option<&str>,
    baseline: Option<&str>,
    today: NaiveDate,
) -> Result<std::fs::File, AppError> {
    let orgs = visible_orgs(conn, actor, organization_id.filter(|o| !o.is_empty()))?;
    let ids = baselines(registry, baseline)?;
    let mut reviews = sorted_reviews(conn, orgs.as_deref(), &ids, SummarySort::Name)?;
    reviews.sort_by(|(a, _), (b, _)| {
        a.organization_name
            .cmp(&b.organization_name)
            .then_with(|| a.system_name.cmp(&b.system_name))
            .then_with(|| a.system_id.cmp(&b.system_id))
            .then_with(|| a.baseline_id.cmp(&b.baseline_id))
    });
    write(conn, registry, &reviews, today).map_err(AppError::internal)
}

fn write(
    conn: &mut AnyConn,
    registry: &Registry,
    reviews: &[(repo::ReviewTally, Tally)],
    today: NaiveDate,
) -> anyhow::Result<std::fs::File> {
    let f = Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("#DDEBF7")
            .set_border(rust_xlsxwriter::FormatBorder::Thin),
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        quoted: Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_quote_prefix(),
    };
    let mut workbook = Workbook::new();
    start(
        workbook.add_worksheet_with_constant_memory()?,
        "Tồn tại",
        &GAP_COLUMNS,
        &f,
    )?;
    let mut row = 1u32;
    let with_gaps: Vec<&str> = reviews
        .iter()
        .filter(|(_, t)| t.gaps() > 0)
        .map(|(r, _)| r.review_id.as_str())
        .collect();
    let position: std::collections::HashMap<&str, usize> = with_gaps
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    for chunk in with_gaps.chunks(CHUNK) {
        let ids: Vec<String> = chunk.iter().map(|s| s.to_string()).collect();
        let mut items = repo::gaps_of_reviews(conn, &ids)?;
        // Keep the report's order of reviews inside the chunk.
        items.sort_by_key(|g| (position.get(g.review_id.as_str()).copied(), g.position));
        let sheet = workbook.worksheet_from_index(0)?;
        for item in items {
            let g = gap_of(registry, item, today);
            sheet.write_number(row, 0, f64::from(row))?;
            text(sheet, row, 1, &g.organization_name, &f)?;
            text(sheet, row, 2, &g.system_name, &f)?;
            sheet.write_number(row, 3, f64::from(g.level))?;
            text(sheet, row, 4, &g.baseline, &f)?;
            text(sheet, row, 5, &g.requirement_code, &f)?;
            text(sheet, row, 6, &g.requirement_text, &f)?;
            text(sheet, row, 7, &g.group_title, &f)?;
            text(sheet, row, 8, &g.status_label, &f)?;
            text(
                sheet,
                row,
                9,
                g.responsible_name.as_deref().unwrap_or(""),
                &f,
            )?;
            if let Some(d) = g.target_date {
                text(sheet, row, 10, &d.format("%d/%m/%Y").to_string(), &f)?;
            }
            text(sheet, row, 11, if g.overdue { "Có" } else { "" }, &f)?;
            text(sheet, row, 12, g.how_met.as_deref().unwrap_or(""), &f)?;
            row += 1;
        }
    }
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    start(sheet, "Tổng hợp", &SUMMARY_COLUMNS, &f)?;
    let mut total = Tally::default();
    let mut n = 1u32;
    for (r, t) in reviews {
        total.add(t);
        sheet.write_number(n, 0, f64::from(n))?;
        text(sheet, n, 1, &r.organization_name, &f)?;
        text(sheet, n, 2, &r.system_name, &f)?;
        sheet.write_number(n, 3, f64::from(r.level))?;
        text(sheet, n, 4, &r.baseline_id, &f)?;
        sheet.write_number(n, 5, f64::from(r.year))?;
        for (c, v) in [t.total, t.met, t.partial, t.not_met, t.to_review]
            .into_iter()
            .enumerate()
        {
            sheet.write_number(n, 6 + c as u16, v as f64)?;
        }
        if let Some(p) = t.percent() {
            sheet.write_number(n, 11, p)?;
        }
        n += 1;
    }
    text(sheet, n, 2, "Tổng cộng", &f)?;
    for (c, v) in [
        total.total,
        total.met,
        total.partial,
        total.not_met,
        total.to_review,
    ]
    .into_iter()
    .enumerate()
    {
        sheet.write_number(n, 6 + c as u16, v as f64)?;
    }
    if let Some(p) = total.percent() {
        sheet.write_number(n, 11, p)?;
    }
    text(sheet, n + 2, 2, PERCENT_RULE, &f)?;
    let mut file = tempfile::tempfile()?;
    workbook.save_to_writer(&mut file)?;
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}
