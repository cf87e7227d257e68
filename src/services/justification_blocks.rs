//! The blocks of the thuyết minh both regimes share: parties, overview, scope, hosting,
//! information processed and the level proposal with its criteria, read from `Sources`.

use super::justification_content::{Block, Criterion, Sources};
use crate::domain::facts::{Function, InformationType};
use crate::domain::system::{HostingKind, SystemStatus, BELOW_CRITERIA_LABEL};

pub fn or_fill(value: Option<&str>, what: &str) -> String {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.to_string(),
        None => format!("[Đơn vị bổ sung {what}]"),
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "Có",
        Some(false) => "Không",
        None => "Chưa xác định",
    }
}

pub fn function_label(f: Function) -> &'static str {
    match f {
        Function::Internal => "Phục vụ hoạt động nội bộ",
        Function::CitizenBusiness => "Phục vụ người dân, doanh nghiệp",
        Function::Infrastructure => "Cơ sở hạ tầng thông tin",
        Function::IndustrialControl => "Điều khiển công nghiệp",
        Function::Other => "Loại khác",
    }
}

pub fn information_label(i: InformationType) -> &'static str {
    match i {
        InformationType::Public => "Thông tin công cộng",
        InformationType::Private => "Thông tin riêng",
        InformationType::Personal => "Thông tin cá nhân",
        InformationType::StateSecret => "Bí mật nhà nước",
    }
}

pub fn level_label(level: Option<i64>) -> String {
    match level {
        Some(l) => format!("Cấp độ {l}"),
        None => "Chưa xác định".to_string(),
    }
}

pub fn basis_label(basis: &str) -> &'static str {
    match basis {
        "law" => "Theo văn bản",
        "interpretation" => "Cách hiểu của capdo",
        "heuristic" => "Ước lượng, cần xem xét",
        "secondary" => "Theo nguồn thứ cấp",
        "reported" => "Chưa đối chiếu văn bản",
        _ => "Chưa rõ căn cứ",
    }
}

/// Owner, managing unit, operator and contacts.
pub fn parties(s: &Sources) -> Vec<(String, String)> {
    let contacts = s
        .contacts
        .iter()
        .map(|(name, email)| format!("{name} ({email})"))
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        (
            "Chủ quản hệ thống".into(),
            or_fill(Some(&s.row.owner_name), "tên chủ quản"),
        ),
        ("Đơn vị quản lý".into(), s.org_name.clone()),
        (
            "Đơn vị vận hành".into(),
            or_fill(s.operator_name.as_deref(), "tên đơn vị vận hành"),
        ),
        (
            "Người phụ trách".into(),
            or_fill(Some(&contacts), "người phụ trách"),
        ),
        (
            "Đơn vị thẩm định".into(),
            or_fill(s.row.appraiser_name.as_deref(), "đơn vị thẩm định"),
        ),
    ]
}

/// Purpose, kind, addresses, status and what the system serves.
pub fn overview(s: &Sources) -> Vec<Block> {
    let r = &s.row;
    let mut out = vec![if r.description.trim().is_empty() {
        Block::Fill("mục đích, chức năng chính của hệ thống".into())
    } else {
        Block::Text(r.description.clone())
    }];
    let urls: Vec<String> = serde_json::from_str(&r.urls_json).unwrap_or_default();
    let status = SystemStatus::parse(&r.status)
        .map(|s| s.label())
        .unwrap_or("");
    let mut pairs = vec![
        ("Tên hệ thống".into(), r.name.clone()),
        (
            "Loại hệ thống".into(),
            or_fill(s.kind_label.as_deref(), "loại hệ thống"),
        ),
        (
            "Chức năng".into(),
            s.facts
                .function
                .map(function_label)
                .unwrap_or("Chưa xác định")
                .into(),
        ),
        (
            "Địa chỉ truy cập".into(),
            or_fill(Some(&urls.join("; ")), "địa chỉ truy cập"),
        ),
        ("Trạng thái".into(), status.into()),
    ];
    if let Some(d) = r.go_live_on {
        pairs.push((
            "Ngày đưa vào vận hành".into(),
            d.format("%d/%m/%Y").to_string(),
        ));
    }
    out.push(Block::Pairs(pairs));
    out
}

