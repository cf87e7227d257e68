//! The annual report as a DOCX section to paste into the agency's report: a heading, the
//! basis, period and deadlines, a short prose summary, then the tables of
//! `annual_report_tables`.

use std::fs::File;
use std::io;

use super::annual_report::AnnualReport;
use super::annual_report_tables::{heading, prose, sections, Cell};
use crate::error::AppError;
use crate::export::docx::{Align, DocProps, DocxWriter, Paragraph, TableCell, TableLayout};

/// The section of `report`, in a rewound temporary file.
pub fn docx(report: &AnnualReport) -> Result<File, AppError> {
    write(report).map_err(AppError::internal)
}

fn write(report: &AnnualReport) -> io::Result<File> {
    let title = format!("{} năm {}", report.basis.title, report.year);
    let props = DocProps {
        title: title.clone(),
        subject: report.basis.citation.to_string(),
        creator: "capdo".into(),
    };
    let mut w = DocxWriter::tempfile(&props)?;
    w.heading(1, &title)?;
    for (label, value) in heading(report) {
        w.paragraph(&Paragraph::new().bold(format!("{label}: ")).text(value))?;
    }
    w.heading(2, "Tóm tắt")?;
    for p in prose(report) {
        w.text(&p)?;
    }
    for section in sections(report) {
        w.heading(2, &section.title)?;
        // The first column holds the labels: four times as wide as a column of figures.
        let mut weights = vec![4];
        weights.extend(std::iter::repeat_n(
            1,
            section.columns.len().saturating_sub(1),
        ));
        w.start_table(TableLayout::grid(&weights).size(12))?;
        let titles: Vec<TableCell> = section.columns.iter().map(TableCell::title).collect();
        w.header_row(&titles)?;
        for cells in &section.rows {
            let row: Vec<TableCell> = cells
                .iter()
                .map(|c| match c {
                    Cell::Text(s) => TableCell::text(s.clone()),
                    figure => {
                        TableCell::new(vec![Paragraph::of(figure.display()).align(Align::Right)])
                    }
                })
                .collect();
            w.row(&row)?;
        }
        w.end_table()?;
        if let Some(note) = &section.note {
            w.paragraph(&Paragraph::new().italic(note.clone()).spacing(3, 6))?;
        }
    }
    w.finish_rewound()
}
