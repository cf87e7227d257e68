//! The fixed answers of the system form, each with plain Vietnamese words and the clause it
//! comes from (Decree 85/2016 unless another instrument is named).

/// One answer of a question: the contract value, its label, a plain explanation, the clause.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub cite: &'static str,
}

const fn c(
    value: &'static str,
    label: &'static str,
    hint: &'static str,
    cite: &'static str,
) -> Choice {
    Choice {
        value,
        label,
        hint,
        cite,
    }
}

/// Every list of answers the form and the detail page show.
pub struct Choices {
    pub functions: &'static [Choice],
    pub information: &'static [Choice],
    pub secret_grades: &'static [Choice],
    pub harms: &'static [Choice],
    pub service_modes: &'static [Choice],
    pub service_levels: &'static [Choice],
    pub infrastructure_scopes: &'static [Choice],
    pub works_grades: &'static [Choice],
    pub hosting: &'static [Choice],
    pub statuses: &'static [Choice],
    pub levels: &'static [Choice],
}

pub static CHOICES: Choices = Choices {
    functions: &[
        c(
            "internal",
            "Phục vụ hoạt động nội bộ",
            "Chỉ cán bộ của cơ quan sử dụng: thư điện tử, quản lý văn bản và điều hành, họp trực tuyến, quản lý nhân sự, tài chính, tài sản, thông tin chuyên môn.",
            "Điều 6 khoản 2 điểm a",
        ),
        c(
            "citizen_business",
            "Phục vụ người dân, doanh nghiệp",
            "Cung cấp hoặc hỗ trợ dịch vụ trực tuyến cho người dân, doanh nghiệp: cổng, trang thông tin điện tử, dịch vụ công trực tuyến, một cửa điện tử, chăm sóc khách hàng.",
            "Điều 6 khoản 2 điểm b",
        ),
        c(
            "infrastructure",
            "Cơ sở hạ tầng thông tin",
            "Dùng chung cho nhiều cơ quan: mạng diện rộng, mạng truyền số liệu chuyên dùng, cơ sở dữ liệu, trung tâm dữ liệu, điện toán đám mây, xác thực, chữ ký số, trục tích hợp.",
            "Điều 6 khoản 2 điểm c",
        ),
        c(
            "industrial_control",
            "Điều khiển công nghiệp",
            "Giám sát, thu thập dữ liệu, quản lý và điều khiển công trình xây dựng (PLC, DCS, SCADA).",
            "Điều 6 khoản 2 điểm d",
        ),
        c(
            "other",
            "Loại khác",
            "Không thuộc các loại trên. Nghị định không có tiêu chí riêng: người có thẩm quyền sẽ quyết định cấp độ.",
            "Điều 6 khoản 2 điểm đ",
        ),
    ],
    information: &[
        c(
            "public",
            "Thông tin công cộng",
            "Công khai cho mọi người, không cần xác định người nhận.",
            "Điều 6 khoản 1 điểm a",
        ),
        c(
            "private",
            "Thông tin riêng",
            "Không công khai, hoặc chỉ cung cấp cho người được xác định: tài khoản đăng nhập, văn bản nội bộ, hồ sơ.",
            "Điều 6 khoản 1 điểm b",
        ),
        c(
            "personal",
            "Thông tin cá nhân",
            "Gắn với việc xác định một người cụ thể: họ tên, số định danh, địa chỉ, số điện thoại.",
            "Điều 6 khoản 1 điểm c",
        ),
        c(
            "state_secret",
            "Bí mật nhà nước",
            "Thông tin đã được xác định độ Mật, Tối mật hoặc Tuyệt mật.",
            "Điều 6 khoản 1 điểm d",
        ),
    ],
    secret_grades: &[
        c("mat", "Mật", "", "Luật Bảo vệ bí mật nhà nước, Điều 8"),
        c("toi_mat", "Tối mật", "", "Luật Bảo vệ bí mật nhà nước, Điều 8"),
        c("tuyet_mat", "Tuyệt mật", "", "Luật Bảo vệ bí mật nhà nước, Điều 8"),
    ],
    harms: &[
        c("harm", "Tổn hại", "", "Điều 9 khoản 1"),
        c("serious", "Tổn hại nghiêm trọng", "", "Điều 10 khoản 1"),
        c(
            "especially_serious",
            "Tổn hại đặc biệt nghiêm trọng",
            "",
            "Điều 11 khoản 1",
        ),
    ],
    service_modes: &[
        c(
            "information_only",
            "Chỉ cung cấp thông tin",
            "",
            "Nghị định 42/2022/NĐ-CP, Điều 11",
        ),
        c(
            "partial",
            "Một phần",
            "",
            "Nghị định 42/2022/NĐ-CP, Điều 11 khoản 1 điểm b",
        ),
        c(
            "full_process",
            "Toàn trình",
            "",
            "Nghị định 42/2022/NĐ-CP, Điều 11 khoản 1 điểm a",
        ),
    ],
    service_levels: &[
        c("1", "Mức độ 1 — chỉ thông tin về thủ tục", "", "Nghị định 43/2011/NĐ-CP, Điều 3 khoản 4"),
        c("2", "Mức độ 2 — tải biểu mẫu, nộp trực tiếp", "", "Nghị định 43/2011/NĐ-CP, Điều 3 khoản 4"),
        c("3", "Mức độ 3 — nộp hồ sơ trực tuyến", "", "Nghị định 43/2011/NĐ-CP, Điều 3 khoản 4"),
        c("4", "Mức độ 4 — nộp, thanh toán, nhận kết quả trực tuyến", "", "Nghị định 43/2011/NĐ-CP, Điều 3 khoản 4"),
    ],
    infrastructure_scopes: &[
        c("one_agency", "Chỉ một cơ quan, tổ chức", "", "Điều 8 khoản 3"),
        c(
            "multi_agency",
            "Dùng chung trong một ngành, một tỉnh hoặc một số tỉnh",
            "",
            "Điều 9 khoản 3",
        ),
        c("nationwide", "Dùng chung trên phạm vi toàn quốc", "", "Điều 10 khoản 3"),
        c(
            "international",
            "Hạ tầng quốc gia kết nối liên thông với quốc tế",
            "",
            "Điều 11 khoản 3",
        ),
    ],
    works_grades: &[
        c("iv", "Công trình cấp IV", "", "Điều 9 khoản 4"),
        c("iii", "Công trình cấp III", "", "Điều 9 khoản 4"),
        c("ii", "Công trình cấp II", "", "Điều 9 khoản 4"),
        c("i", "Công trình cấp I", "", "Điều 10 khoản 4"),
        c("special", "Công trình cấp đặc biệt", "", "Điều 11 khoản 4"),
        c(
            "national_security",
            "Công trình quan trọng liên quan đến an ninh quốc gia",
            "",
            "Điều 11 khoản 4",
        ),
    ],
    hosting: &[
        c("provincial_data_center", "Trung tâm dữ liệu tỉnh", "", ""),
        c("own_server_room", "Phòng máy chủ của cơ quan", "", ""),
        c("outside_provider", "Thuê nhà cung cấp bên ngoài", "", ""),
        c("cloud", "Điện toán đám mây", "", ""),
    ],
    statuses: &[
        c("planned", "Đang xây dựng", "", ""),
        c("in_operation", "Đang vận hành", "", ""),
        c("retired", "Đã dừng vận hành", "", ""),
    ],
    levels: &[
        c("1", "Cấp độ 1", "", ""),
        c("2", "Cấp độ 2", "", ""),
        c("3", "Cấp độ 3", "", ""),
        c("4", "Cấp độ 4", "", ""),
        c("5", "Cấp độ 5", "", ""),
    ],
};

/// The label of `value` in `list`, or the value itself when unknown.
pub fn label_in(list: &'static [Choice], value: &str) -> String {
    list.iter()
        .find(|c| c.value == value)
        .map(|c| c.label.to_string())
        .unwrap_or_else(|| value.to_string())
}

/// "Có" / "Không" / "Chưa rõ" for a three-state answer.
pub fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "Có",
        Some(false) => "Không",
        None => "Chưa rõ",
    }
}