/// Component systems and the software products used.
pub fn scope(s: &Sources) -> Vec<Block> {
    let mut out = vec![Block::Fill(
        "phạm vi, quy mô, đối tượng sử dụng và phục vụ của hệ thống".into(),
    )];
    if s.components.is_empty() {
        out.push(Block::Text(
            "Hệ thống không có hệ thống thành phần được khai báo.".into(),
        ));
    } else {
        out.push(Block::Text("Các hệ thống thành phần:".into()));
        for (name, level) in &s.components {
            let level = level_label(level.map(i64::from));
            out.push(Block::Item(format!("{name} ({level})")));
        }
    }
    if !s.products.is_empty() {
        let rows = s
            .products
            .iter()
            .enumerate()
            .map(|(i, (name, vendor, version))| {
                vec![
                    (i + 1).to_string(),
                    name.clone(),
                    vendor.clone().unwrap_or_default(),
                    version.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.push(Block::Text("Phần mềm, sản phẩm sử dụng:".into()));
        out.push(Block::Table {
            weights: vec![1, 6, 4, 2],
            header: ["STT", "Tên phần mềm, sản phẩm", "Nhà cung cấp", "Phiên bản"]
                .map(String::from)
                .to_vec(),
            rows,
        });
    }
    out
}

/// Where the servers are, who provides them, whether the data stays in Vietnam.
pub fn hosting(s: &Sources) -> Vec<(String, String)> {
    let r = &s.row;
    let kind = r
        .hosting_kind
        .as_deref()
        .and_then(HostingKind::parse)
        .map(|h| h.label());
    vec![
        ("Nơi đặt hệ thống".into(), or_fill(kind, "nơi đặt máy chủ")),
        (
            "Nhà cung cấp hạ tầng, dịch vụ".into(),
            or_fill(r.hosting_provider.as_deref(), "nhà cung cấp hạ tầng"),
        ),
        (
            "Dữ liệu lưu trữ tại Việt Nam".into(),
            yes_no(r.data_in_vietnam).into(),
        ),
    ]
}

/// The kinds of information processed and the facts about people and services.
pub fn information(s: &Sources) -> Vec<Block> {
    let f = &s.facts;
    let mut out: Vec<Block> = if f.information.is_empty() {
        vec![Block::Fill("loại thông tin hệ thống xử lý".into())]
    } else {
        f.information
            .iter()
            .map(|i| Block::Item(information_label(*i).to_string()))
            .collect()
    };
    let mut pairs = Vec::new();
    if let Some(n) = f.personal_data_subjects {
        pairs.push(("Số người có thông tin được xử lý".into(), n.to_string()));
    }
    if let Some(n) = f.sensitive_personal_data_subjects {
        pairs.push(("Số người có dữ liệu cá nhân nhạy cảm".into(), n.to_string()));
    }
    for (label, v) in [
        ("Dịch vụ trực tuyến", f.online_services),
        ("Nộp, xử lý hồ sơ trực tuyến", f.online_filing),
        (
            "Giải quyết thủ tục hành chính",
            f.handles_administrative_procedures,
        ),
        (
            "Dịch vụ kinh doanh có điều kiện",
            f.conditional_business_service,
        ),
        ("Vận hành 24/7", f.continuous_operation),
    ] {
        if v.is_some() {
            pairs.push((label.into(), yes_no(v).into()));
        }
    }
    if let Some(l) = f.public_service_level {
        pairs.push((
            "Mức độ dịch vụ công trực tuyến".into(),
            format!("Mức độ {l}"),
        ));
    }
    if !pairs.is_empty() {
        out.push(Block::Pairs(pairs));
    }
    out
}

pub fn criteria_table(list: &[Criterion], minimum: bool) -> Block {
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut what = c.summary.clone();
            if let (true, Some(instrument)) = (minimum, &c.instrument) {
                what = format!("{what} ({instrument})");
            }
            if let Some(note) = &c.note {
                what = format!("{what}\nCách hiểu: {note}");
            }
            vec![
                (i + 1).to_string(),
                what,
                c.citation.clone(),
                format!("Cấp độ {}", c.level),
                basis_label(&c.basis).to_string(),
            ]
        })
        .collect();
    Block::Table {
        weights: vec![1, 7, 4, 2, 3],
        header: [
            "STT",
            "Tiêu chí và lập luận",
            "Căn cứ",
            "Cấp độ",
            "Mức chắc chắn",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

/// The criteria, minimum levels, components, combination, the proposed level, its status and
/// the questions still open.
pub fn proposal(s: &Sources) -> Vec<Block> {
    let r = &s.result;
    let mut out = vec![Block::Heading("Các tiêu chí được đáp ứng".into())];
    if r.matched.is_empty() {
        out.push(Block::Text(
            "Không có tiêu chí xác định cấp độ nào của văn bản được đáp ứng.".into(),
        ));
    } else {
        out.push(criteria_table(&r.matched, false));
    }
    out.push(Block::Heading("Cấp độ tối thiểu theo quy định khác".into()));
    if r.minimums.is_empty() {
        out.push(Block::Text(
            "Không có quy định về cấp độ tối thiểu áp dụng cho hệ thống.".into(),
        ));
    } else {
        out.push(criteria_table(&r.minimums, true));
    }
    if !r.components.is_empty() {
        out.push(Block::Heading("Cấp độ của các hệ thống thành phần".into()));
        for c in &r.components {
            // The result numbers the components of the facts; their names are listed in the
            // scope section.
            out.push(Block::Item(format!(
                "Hệ thống thành phần thứ {}: {}",
                c.index + 1,
                level_label(c.level.map(i64::from))
            )));
        }
    }
    if !r.combination.is_empty() {
        out.push(Block::Heading("Nguyên tắc xác định cấp độ".into()));
        for p in &r.combination {
            out.push(Block::Item(format!("{} ({})", p.summary, p.citation)));
        }
    }
    out.push(Block::Heading("Cấp độ đề xuất".into()));
    let computed = r
        .level
        .map(i64::from)
        .or(s.row.computed_level.map(i64::from));
    let proposed = s.row.proposed_level.map(i64::from).or(computed);
    match proposed {
        Some(l) => out.push(Block::Text(format!(
            "Căn cứ các tiêu chí nêu trên, đề xuất hệ thống “{}” ở cấp độ {l}.",
            s.row.name
        ))),
        None => out.push(Block::Text(
            "Chưa xác định được cấp độ theo tiêu chí; người có thẩm quyền cần quyết định cấp độ."
                .into(),
        )),
    }
    if s.row.proposed_level.is_some() && s.row.proposed_level.map(i64::from) != computed {
        out.push(Block::Text(format!(
            "Cấp độ xác định theo tiêu chí: {}.",
            level_label(computed)
        )));
        if s.row.below_criteria {
            out.push(Block::Text(format!("Lưu ý: {BELOW_CRITERIA_LABEL}.")));
        }
        match s
            .row
            .proposal_justification
            .as_deref()
            .filter(|j| !j.trim().is_empty())
        {
            Some(j) => out.push(Block::Text(format!("Giải trình: {j}"))),
            None => out.push(Block::Fill(
                "giải trình lý do đề xuất cấp độ khác với cấp độ theo tiêu chí".into(),
            )),
        }
    }
    match r.status.as_str() {
        "needs_review" => out.push(Block::Text(
            "Kết quả cần được người có thẩm quyền xem xét: cấp độ dựa trên ước lượng hoặc cách hiểu chưa được văn bản quy định rõ.".into(),
        )),
        "undetermined" => out.push(Block::Text(
            "Không tiêu chí nào của văn bản áp dụng cho hệ thống: cần quyết định của người có thẩm quyền.".into(),
        )),
        _ => {}
    }
    for w in &r.warnings {
        out.push(Block::Item(format!("Lưu ý: {w}")));
    }
    if !r.questions.is_empty() {
        out.push(Block::Heading("Nội dung cần làm rõ".into()));
        for q in &r.questions {
            out.push(Block::Item(format!(
                "{} (câu trả lời có thể dẫn tới cấp độ {})",
                q.text, q.could_change_level_to
            )));
        }
    }
    out
}
