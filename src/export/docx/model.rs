//! The building blocks callers describe a document with: runs, paragraphs, table cells and
//! table layouts (plain values; the markup is written by `xml`).

use super::{pt, TEXT_WIDTH};

/// Paragraph alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

/// The paragraph styles defined in styles.xml.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Heading1,
    Heading2,
    Heading3,
    Title,
}

impl Style {
    pub(super) fn id(self) -> &'static str {
        match self {
            Style::Heading1 => "Heading1",
            Style::Heading2 => "Heading2",
            Style::Heading3 => "Heading3",
            Style::Title => "Title",
        }
    }
}

/// A run of text with one formatting. `\n` in the text becomes a line break, `\t` a tab.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub(super) text: String,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) underline: bool,
    pub(super) size_pt: Option<u32>,
}

impl Run {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    pub fn underline(mut self) -> Self {
        self.underline = true;
        self
    }
    pub fn size(mut self, pt: u32) -> Self {
        self.size_pt = Some(pt);
        self
    }
}

/// A paragraph: runs and paragraph properties (spacing and indents in twips).
#[derive(Clone, Debug, Default)]
pub struct Paragraph {
    pub(super) runs: Vec<Run>,
    pub(super) style: Option<Style>,
    pub(super) align: Option<Align>,
    pub(super) before: Option<u32>,
    pub(super) after: Option<u32>,
    /// Line spacing in 240ths of a line (240 = single).
    pub(super) line: Option<u32>,
    pub(super) left: u32,
    pub(super) right: u32,
    pub(super) first_line: i32,
    pub(super) keep_next: bool,
    pub(super) page_break_before: bool,
    pub(super) bottom_border: bool,
    pub(super) size_pt: Option<u32>,
}

impl Paragraph {
    pub fn new() -> Self {
        Self::default()
    }
    /// A paragraph of one plain run.
    pub fn of(text: impl Into<String>) -> Self {
        Self::new().text(text)
    }
    /// Adds a plain run.
    pub fn text(self, text: impl Into<String>) -> Self {
        self.run(Run::new(text))
    }
    /// Adds a bold run.
    pub fn bold(self, text: impl Into<String>) -> Self {
        self.run(Run::new(text).bold())
    }
    /// Adds an italic run.
    pub fn italic(self, text: impl Into<String>) -> Self {
        self.run(Run::new(text).italic())
    }
    pub fn run(mut self, run: Run) -> Self {
        self.runs.push(run);
        self
    }
    pub fn style(mut self, style: Style) -> Self {
        self.style = Some(style);
        self
    }
    pub fn align(mut self, align: Align) -> Self {
        self.align = Some(align);
        self
    }
    /// Space before and after the paragraph, in points.
    pub fn spacing(mut self, before_pt: u32, after_pt: u32) -> Self {
        self.before = Some(pt(before_pt));
        self.after = Some(pt(after_pt));
        self
    }
    /// Line spacing in 240ths of a line (240 single, 360 one and a half).
    pub fn line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }
    /// Left and right indents, in twips.
    pub fn indent(mut self, left: u32, right: u32) -> Self {
        self.left = left;
        self.right = right;
        self
    }
    /// First-line indent in twips (negative: hanging).
    pub fn first_line(mut self, twips: i32) -> Self {
        self.first_line = twips;
        self
    }
    pub fn keep_next(mut self) -> Self {
        self.keep_next = true;
        self
    }
    pub fn page_break_before(mut self) -> Self {
        self.page_break_before = true;
        self
    }
    /// A solid line under the paragraph, between its indents.
    pub fn bottom_border(mut self) -> Self {
        self.bottom_border = true;
        self
    }
    /// The size (points) of the runs that do not set their own.
    pub fn size(mut self, pt: u32) -> Self {
        self.size_pt = Some(pt);
        self
    }
}

/// One table cell: paragraphs (an empty cell gets an empty one), spanning `span` grid columns.
#[derive(Clone, Debug)]
pub struct TableCell {
    pub(super) paragraphs: Vec<Paragraph>,
    pub(super) span: u32,
    pub(super) shade: bool,
    pub(super) v_center: bool,
}

impl TableCell {
    pub fn new(paragraphs: Vec<Paragraph>) -> Self {
        Self {
            paragraphs,
            span: 1,
            shade: false,
            v_center: false,
        }
    }
    /// A cell of one left-aligned paragraph.
    pub fn text(text: impl Into<String>) -> Self {
        Self::new(vec![Paragraph::of(text).align(Align::Left)])
    }
    /// A cell of one bold centred paragraph (a column title).
    pub fn title(text: impl Into<String>) -> Self {
        Self::new(vec![Paragraph::new().bold(text).align(Align::Center)])
            .shaded()
            .v_center()
    }
    pub fn span(mut self, columns: u32) -> Self {
        self.span = columns.max(1);
        self
    }
    /// Light grey background (header rows).
    pub fn shaded(mut self) -> Self {
        self.shade = true;
        self
    }
    pub fn v_center(mut self) -> Self {
        self.v_center = true;
        self
    }
}

/// A table's column widths (twips), borders, and the size (points) of its text.
#[derive(Clone, Debug)]
pub struct TableLayout {
    pub widths: Vec<u32>,
    pub borders: bool,
    pub size_pt: Option<u32>,
}

impl TableLayout {
    /// A bordered table; `widths` are relative weights spread over the text width.
    pub fn grid(weights: &[u32]) -> Self {
        let total: u32 = weights.iter().sum::<u32>().max(1);
        let widths = weights.iter().map(|w| TEXT_WIDTH * w / total).collect();
        Self {
            widths,
            borders: true,
            size_pt: None,
        }
    }
    /// A borderless layout table (headers, signature blocks).
    pub fn layout(weights: &[u32]) -> Self {
        Self {
            borders: false,
            ..Self::grid(weights)
        }
    }
    pub fn size(mut self, pt: u32) -> Self {
        self.size_pt = Some(pt);
        self
    }
}
