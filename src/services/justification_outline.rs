//! The outline of the thuyết minh under the system's regime: Decree 85/2016 (overview, level
//! proposal, the security plan of Điều 19 khoản 2 a–g) or Decree 331/2026 (the three parts of
//! Điều 22 khoản 2–6).

use super::compliance_plan::PlanSection;
use super::justification_blocks::{
    hosting, information, information_label, level_label, overview, parties, proposal, scope,
};
use super::justification_content::{Block, Section, Sources};

pub const ND85: &str = "nd85-2016";

/// Điều 19 khoản 2 Nghị định 85/2016/NĐ-CP: the parts of the security plan.
pub const ND85_PLAN: [(&str, &str); 7] = [
    (
        "a",
        "Bảo đảm an toàn thông tin trong thiết kế, xây dựng hệ thống",
    ),
    (
        "b",
        "Bảo đảm an toàn thông tin trong quá trình vận hành hệ thống",
    ),
    ("c", "Kiểm tra, đánh giá an toàn thông tin"),
    ("d", "Quản lý rủi ro an toàn thông tin"),
    ("đ", "Giám sát an toàn thông tin"),
    ("e", "Dự phòng, ứng cứu sự cố, khôi phục sau thảm họa"),
    ("g", "Kết thúc vận hành, khai thác, thanh lý, hủy bỏ"),
];

/// Điều 22 khoản 2 Nghị định 331/2026/NĐ-CP: the three parts of the justification.
pub const ND331_PARTS: [&str; 3] = [
    "PHẦN I. TỔNG QUAN VỀ HỆ THỐNG THÔNG TIN",
    "PHẦN II. ĐỀ XUẤT CẤP ĐỘ",
    "PHẦN III. PHƯƠNG ÁN BẢO ĐẢM AN NINH MẠNG THEO CẤP ĐỘ",
];

fn fill(what: &str) -> Block {
    Block::Fill(what.to_string())
}

