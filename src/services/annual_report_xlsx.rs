//! The annual report as a one-sheet XLSX workbook: the heading lines, then each table of
//! `annual_report_tables` under its title (small: written in memory, saved to a temp file).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::annual_report::AnnualReport;
use super::annual_report_tables::{heading, sections, Cell};
use crate::error::AppError;
use crate::export::cells::neutralise;

struct Formats {
    title: Format,
    label: Format,
    section: Format,
    header: Format,
    text: Format,
    number: Format,
    percent: Format,
    note: Format,
}

fn formats() -> Formats {
    let cell = || {
        Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top)
    };
    Formats {
        title: Format::new().set_bold().set_font_size(14),
        label: Format::new().set_bold().set_align(FormatAlign::Top),
        section: Format::new().set_bold().set_font_size(12),
        header: cell()
            .set_bold()
            .set_text_wrap()
            .set_background_color("#DDEBF7"),
        text: cell().set_text_wrap(),
        number: cell().set_num_format("#,##0"),
        percent: cell().set_num_format("0.0\"%\""),
        note: Format::new().set_italic().set_text_wrap(),
    }
}

fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, neutralise(s).as_ref(), f)?;
    Ok(())
}

/// The workbook of `report`, in a rewound temporary file.
pub fn xlsx(report: &AnnualReport) -> Result<std::fs::File, AppError> {
    write(report).map_err(AppError::internal)
}

fn write(report: &AnnualReport) -> anyhow::Result<std::fs::File> {
    let f = formats();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(format!("Báo cáo năm {}", report.year))?;
    sheet.set_column_width(0, 48.0)?;
    for c in 1..=7u16 {
        sheet.set_column_width(c, 14.0)?;
    }
    write_text(sheet, 0, 0, report.basis.title, &f.title)?;
    let mut row = 2u32;
    for (label, value) in heading(report) {
        write_text(sheet, row, 0, &label, &f.label)?;
        write_text(sheet, row, 1, &value, &Format::new())?;
        row += 1;
    }
    for section in sections(report) {
        row += 1;
        write_text(sheet, row, 0, &section.title, &f.section)?;
        row += 1;
        for (c, title) in section.columns.iter().enumerate() {
            write_text(sheet, row, c as u16, title, &f.header)?;
        }
        row += 1;
        for cells in &section.rows {
            for (c, cell) in cells.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(s) => write_text(sheet, row, col, s, &f.text)?,
                    Cell::Count(n) => {
                        sheet.write_number_with_format(row, col, *n as f64, &f.number)?;
                    }
                    Cell::Percent(Some(p)) => {
                        sheet.write_number_with_format(row, col, *p, &f.percent)?;
                    }
                    Cell::Percent(None) => write_text(sheet, row, col, "—", &f.text)?,
                }
            }
            row += 1;
        }
        if let Some(note) = &section.note {
            write_text(sheet, row, 0, note, &f.note)?;
            row += 1;
        }
    }
    let mut file = tempfile::tempfile()?;
    workbook.save_to_writer(&mut file)?;
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}
