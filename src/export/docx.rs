//! A small streaming WordprocessingML (DOCX) writer on `zip`: A4 pages with the Decree 30/2020
//! margins and fonts, paragraphs, headings, tables and page breaks; every caller text is escaped.

mod admin;
mod model;
mod parts;
mod xml;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub use admin::{AdminHeader, Signature, QUOC_HIEU, TIEU_NGU};
pub use model::{Align, Paragraph, Run, Style, TableCell, TableLayout};
pub use xml::escape;

/// The content type of a DOCX document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The default font and size (points) of the document.
pub const FONT: &str = "Times New Roman";
pub const DEFAULT_SIZE_PT: u32 = 14;

/// A4 in twips and the Decree 30/2020 margins (top 20 mm, bottom 20 mm, left 30 mm, right 15 mm).
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
pub const MARGIN_TOP: u32 = mm(20);
pub const MARGIN_BOTTOM: u32 = mm(20);
pub const MARGIN_LEFT: u32 = mm(30);
pub const MARGIN_RIGHT: u32 = mm(15);
/// The width of the text between the margins, in twips (for table column widths).
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

/// Millimetres to twips.
pub const fn mm(v: u32) -> u32 {
    v * 14400 / 254
}

/// Points to twips (paragraph spacing).
pub const fn pt(v: u32) -> u32 {
    v * 20
}

/// Title, author and subject of the package (docProps/core.xml).
#[derive(Clone, Debug, Default)]
pub struct DocProps {
    pub title: String,
    pub subject: String,
    pub creator: String,
}

/// A DOCX being written: the fixed parts go out at once, then `word/document.xml` is streamed
/// block by block, so a long table never sits in memory. Call `finish` to complete the package.
pub struct DocxWriter<W: Write + Seek> {
    zip: ZipWriter<W>,
    buf: String,
    table: Option<OpenTable>,
    last_was_table: bool,
}

struct OpenTable {
    layout: TableLayout,
    rows: usize,
}

fn io_err(e: zip::result::ZipError) -> io::Error {
    io::Error::other(e)
}

impl DocxWriter<File> {
    /// A writer into an anonymous temporary file (for HTTP streaming, see `finish_rewound`).
    pub fn tempfile(props: &DocProps) -> io::Result<Self> {
        Self::new(tempfile::tempfile()?, props)
    }

    /// Completes the package and rewinds the file for reading.
    pub fn finish_rewound(self) -> io::Result<File> {
        let mut file = self.finish()?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}

impl DocxWriter<io::Cursor<Vec<u8>>> {
    /// A writer into memory (tests, small documents); `finish_bytes` returns the package.
    pub fn in_memory(props: &DocProps) -> io::Result<Self> {
        Self::new(io::Cursor::new(Vec::new()), props)
    }

