//! The Decree 30/2020/NĐ-CP frame of an administrative document: the header (issuing body,
//! Quốc hiệu and tiêu ngữ, số/ký hiệu, place and date), the title and the signature block.

use std::fmt::Write as _;
use std::io::{self, Seek, Write};

use super::{Align, DocxWriter, Paragraph, Run, TableCell, TableLayout, TEXT_WIDTH};

/// Quốc hiệu (national title).
pub const QUOC_HIEU: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// Tiêu ngữ (motto).
pub const TIEU_NGU: &str = "Độc lập - Tự do - Hạnh phúc";

/// The header of an administrative document. Names are printed upper case.
#[derive(Clone, Debug, Default)]
pub struct AdminHeader<'a> {
    /// Tên cơ quan, tổ chức chủ quản trực tiếp (optional, not bold).
    pub parent_body: Option<&'a str>,
    /// Tên cơ quan, tổ chức ban hành văn bản (bold).
    pub issuing_body: &'a str,
    /// Số, ký hiệu, e.g. "Số:      /TM-STTTT".
    pub number: &'a str,
    /// Địa danh và thời gian, e.g. "Hà Nội, ngày 02 tháng 12 năm 2026".
    pub place_date: &'a str,
}

/// The signature block: "Nơi nhận:" on the left, the signer on the right.
#[derive(Clone, Debug, Default)]
pub struct Signature<'a> {
    pub recipients: &'a [String],
    /// Quyền hạn, chức vụ của người ký, e.g. "THỦ TRƯỞNG ĐƠN VỊ" (printed upper case).
    pub authority: &'a str,
    /// The line under it, e.g. "(Ký, ghi rõ họ tên, đóng dấu)" (italic).
    pub note: &'a str,
    /// Họ và tên of the signer, or empty to leave the space blank.
    pub name: &'a str,
}

/// Column weights of the header and signature tables (left, right).
const LEFT: u32 = 38;
const RIGHT: u32 = 62;
/// Cell margins, left and right, in twips (see xml::table_start).
const CELL_MARGINS: u32 = 170;

impl<W: Write + Seek> DocxWriter<W> {
    /// A short horizontal rule of `width` twips centred in a space `within` twips wide, drawn
    /// right under the previous paragraph (fixed markup, no caller text).
    fn rule(&mut self, width: u32, within: u32) {
        let side = within.saturating_sub(width) / 2;
        let _ = write!(
            self.buf,
            concat!(
                r#"<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr>"#,
                r#"<w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/>"#,
                r#"<w:ind w:left="{side}" w:right="{side}"/><w:jc w:val="center"/>"#,
                r#"<w:rPr><w:sz w:val="8"/><w:szCs w:val="8"/></w:rPr></w:pPr></w:p>"#
            ),
            side = side
        );
    }

    /// The document header as a borderless two-column table.
    pub fn admin_header(&mut self, h: &AdminHeader<'_>) -> io::Result<()> {
        let layout = TableLayout::layout(&[LEFT, RIGHT]);
        let (left_w, right_w) = (
            layout.widths[0] - CELL_MARGINS,
            layout.widths[1] - CELL_MARGINS,
        );
        let line = |text: String, bold: bool, size: u32| {
            let run = Run::new(text).size(size);
            let run = if bold { run.bold() } else { run };
            Paragraph::new()
                .run(run)
                .align(Align::Center)
                .spacing(0, 0)
                .line(240)
        };
        self.start_table(layout)?;
        // First row: the bodies on the left, Quốc hiệu and tiêu ngữ on the right; the rules
        // under the issuing body (a third of the column) and under the motto are written into
        // the cells by hand, so the row is assembled here.
        self.buf
            .push_str(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#);
        let _ = write!(
            self.buf,
            r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr>"#,
            left_w + CELL_MARGINS
        );
        if let Some(parent) = h.parent_body.filter(|p| !p.trim().is_empty()) {
            super::xml::paragraph(&mut self.buf, &line(parent.to_uppercase(), false, 13), None);
        }
        super::xml::paragraph(
            &mut self.buf,
            &line(h.issuing_body.to_uppercase(), true, 13),
            None,
        );
        self.rule(left_w / 3, left_w);
        self.buf.push_str("</w:tc>");
        let _ = write!(
            self.buf,
            r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr>"#,
            right_w + CELL_MARGINS
        );
        super::xml::paragraph(&mut self.buf, &line(QUOC_HIEU.to_string(), true, 13), None);
        super::xml::paragraph(&mut self.buf, &line(TIEU_NGU.to_string(), true, 14), None);
        self.rule(3500, right_w);
        self.buf.push_str("</w:tc></w:tr>");
        if let Some(t) = self.table.as_mut() {
            t.rows += 1;
        }
        self.row(&[
            TableCell::new(vec![line(h.number.to_string(), false, 13).spacing(6, 0)]),
            TableCell::new(vec![Paragraph::new()
                .run(Run::new(h.place_date).italic().size(14))
                .align(Align::Center)
                .spacing(6, 0)]),
        ])?;
        self.end_table()
    }

    /// The document's name (upper case, bold) and its summary lines, centred, with a short rule.
    pub fn title(&mut self, name: &str, summary: &[&str]) -> io::Result<()> {
        self.paragraph(
            &Paragraph::new()
                .bold(name.to_uppercase())
                .align(Align::Center)
                .spacing(18, 0)
                .keep_next(),
        )?;
        for line in summary {
            self.paragraph(
                &Paragraph::new()
                    .bold(*line)
                    .align(Align::Center)
                    .spacing(0, 0)
                    .keep_next(),
            )?;
        }
        let within = TEXT_WIDTH;
        self.rule(within / 5, within);
        self.paragraph(&Paragraph::new().spacing(0, 6).line(240))
    }

    /// The signature block as a borderless two-column table.
    pub fn signature(&mut self, s: &Signature<'_>) -> io::Result<()> {
        let mut left = vec![Paragraph::new()
            .run(Run::new("Nơi nhận:").bold().italic().size(12))
            .align(Align::Left)
            .spacing(6, 0)];
        for r in s.recipients {
            left.push(
                Paragraph::new()
                    .run(Run::new(format!("- {r}")).size(11))
                    .align(Align::Left)
                    .spacing(0, 0),
            );
        }
        let mut right = vec![Paragraph::new()
            .run(Run::new(s.authority.to_uppercase()).bold().size(14))
            .align(Align::Center)
            .spacing(6, 0)];
        if !s.note.is_empty() {
            right.push(
                Paragraph::new()
                    .run(Run::new(s.note).italic().size(14))
                    .align(Align::Center)
                    .spacing(0, 0),
            );
        }
        for _ in 0..4 {
            right.push(Paragraph::new().spacing(0, 0));
        }
        if !s.name.is_empty() {
            right.push(
                Paragraph::new()
                    .run(Run::new(s.name).bold().size(14))
                    .align(Align::Center)
                    .spacing(0, 0),
            );
        }
        self.start_table(TableLayout::layout(&[45, 55]))?;
        self.row(&[TableCell::new(left), TableCell::new(right)])?;
        self.end_table()
    }
}
