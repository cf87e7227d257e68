//! The annual report laid out once as heading lines, titled tables and prose, so the web
//! page, the XLSX workbook and the DOCX section show the same figures in the same words.

use super::annual_report::{AnnualReport, LevelLine};

/// One cell of a report table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// A percentage; `None` when there is nothing to divide by (shown "—").
    Percent(Option<f64>),
}

impl Cell {
    /// As shown in a document: counts as digits, percentages with a comma ("66,7%").
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(Some(p)) => percent_vn(*p),
            Cell::Percent(None) => "—".into(),
        }
    }
}

/// "66,7%" (Vietnamese decimal comma; whole numbers without decimals).
pub fn percent_vn(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%").replace('.', ",")
    }
}

/// A titled table.
#[derive(Clone, Debug)]
pub struct Section {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A line under the table on what is counted.
    pub note: Option<String>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The heading lines: title, unit, basis, form, period and deadlines.
pub fn heading(r: &AnnualReport) -> Vec<(String, String)> {
    let mut lines = vec![
        ("Năm báo cáo".to_string(), r.year.to_string()),
        ("Đơn vị báo cáo".to_string(), r.unit.name.clone()),
        ("Căn cứ".to_string(), r.basis.citation.to_string()),
    ];
    if let Some(form) = r.basis.form {
        lines.push(("Biểu mẫu".into(), form.to_string()));
    }
    lines.push(("Kỳ báo cáo".into(), r.period.text()));
    lines.push((
        "Thời hạn gửi".into(),
        format!(
            "Các đơn vị gửi chủ quản hệ thống thông tin trước ngày {}; chủ quản hệ thống thông tin gửi {} trước ngày {}",
            date(r.period.units_before),
            r.basis.recipient,
            date(r.period.owner_before)
        ),
    ));
    lines.push(("Ngày lập".into(), date(r.prepared_on)));
    lines
}

fn level_row(label: String, l: &LevelLine) -> Vec<Cell> {
    vec![
        text(label),
        Cell::Count(l.total),
        Cell::Count(l.approved),
        Cell::Count(l.proposed_only),
    ]
}

fn by_level(counts: &[i64; 5], label: &str) -> Vec<Cell> {
    let mut row = vec![text(label)];
    row.extend(counts.iter().map(|n| Cell::Count(*n)));
    row.push(Cell::Count(counts.iter().sum()));
    row
}

/// The report's tables, in order.
pub fn sections(r: &AnnualReport) -> Vec<Section> {
    let s = &r.systems;
    let mut levels: Vec<Vec<Cell>> = s
        .by_level
        .iter()
        .map(|l| level_row(format!("Cấp độ {}", l.level), l))
        .collect();
    levels.push(vec![
        text("Chưa xác định cấp độ"),
        Cell::Count(s.undetermined),
        Cell::Count(0),
        Cell::Count(0),
    ]);
    let proposed: i64 = s.by_level.iter().map(|l| l.proposed_only).sum();
    levels.push(vec![
        text("Cộng"),
        Cell::Count(s.managed),
        Cell::Count(s.approved),
        Cell::Count(proposed),
    ]);
    let level_columns = || {
        let mut c = strings(&["Nội dung"]);
        c.extend((1..=5).map(|l| format!("Cấp độ {l}")));
        c
    };
    let mut regime_columns = level_columns();
    regime_columns[0] = "Văn bản xác định cấp độ".into();
    regime_columns.extend(strings(&["Chưa xác định", "Cộng"]));
    let regimes = s
        .by_regime
        .iter()
        .map(|g| {
            let mut row = vec![text(g.title.clone())];
            row.extend(g.levels.iter().map(|n| Cell::Count(*n)));
            row.push(Cell::Count(g.undetermined));
            row.push(Cell::Count(g.total));
            row
        })
        .collect();
    let mut statuses: Vec<Vec<Cell>> = s
        .by_status
        .iter()
        .map(|l| vec![text(l.label.clone()), Cell::Count(l.count)])
        .collect();
    statuses.push(vec![text("Cộng"), Cell::Count(s.total)]);
    let mut dossier_columns = level_columns();
    dossier_columns.push("Cộng".into());
    let d = &r.dossiers;
    let a = &r.assessments;
    let w = &r.alerts;
    let c = &r.compliance;
    let pairs = |items: Vec<(&str, Cell)>| -> Vec<Vec<Cell>> {
        items.into_iter().map(|(k, v)| vec![text(k), v]).collect()
    };
    vec![
        Section {
            title: "I. Hệ thống thông tin theo cấp độ".into(),
            columns: strings(&[
                "Cấp độ",
                "Số hệ thống",
                "Đã được phê duyệt cấp độ",
                "Đã đề xuất, chưa phê duyệt",
            ]),
            rows: levels,
            note: Some("Cấp độ đã được phê duyệt; nếu chưa phê duyệt thì theo cấp độ đề xuất. Không tính hệ thống đã dừng vận hành; số liệu tại ngày lập báo cáo.".into()),
        },
        Section {
            title: "II. Hệ thống thông tin theo văn bản xác định cấp độ".into(),
            columns: regime_columns,
            rows: regimes,
            note: None,
        },
        Section {
            title: "III. Hệ thống thông tin theo tình trạng".into(),
            columns: strings(&["Tình trạng", "Số hệ thống"]),
            rows: statuses,
            note: None,
        },
        Section {
            title: "IV. Hồ sơ đề xuất cấp độ trong kỳ báo cáo".into(),
            columns: dossier_columns,
            rows: vec![
                by_level(&d.submitted_by_level, "Hồ sơ đã gửi thẩm định, phê duyệt"),
                by_level(&d.approved_by_level, "Hồ sơ đã được phê duyệt cấp độ"),
            ],
            note: Some("Theo ngày văn bản gửi hồ sơ và ngày quyết định phê duyệt; mỗi hồ sơ tính một lần. Hồ sơ đã gửi tính theo cấp độ đề xuất, hồ sơ được phê duyệt theo cấp độ được phê duyệt.".into()),
        },
        Section {
            title: "V. Kiểm tra, đánh giá an toàn hệ thống thông tin".into(),
            columns: strings(&["Nội dung", "Số lượng"]),
            rows: pairs(vec![
                ("Đã thực hiện trong kỳ", Cell::Count(a.done)),
                ("— kiểm tra, đánh giá hệ thống thông tin", Cell::Count(a.done_systems)),
                ("— kiểm tra, đánh giá tổng thể của cơ quan", Cell::Count(a.done_agency)),
                ("Đến hạn trong kỳ", Cell::Count(a.due)),
                ("— đã thực hiện", Cell::Count(a.due_done)),
                ("— chưa thực hiện", Cell::Count(a.due_open)),
            ]),
            note: None,
        },
        Section {
            title: "VI. Cảnh báo an toàn thông tin đã chuyển tiếp trong kỳ".into(),
            columns: strings(&["Nội dung", "Số liệu"]),
            rows: pairs(vec![
                ("Số cảnh báo đã gửi", Cell::Count(w.alerts)),
                ("Số lượt gửi tới người nhận", Cell::Count(w.deliveries)),
                ("— gửi thành công", Cell::Count(w.delivered)),
                ("— gửi lỗi", Cell::Count(w.failed)),
                ("— đang chờ gửi", Cell::Count(w.pending)),
                ("Số lượt đã xác nhận", Cell::Count(w.acknowledged)),
                ("Tỷ lệ gửi thành công", Cell::Percent(w.delivery_rate)),
                ("Tỷ lệ xác nhận", Cell::Percent(w.acknowledgement_rate)),
            ]),
            note: None,
        },
        Section {
            title: "VII. Đáp ứng yêu cầu an toàn cơ bản".into(),
            columns: strings(&["Nội dung", "Số yêu cầu"]),
            rows: pairs(vec![
                ("Tổng số yêu cầu trên các bảng đánh giá hiện hành", Cell::Count(c.tally.total)),
                ("— đáp ứng", Cell::Count(c.tally.met)),
                ("— đáp ứng một phần", Cell::Count(c.tally.partial)),
                ("— chưa đáp ứng", Cell::Count(c.tally.not_met)),
                ("— không áp dụng", Cell::Count(c.tally.not_applicable)),
                ("— chưa đánh giá", Cell::Count(c.tally.to_review)),
                ("Tỷ lệ đáp ứng", Cell::Percent(c.percent)),
            ]),
            note: Some("Tại ngày lập báo cáo; yêu cầu đáp ứng một phần tính một nửa, không tính yêu cầu không áp dụng.".into()),
        },
    ]
}

/// Short prose for the agency's report: one paragraph per subject.
pub fn prose(r: &AnnualReport) -> Vec<String> {
    let s = &r.systems;
    let levels: Vec<String> = s
        .by_level
        .iter()
        .filter(|l| l.total > 0)
        .map(|l| format!("{} hệ thống cấp độ {}", l.total, l.level))
        .collect();
    let mut first = format!(
        "Tính đến ngày {}, {} quản lý {} hệ thống thông tin",
        date(r.prepared_on),
        r.unit.name,
        s.managed
    );
    if !levels.is_empty() {
        first.push_str(&format!(" ({})", levels.join(", ")));
    }
    first.push_str(&format!(
        "; {} hệ thống đã được phê duyệt cấp độ, {} hệ thống chưa xác định được cấp độ.",
        s.approved, s.undetermined
    ));
    let d = &r.dossiers;
    let a = &r.assessments;
    let w = &r.alerts;
    let mut alerts = format!(
        "Đơn vị đã chuyển tiếp {} cảnh báo an toàn thông tin với {} lượt gửi tới người nhận",
        w.alerts, w.deliveries
    );
    if w.deliveries > 0 {
        alerts.push_str(&format!(
            " ({} lượt gửi thành công, {} lượt gửi lỗi); {} lượt đã xác nhận, đạt tỷ lệ {}",
            w.delivered,
            w.failed,
            w.acknowledged,
            Cell::Percent(w.acknowledgement_rate).display()
        ));
    }
    alerts.push('.');
    let mut out = vec![
        first,
        format!(
            "Trong kỳ báo cáo ({}), đơn vị đã gửi {} hồ sơ đề xuất cấp độ; {} hồ sơ đã được phê duyệt cấp độ.",
            r.period.text().to_lowercase(),
            d.submitted,
            d.approved
        ),
        format!(
            "Đã thực hiện {} lượt kiểm tra, đánh giá an toàn hệ thống thông tin; {} lượt đến hạn trong kỳ, trong đó {} lượt chưa thực hiện.",
            a.done, a.due, a.due_open
        ),
        alerts,
    ];
    if let Some(p) = r.compliance.percent {
        out.push(format!(
            "Tỷ lệ đáp ứng yêu cầu an toàn cơ bản trên các bảng đánh giá hiện hành là {}.",
            percent_vn(p)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_use_a_decimal_comma() {
        assert_eq!(percent_vn(66.7), "66,7%");
        assert_eq!(percent_vn(100.0), "100%");
        assert_eq!(Cell::Percent(None).display(), "—");
    }
}