    pub fn finish_bytes(self) -> io::Result<Vec<u8>> {
        Ok(self.finish()?.into_inner())
    }
}

impl<W: Write + Seek> DocxWriter<W> {
    /// Writes the fixed parts and opens the document body.
    pub fn new(inner: W, props: &DocProps) -> io::Result<Self> {
        let mut zip = ZipWriter::new(inner);
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let core = parts::core(props, chrono::Utc::now());
        let fixed: [(&str, Cow<'_, str>); 9] = [
            ("[Content_Types].xml", parts::CONTENT_TYPES.into()),
            ("_rels/.rels", parts::ROOT_RELS.into()),
            ("docProps/core.xml", core.into()),
            ("docProps/app.xml", parts::APP.into()),
            ("word/_rels/document.xml.rels", parts::DOCUMENT_RELS.into()),
            ("word/styles.xml", parts::styles().into()),
            ("word/settings.xml", parts::SETTINGS.into()),
            ("word/header1.xml", parts::HEADER_PAGE_NUMBER.into()),
            ("word/header2.xml", parts::HEADER_EMPTY.into()),
        ];
        for (name, text) in fixed {
            zip.start_file(name, options).map_err(io_err)?;
            zip.write_all(text.as_bytes())?;
        }
        zip.start_file("word/document.xml", options)
            .map_err(io_err)?;
        zip.write_all(parts::DOCUMENT_START.as_bytes())?;
        Ok(Self {
            zip,
            buf: String::with_capacity(4096),
            table: None,
            last_was_table: false,
        })
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        if self.buf.len() >= 64 * 1024 {
            self.zip.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }

    /// A body paragraph (closes an open table first).
    pub fn paragraph(&mut self, p: &Paragraph) -> io::Result<()> {
        self.close_table();
        xml::paragraph(&mut self.buf, p, None);
        self.last_was_table = false;
        self.flush_buf()
    }

    /// A justified body paragraph with the first-line indent of Decree 30 (1 cm).
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        self.paragraph(
            &Paragraph::of(text)
                .align(Align::Justify)
                .first_line(mm(10) as i32),
        )
    }

    /// A heading of level 1 to 3.
    pub fn heading(&mut self, level: u8, text: &str) -> io::Result<()> {
        let style = match level {
            0 | 1 => Style::Heading1,
            2 => Style::Heading2,
            _ => Style::Heading3,
        };
        self.paragraph(&Paragraph::of(text).style(style))
    }

    /// A list item: an indented paragraph starting with `marker` ("-", "a)", "1.").
    pub fn item(&mut self, marker: &str, text: &str) -> io::Result<()> {
        let p = Paragraph::of(format!("{marker}\t{text}"))
            .align(Align::Justify)
            .indent(mm(15), 0)
            .first_line(-(mm(6) as i32));
        self.paragraph(&p)
    }

    /// Starts the next block on a new page.
    pub fn page_break(&mut self) -> io::Result<()> {
        self.close_table();
        self.buf
            .push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
        self.last_was_table = false;
        self.flush_buf()
    }

    /// Opens a table; rows follow with `row`/`header_row`, and `end_table` (or any other block)
    /// closes it.
    pub fn start_table(&mut self, layout: TableLayout) -> io::Result<()> {
        self.close_table();
        if self.last_was_table {
            // Two adjacent tables would merge into one.
            self.buf
                .push_str(r#"<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>"#);
        }
        xml::table_start(&mut self.buf, &layout);
        self.table = Some(OpenTable { layout, rows: 0 });
        self.flush_buf()
    }

    /// A table row repeated at the top of every page the table spans.
    pub fn header_row(&mut self, cells: &[TableCell]) -> io::Result<()> {
        self.table_row(cells, true)
    }

    pub fn row(&mut self, cells: &[TableCell]) -> io::Result<()> {
        self.table_row(cells, false)
    }

    fn table_row(&mut self, cells: &[TableCell], header: bool) -> io::Result<()> {
        let Some(table) = self.table.as_mut() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "row outside a table",
            ));
        };
        xml::row(&mut self.buf, &table.layout, cells, header);
        table.rows += 1;
        self.flush_buf()
    }

    pub fn end_table(&mut self) -> io::Result<()> {
        self.close_table();
        self.flush_buf()
    }

    fn close_table(&mut self) {
        if let Some(table) = self.table.take() {
            if table.rows == 0 {
                xml::row(&mut self.buf, &table.layout, &[], false);
            }
            self.buf.push_str("</w:tbl>");
            self.last_was_table = true;
        }
    }

    /// Completes the body (section properties: A4, margins, page numbers from page 2) and the
    /// package, returning the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.close_table();
        if self.last_was_table {
            self.buf.push_str("<w:p/>");
        }
        let _ = write!(self.buf, "{}", parts::section());
        self.buf.push_str(parts::DOCUMENT_END);
        self.zip.write_all(self.buf.as_bytes())?;
        self.zip.finish().map_err(io_err)
    }
}

#[cfg(test)]
mod tests;
