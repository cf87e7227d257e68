//! The markup of DOCX body blocks; the one place caller text enters XML (`escape`).

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Align, Paragraph, Run, TableCell, TableLayout, FONT};

/// Whether a character may appear in an XML 1.0 document and is worth keeping: C0 controls
/// other than tab, line feed and carriage return, DEL, C1 controls and the non-characters
/// U+FFFE/U+FFFF are dropped.
fn keep(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for an XML text node or attribute value: `& < > " '` become entities and
/// characters XML cannot carry are dropped. All text from callers passes through here.
pub fn escape(s: &str) -> Cow<'_, str> {
    if s.chars()
        .all(|c| keep(c) && !matches!(c, '&' | '<' | '>' | '"' | '\''))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if keep(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

fn align(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "both",
    }
}

/// Writes `<w:p>`; `size_pt` is the table's text size, used when neither run nor paragraph
/// sets one.
pub(super) fn paragraph(out: &mut String, p: &Paragraph, size_pt: Option<u32>) {
    out.push_str("<w:p><w:pPr>");
    if let Some(style) = p.style {
        let _ = write!(out, r#"<w:pStyle w:val="{}"/>"#, style.id());
    }
    if p.keep_next {
        out.push_str("<w:keepNext/>");
    }
    if p.page_break_before {
        out.push_str("<w:pageBreakBefore/>");
    }
    if p.bottom_border {
        out.push_str(
            r#"<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>"#,
        );
    }
    if p.before.is_some() || p.after.is_some() || p.line.is_some() {
        out.push_str("<w:spacing");
        if let Some(v) = p.before {
            let _ = write!(out, r#" w:before="{v}""#);
        }
        if let Some(v) = p.after {
            let _ = write!(out, r#" w:after="{v}""#);
        }
        if let Some(v) = p.line {
            let _ = write!(out, r#" w:line="{v}" w:lineRule="auto""#);
        }
        out.push_str("/>");
    }
    if p.left != 0 || p.right != 0 || p.first_line != 0 {
        let _ = write!(out, r#"<w:ind w:left="{}" w:right="{}""#, p.left, p.right);
        if p.first_line > 0 {
            let _ = write!(out, r#" w:firstLine="{}""#, p.first_line);
        } else if p.first_line < 0 {
            let _ = write!(out, r#" w:hanging="{}""#, -p.first_line);
        }
        out.push_str("/>");
    }
    if let Some(a) = p.align {
        let _ = write!(out, r#"<w:jc w:val="{}"/>"#, align(a));
    }
    out.push_str("</w:pPr>");
    let size = p.size_pt.or(size_pt);
    for r in &p.runs {
        run(out, r, size);
    }
    out.push_str("</w:p>");
}

fn run(out: &mut String, r: &Run, size_pt: Option<u32>) {
    out.push_str("<w:r><w:rPr>");
    let _ = write!(
        out,
        r#"<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>"#
    );
    if r.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if r.italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    if let Some(size) = r.size_pt.or(size_pt) {
        let half = size * 2;
        let _ = write!(out, r#"<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>"#);
    }
    if r.underline {
        out.push_str(r#"<w:u w:val="single"/>"#);
    }
    out.push_str("</w:rPr>");
    let text = r.text.replace('\r', "");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(out, r#"<w:t xml:space="preserve">{}</w:t>"#, escape(piece));
            }
        }
    }
    out.push_str("</w:r>");
}

pub(super) fn table_start(out: &mut String, layout: &TableLayout) {
    let total: u32 = layout.widths.iter().sum();
    let _ = write!(
        out,
        r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>"#
    );
    let border = if layout.borders { "single" } else { "nil" };
    out.push_str("<w:tblBorders>");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        if layout.borders {
            let _ = write!(
                out,
                r#"<w:{side} w:val="{border}" w:sz="4" w:space="0" w:color="000000"/>"#
            );
        } else {
            let _ = write!(out, r#"<w:{side} w:val="{border}"/>"#);
        }
    }
    out.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/>"#);
    out.push_str(
        r#"<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>"#,
    );
    out.push_str(r#"<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>"#);
    for w in &layout.widths {
        let _ = write!(out, r#"<w:gridCol w:w="{w}"/>"#);
    }
    out.push_str("</w:tblGrid>");
}

/// Writes `<w:tr>`; missing cells are filled with empty ones so the row covers the grid.
pub(super) fn row(out: &mut String, layout: &TableLayout, cells: &[TableCell], header: bool) {
    out.push_str("<w:tr><w:trPr><w:cantSplit/>");
    if header {
        out.push_str("<w:tblHeader/>");
    }
    out.push_str("</w:trPr>");
    let columns = layout.widths.len().max(1);
    let mut col = 0usize;
    let empty = TableCell::new(Vec::new());
    let mut cells = cells.iter();
    while col < columns {
        let cell = cells.next().unwrap_or(&empty);
        let span = (cell.span as usize).clamp(1, columns - col);
        let width: u32 = layout
            .widths
            .get(col..col + span)
            .map_or(0, |w| w.iter().sum());
        let _ = write!(out, r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#);
        if span > 1 {
            let _ = write!(out, r#"<w:gridSpan w:val="{span}"/>"#);
        }
        if cell.shade {
            out.push_str(r#"<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>"#);
        }
        if cell.v_center {
            out.push_str(r#"<w:vAlign w:val="center"/>"#);
        }
        out.push_str("</w:tcPr>");
        if cell.paragraphs.is_empty() {
            paragraph(out, &Paragraph::new().spacing(0, 0), layout.size_pt);
        }
        for p in &cell.paragraphs {
            let mut p = p.clone();
            if p.after.is_none() && p.before.is_none() {
                p = p.spacing(2, 2);
            }
            if p.line.is_none() {
                p = p.line(240);
            }
            paragraph(out, &p, layout.size_pt);
        }
        out.push_str("</w:tc>");
        col += span;
    }
    out.push_str("</w:tr>");
}
