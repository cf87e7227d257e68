//! Reading a table to import from an uploaded XLSX or CSV file (told by content, not name):
//! the sheet, the header row and the data rows as text, stopping at a row limit.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

use calamine::{DataRef, Reader, Xlsx};

use super::system_columns::match_header;
use crate::domain::file_kind::{self, FileKind};
use crate::domain::search::search_key;

/// How many rows from the top may come before the header row (titles, notes).
const HEADER_SEARCH_ROWS: usize = 10;
/// Headers of known columns a row needs to be taken as the header row.
const MIN_KNOWN_HEADERS: usize = 2;
/// Bytes looked at to tell a CSV file from binary content.
const SNIFF_BYTES: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

/// One data row: its number as the spreadsheet shows it (from 1) and its cells as text.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

/// The table of a file.
#[derive(Debug)]
pub struct Table {
    pub format: Format,
    /// The sheet read (XLSX only).
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// Why a file could not be read as a table.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("not a spreadsheet")]
    NotSpreadsheet(Option<FileKind>),
    #[error("unreadable: {0}")]
    Unreadable(String),
    #[error("no sheet")]
    NoSheet,
    #[error("no header row in {0:?}")]
    NoHeader(Option<String>),
    #[error("more than {0} rows")]
    TooManyRows(usize),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Reads the table of `file`: an XLSX workbook's sheet named like "Danh mục" (else its first
/// sheet), or a UTF-8 CSV (with or without BOM; `,`, `;` or tab). More than `max_rows`
/// non-empty data rows stop the reading with [`TableError::TooManyRows`].
pub fn read(file: &mut File, max_rows: usize) -> Result<Table, TableError> {
    match file_kind::detect(file)? {
        Some(FileKind::Xlsx) => read_xlsx(file, max_rows),
        Some(other) => Err(TableError::NotSpreadsheet(Some(other))),
        None if looks_like_text(file)? => read_csv(file, max_rows),
        None => Err(TableError::NotSpreadsheet(None)),
    }
}

fn looks_like_text(file: &mut File) -> std::io::Result<bool> {
    file.seek(SeekFrom::Start(0))?;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    file.by_ref()
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    if head.is_empty() || head.contains(&0) {
        return Ok(false);
    }
    Ok(match std::str::from_utf8(&head) {
        Ok(_) => true,
        // A character cut by the sniffing window is fine; anything else is not UTF-8.
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    })
}

/// Collects rows until the header row is found, then the data rows.
struct Collector {
    max_rows: usize,
    headers: Option<Vec<String>>,
    seen: usize,
    rows: Vec<Row>,
}

impl Collector {
    fn new(max_rows: usize) -> Self {
        Self {
            max_rows,
            headers: None,
            seen: 0,
            rows: Vec::new(),
        }
    }

    /// Takes one row (numbered from 1); `Ok(false)` when the header was never found in time.
    fn push(&mut self, number: usize, mut cells: Vec<String>) -> Result<bool, TableError> {
        while cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if self.headers.is_none() {
            self.seen += 1;
            let known = cells.iter().filter(|c| match_header(c).is_some()).count();
            if known >= MIN_KNOWN_HEADERS {
                self.headers = Some(cells.iter().map(|c| c.trim().to_string()).collect());
                return Ok(true);
            }
            return Ok(self.seen < HEADER_SEARCH_ROWS);
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(true);
        }
        if self.rows.len() >= self.max_rows {
            return Err(TableError::TooManyRows(self.max_rows));
        }
        self.rows.push(Row { number, cells });
        Ok(true)
    }

    fn finish(self, format: Format, sheet: Option<String>) -> Result<Table, TableError> {
        let Some(headers) = self.headers else {
            return Err(TableError::NoHeader(sheet));
        };
        Ok(Table {
            format,
            sheet,
            headers,
            rows: self.rows,
        })
    }
}

fn read_csv(file: &mut File, max_rows: usize) -> Result<Table, TableError> {
    file.seek(SeekFrom::Start(0))?;
    let mut first = Vec::new();
    BufReader::new(file.by_ref().take(SNIFF_BYTES as u64)).read_to_end(&mut first)?;
    // The delimiter that the busiest of the first lines (the header, past any title) uses most.
    let lines: Vec<&[u8]> = first
        .split(|b| *b == b'\n')
        .take(HEADER_SEARCH_ROWS)
        .collect();
    let most = |d: u8| {
        lines
            .iter()
            .map(|l| l.iter().filter(|b| **b == d).count())
            .max()
            .unwrap_or(0)
    };
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| most(*d))
        .unwrap_or(b',');
    file.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::new(file.by_ref());
    let mut bom = [0u8; 3];
    let n = reader.read(&mut bom)?;
    let mut input: Box<dyn Read> = if n == 3 && bom == [0xEF, 0xBB, 0xBF] {
        Box::new(reader)
    } else {
        Box::new(std::io::Cursor::new(bom[..n].to_vec()).chain(reader))
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(&mut input);
    let mut collector = Collector::new(max_rows);
    let mut record = csv::StringRecord::new();
    // A spreadsheet opening the file shows one row per record (a quoted cell may hold lines).
    let mut number = 0;
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or_default();
                return Err(TableError::Unreadable(format!(
                    "dòng {line} không đọc được dưới dạng CSV UTF-8"
                )));
            }
        }
        number += 1;
        let cells = record.iter().map(str::to_string).collect();
        if !collector.push(number, cells)? {
            break;
        }
    }
    collector.finish(Format::Csv, None)
}

/// The sheet to read: one named like "Danh mục…" (with or without diacritics), else the first.
pub fn pick_sheet(names: &[String]) -> Option<String> {
    names
        .iter()
        .find(|n| search_key(n).starts_with("danh muc"))
        .or_else(|| names.first())
        .cloned()
}

fn read_xlsx(file: &mut File, max_rows: usize) -> Result<Table, TableError> {
    file.seek(SeekFrom::Start(0))?;
    let mut book: Xlsx<_> = Xlsx::new(BufReader::new(file.try_clone()?))
        .map_err(|e| TableError::Unreadable(e.to_string()))?;
    let Some(sheet) = pick_sheet(&book.sheet_names()) else {
        return Err(TableError::NoSheet);
    };
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| TableError::Unreadable(e.to_string()))?;
    let mut collector = Collector::new(max_rows);
    let mut current: Option<(u32, Vec<String>)> = None;
    loop {
        let cell = cells
            .next_cell()
            .map_err(|e| TableError::Unreadable(e.to_string()))?;
        let Some(cell) = cell else { break };
        let (r, c) = cell.get_position();
        if current.as_ref().is_some_and(|(row, _)| *row != r) {
            let (row, values) = current.take().unwrap_or_default();
            if !collector.push(row as usize + 1, values)? {
                return collector.finish(Format::Xlsx, Some(sheet));
            }
        }
        let (_, values) = current.get_or_insert_with(|| (r, Vec::new()));
        let c = c as usize;
        if values.len() <= c {
            values.resize(c + 1, String::new());
        }
        values[c] = text_of(cell.get_value());
    }
    if let Some((row, values)) = current {
        collector.push(row as usize + 1, values)?;
    }
    drop(cells);
    collector.finish(Format::Xlsx, Some(sheet))
}

/// A cell as text: numbers without a needless `.0`, dates as dd/mm/yyyy.
fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "Có" } else { "Không" }.to_string(),
        DataRef::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{day:02}/{m:02}/{y:04}")
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}