/// The checklist's sections as tables, or a placeholder when no checklist is started.
fn plan_tables(plan: Option<&[PlanSection]>, what: &str) -> Vec<Block> {
    let Some(plan) = plan.filter(|p| !p.is_empty()) else {
        return vec![fill(&format!(
            "{what}: chưa lập bảng đánh giá đáp ứng yêu cầu cơ bản trong capdo"
        ))];
    };
    let mut out = Vec::new();
    for section in plan {
        out.push(Block::Heading(format!(
            "{} (còn {} yêu cầu chưa đáp ứng)",
            section.title, section.open
        )));
        let rows = section
            .lines
            .iter()
            .map(|l| {
                let mut how = l.how.clone();
                for d in &l.documents {
                    how = format!("{how}\n{d}");
                }
                vec![
                    l.code.clone(),
                    l.requirement.clone(),
                    l.clause.clone().unwrap_or_default(),
                    how,
                    l.status_label.clone(),
                ]
            })
            .collect();
        out.push(Block::Table {
            weights: vec![2, 6, 2, 6, 3],
            header: [
                "Mã",
                "Yêu cầu",
                "Điều khoản",
                "Phương án đáp ứng",
                "Tình trạng",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        });
    }
    out
}

fn section(title: impl Into<String>, blocks: Vec<Block>) -> Section {
    Section {
        title: title.into(),
        blocks,
    }
}

/// The sections of the document under the system's regime.
pub fn sections(s: &Sources) -> Vec<Section> {
    if s.row.regime_id == ND85 {
        nd85(s)
    } else {
        nd331(s)
    }
}

fn nd85(s: &Sources) -> Vec<Section> {
    let mut plan = vec![Block::Text(
        "Phương án bảo đảm an toàn hệ thống thông tin theo cấp độ gồm các nội dung theo Điều 19 khoản 2 Nghị định 85/2016/NĐ-CP:".into(),
    )];
    for (point, title) in ND85_PLAN {
        plan.push(Block::Heading(format!("{point}) {title}")));
        plan.push(fill(&format!("nội dung “{}”", title.to_lowercase())));
    }
    plan.push(Block::Heading(
        "Đối chiếu yêu cầu cơ bản (Thông tư 12/2022/TT-BTTTT, TCVN 11930:2017)".into(),
    ));
    plan.extend(plan_tables(
        s.plan.as_deref(),
        "bảng đối chiếu yêu cầu cơ bản",
    ));
    let mut general = overview(s);
    general.push(Block::Pairs(parties(s)));
    vec![
        section("1. Mô tả tổng quan về hệ thống thông tin", general),
        section("2. Phạm vi, quy mô và thành phần của hệ thống", scope(s)),
        section(
            "3. Hạ tầng và đơn vị vận hành",
            vec![Block::Pairs(hosting(s))],
        ),
        section("4. Loại thông tin hệ thống xử lý", information(s)),
        section("5. Thuyết minh đề xuất cấp độ", proposal(s)),
        section("6. Phương án bảo đảm an toàn thông tin theo cấp độ", plan),
    ]
}

fn nd331(s: &Sources) -> Vec<Section> {
    let party = |label: &str, name: String| {
        vec![
            Block::Heading(label.to_string()),
            Block::Pairs(vec![
                ("Tên".into(), name),
                ("Chức năng, nhiệm vụ".into(), "[Đơn vị bổ sung]".into()),
                ("Người đại diện, chức vụ".into(), "[Đơn vị bổ sung]".into()),
                ("Địa chỉ".into(), "[Đơn vị bổ sung]".into()),
                ("Điện thoại, thư điện tử".into(), "[Đơn vị bổ sung]".into()),
            ]),
        ]
    };
    let operator = s
        .operator_name
        .clone()
        .unwrap_or_else(|| s.org_name.clone());
    let mut part1 = party(
        "1. Thông tin về chủ quản hệ thống thông tin (điểm a)",
        s.row.owner_name.clone(),
    );
    part1.extend(party(
        "2. Thông tin về đơn vị vận hành hệ thống thông tin (điểm b)",
        operator,
    ));
    part1.push(Block::Heading(
        "3. Phạm vi, quy mô, đối tượng phục vụ (điểm c)".into(),
    ));
    part1.extend(overview(s));
    part1.extend(scope(s));
    part1.push(Block::Heading("4. Kiến trúc hệ thống (điểm d)".into()));
    part1.push(Block::Text("a) Mô hình logic và mô hình vật lý:".into()));
    part1.push(fill("sơ đồ mô hình logic, mô hình vật lý của hệ thống"));
    part1.push(Block::Text(
        "b) Thiết bị chính, thiết bị mạng (tên, chủng loại, vị trí, mục đích sử dụng):".into(),
    ));
    part1.push(Block::Pairs(hosting(s)));
    part1.push(fill("danh mục thiết bị chính và thiết bị mạng"));
    part1.push(Block::Text(
        "c) Ứng dụng, dịch vụ (tên, máy chủ, vị trí, hệ điều hành, mục đích):".into(),
    ));
    part1.push(fill("danh mục ứng dụng, dịch vụ và máy chủ cài đặt"));
    part1.push(Block::Text(
        "d) Phân vùng mạng và quy hoạch địa chỉ IP (IP private, IP public):".into(),
    ));
    part1.push(fill("sơ đồ phân vùng mạng và bảng quy hoạch địa chỉ IP"));

    let level = s.row.proposed_level.or(s.row.computed_level);
    let mut listed = vec![vec![
        "1".to_string(),
        s.row.name.clone(),
        level_label(level.map(i64::from)),
        s.result
            .matched
            .iter()
            .map(|c| c.citation.clone())
            .collect::<Vec<_>>()
            .join("; "),
    ]];
    for (i, (name, l)) in s.components.iter().enumerate() {
        listed.push(vec![
            (i + 2).to_string(),
            name.clone(),
            level_label(l.map(i64::from)),
            "Hệ thống thành phần".into(),
        ]);
    }
    let mut part2 = vec![
        Block::Heading(
            "1. Danh mục các hệ thống thông tin và cấp độ tương ứng (khoản 4 điểm a)".into(),
        ),
        Block::Table {
            weights: vec![1, 6, 2, 5],
            header: ["STT", "Tên hệ thống thông tin", "Cấp độ đề xuất", "Căn cứ"]
                .map(String::from)
                .to_vec(),
            rows: listed,
        },
        Block::Heading("2. Thuyết minh chi tiết (khoản 4 điểm b)".into()),
        Block::Text(format!(
            "Loại hệ thống: {}. Loại thông tin xử lý: {}.",
            s.kind_label
                .clone()
                .unwrap_or_else(|| "[Đơn vị bổ sung]".into()),
            s.facts
                .information
                .iter()
                .map(|i| information_label(*i).to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    ];
    part2.extend(information(s));
    part2.extend(proposal(s));
    part2.push(Block::Heading(
        "3. Nhận diện sơ bộ rủi ro an ninh mạng (khoản 4 điểm c)".into(),
    ));
    part2.push(Block::Table {
        weights: vec![1, 5, 5, 5],
        header: [
            "STT",
            "Rủi ro an ninh mạng chủ yếu",
            "Tác động dự kiến",
            "Biện pháp giảm thiểu",
        ]
        .map(String::from)
        .to_vec(),
        rows: (1..=3)
            .map(|i| {
                vec![
                    i.to_string(),
                    "[Đơn vị bổ sung]".into(),
                    "[Đơn vị bổ sung]".into(),
                    "[Đơn vị bổ sung]".into(),
                ]
            })
            .collect(),
    });
    if level.is_some_and(|l| l >= 4) {
        part2.push(Block::Heading(
            "4. Nội dung bổ sung đối với cấp độ 4, cấp độ 5 (khoản 5)".into(),
        ));
        for what in [
            "a) Hệ thống thông tin liên quan hoặc kết nối có ảnh hưởng tới hệ thống",
            "b) Nguy cơ tấn công và tác động",
            "c) Phạm vi, mức độ tổn hại tới lợi ích công cộng, trật tự, an toàn xã hội, an ninh quốc gia",
            "d) Thuyết minh yêu cầu vận hành 24/7, không chấp nhận ngừng vận hành khi không có kế hoạch",
        ] {
            part2.push(Block::Text(what.into()));
            part2.push(fill("báo cáo đánh giá rủi ro chi tiết"));
        }
    }
    let mut part3 = vec![Block::Text(
        "Phương án đáp ứng yêu cầu quản lý và yêu cầu kỹ thuật của cấp độ đề xuất; thuyết minh chi tiết cách thực hiện từng yêu cầu (Điều 22 khoản 6 Nghị định 331/2026/NĐ-CP).".into(),
    )];
    part3.extend(plan_tables(
        s.plan.as_deref(),
        "phương án đáp ứng từng yêu cầu",
    ));
    vec![
        section(format!("{} (Điều 22 khoản 3)", ND331_PARTS[0]), part1),
        section(format!("{} (Điều 22 khoản 4)", ND331_PARTS[1]), part2),
        section(format!("{} (Điều 22 khoản 6)", ND331_PARTS[2]), part3),
    ]
}
