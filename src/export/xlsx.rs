//! A one-table XLSX writer in constant memory: rows go to disk as they are written, so a
//! report over the whole province never sits in memory; a small summary sheet follows it.

use std::fs::File;
use std::io::{Seek, SeekFrom};

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::cells::neutralise;

/// One cell of a row; text that starts like a formula is written with a leading `'`.
pub enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    Number(f64),
    Empty,
}

/// A workbook with one table sheet being written top to bottom.
pub struct XlsxTable {
    workbook: Workbook,
    header: Format,
    wrap: Format,
    next_row: u32,
}

impl XlsxTable {
    /// Starts the table sheet `name` with its column titles and widths (in characters).
    pub fn new(name: &str, columns: &[(&str, f64)]) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let sheet = workbook.add_worksheet_with_constant_memory();
        let sheet = sheet?;
        sheet.set_name(name)?;
        for (col, (title, width)) in columns.iter().enumerate() {
            let col = col as u16;
            sheet.set_column_width(col, *width)?;
            sheet.write_string_with_format(0, col, *title, &header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(Self {
            workbook,
            header,
            wrap,
            next_row: 1,
        })
    }

    pub fn push(&mut self, cells: &[Cell<'_>]) -> Result<(), XlsxError> {
        let row = self.next_row;
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string_with_format(row, col, neutralise(s), &self.wrap)?
                }
                Cell::Owned(s) => {
                    sheet.write_string_with_format(row, col, neutralise(s), &self.wrap)?
                }
                Cell::Number(n) => sheet.write_number(row, col, *n)?,
                Cell::Empty => sheet,
            };
        }
        self.next_row += 1;
        Ok(())
    }

    /// Rows written so far, without the title row.
    pub fn rows(&self) -> u32 {
        self.next_row - 1
    }

    /// Adds a two-column summary sheet and writes the workbook to an anonymous temporary file,
    /// rewound for reading.
    pub fn finish(
        mut self,
        summary_name: &str,
        summary: &[(String, String)],
    ) -> anyhow::Result<File> {
        let sheet = self.workbook.add_worksheet();
        sheet.set_name(summary_name)?;
        sheet.set_column_width(0, 48)?;
        sheet.set_column_width(1, 60)?;
        for (i, (label, value)) in summary.iter().enumerate() {
            let row = i as u32;
            sheet.write_string_with_format(row, 0, label, &self.header)?;
            sheet.write_string_with_format(row, 1, value, &self.wrap)?;
        }
        let mut file = tempfile::tempfile()?;
        self.workbook.save_to_writer(&mut file)?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}
