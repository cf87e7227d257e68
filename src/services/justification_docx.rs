//! The thuyết minh đề xuất cấp độ of one system as a DOCX draft laid out as an administrative
//! document of Decree 30/2020/NĐ-CP (header, title, sections, signature block).

use std::fs::File;

use chrono::{Datelike, NaiveDate};

use super::justification_content::{gather, Block, Sources};
use super::justification_outline::sections;
use super::Actor;
use crate::db::AnyConn;
use crate::error::AppError;
use crate::export::docx::{
    AdminHeader, Align, DocProps, DocxWriter, Paragraph, Run, Signature, TableCell, TableLayout,
};
use crate::rules::Registry;

/// The title of the document.
pub const TITLE: &str = "Thuyết minh đề xuất cấp độ hệ thống thông tin";

/// A generated document and the (ASCII) file name to offer it under.
pub struct GeneratedDocx {
    pub file: File,
    pub filename: String,
}

/// Builds the document of a visible system (404 otherwise) into a rewound temporary file.
pub fn justification(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<GeneratedDocx, AppError> {
    let sources = gather(conn, registry, actor, id, today)?;
    let file = render(&sources).map_err(AppError::internal)?;
    let safe: String = sources
        .row
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok(GeneratedDocx {
        file,
        filename: format!("thuyet-minh-{safe}.docx"),
    })
}

/// "ngày 02 tháng 12 năm 2026": days below 10 and months below 3 get a leading zero
/// (Decree 30/2020, Phụ lục I).
pub fn date_line(d: NaiveDate) -> String {
    let month = if d.month() < 3 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

fn fill_text(what: &str) -> String {
    format!("[Đơn vị bổ sung {what}]")
}

fn cell(text: &str, bold: bool) -> TableCell {
    let run = if bold {
        Run::new(text).bold()
    } else {
        Run::new(text)
    };
    let run = if text.starts_with("[Đơn vị bổ sung") {
        run.italic()
    } else {
        run
    };
    TableCell::new(vec![Paragraph::new().run(run).align(Align::Left)])
}

fn block<W: std::io::Write + std::io::Seek>(
    w: &mut DocxWriter<W>,
    b: &Block,
) -> std::io::Result<()> {
    match b {
        Block::Heading(t) => w.heading(2, t),
        Block::Text(t) => w.text(t),
        Block::Item(t) => w.item("-", t),
        Block::Fill(what) => w.paragraph(
            &Paragraph::new()
                .run(Run::new(fill_text(what)).italic())
                .align(Align::Justify)
                .first_line(567),
        ),
        Block::Pairs(pairs) => {
            w.start_table(TableLayout::grid(&[2, 3]).size(13))?;
            for (label, value) in pairs {
                w.row(&[cell(label, true), cell(value, false)])?;
            }
            w.end_table()
        }
        Block::Table {
            weights,
            header,
            rows,
        } => {
            w.start_table(TableLayout::grid(weights).size(12))?;
            let titles: Vec<TableCell> = header.iter().map(TableCell::title).collect();
            w.header_row(&titles)?;
            for r in rows {
                let cells: Vec<TableCell> = r.iter().map(|t| cell(t, false)).collect();
                w.row(&cells)?;
            }
            w.end_table()
        }
    }
}

fn render(s: &Sources) -> std::io::Result<File> {
    let props = DocProps {
        title: format!("{TITLE}: {}", s.row.name),
        subject: s.result.regime.title.clone(),
        creator: "capdo".into(),
    };
    let mut w = DocxWriter::tempfile(&props)?;
    let code = if s.org_code.trim().is_empty() {
        "XXX"
    } else {
        s.org_code.as_str()
    };
    w.admin_header(&AdminHeader {
        parent_body: s.parent_name.as_deref(),
        issuing_body: &s.org_name,
        number: &format!("Số:      /TM-{code}"),
        place_date: &format!("……, {}", date_line(s.today)),
    })?;
    w.title(TITLE, &[s.row.name.as_str()])?;
    let regime = if s.result.regime.title.is_empty() {
        s.row.regime_id.clone()
    } else {
        s.result.regime.title.clone()
    };
    w.paragraph(
        &Paragraph::new()
            .run(Run::new(format!("Căn cứ xác định cấp độ: {regime}.")).italic())
            .align(Align::Center)
            .spacing(0, 6),
    )?;
    w.paragraph(
        &Paragraph::new()
            .run(
                Run::new(format!(
                    "Bản dự thảo do capdo lập ngày {} từ dữ liệu đã lưu của hệ thống; đơn vị rà soát và hoàn thiện các nội dung đánh dấu “[Đơn vị bổ sung …]” trước khi ký ban hành.",
                    s.today.format("%d/%m/%Y")
                ))
                .italic()
                .size(12),
            )
            .align(Align::Justify)
            .spacing(0, 6),
    )?;
    for section in sections(s) {
        w.heading(1, &section.title)?;
        for b in &section.blocks {
            block(&mut w, b)?;
        }
    }
    let appraiser = match s
        .row
        .appraiser_name
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        Some(a) => format!("{a} (để thẩm định);"),
        None => "Đơn vị thẩm định (để thẩm định);".to_string(),
    };
    w.signature(&Signature {
        recipients: &[appraiser, "Lưu: VT.".to_string()],
        authority: "Người đứng đầu đơn vị",
        note: "(Ký, ghi rõ họ tên, đóng dấu)",
        name: "",
    })?;
    w.finish_rewound()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_decree_30() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(date_line(d("2026-02-05")), "ngày 05 tháng 02 năm 2026");
        assert_eq!(date_line(d("2026-12-02")), "ngày 02 tháng 12 năm 2026");
        assert_eq!(date_line(d("2026-03-15")), "ngày 15 tháng 3 năm 2026");
    }
}
