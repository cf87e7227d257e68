//! The columns of the systems register as a file: each column's field key, Vietnamese header,
//! width and the other headers recognised for it on import (shared by export and import).

use crate::domain::search::search_key;

/// One column of the register file.
#[derive(Debug, PartialEq)]
pub struct Column {
    /// The field the column holds (`name`, `urls`, …); also accepted as a header.
    pub key: &'static str,
    /// The header capdo writes.
    pub header: &'static str,
    /// Width in characters.
    pub width: f64,
    /// Other headers read as this column (compared without case or diacritics).
    pub aliases: &'static [&'static str],
    /// What the import does with the column.
    pub role: Role,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Shown only; the import ignores it (numbering, dossier letter, approved level).
    Shown,
    /// Read by the import.
    Data,
}

const fn col(
    key: &'static str,
    header: &'static str,
    width: f64,
    aliases: &'static [&'static str],
    role: Role,
) -> Column {
    Column {
        key,
        header,
        width,
        aliases,
        role,
    }
}

/// The register's columns in the order they are written: first the table of the seed report,
/// then the machine-readable data a re-import needs.
pub const COLUMNS: &[Column] = &[
    col("stt", "STT", 6.0, &["Số thứ tự", "TT"], Role::Shown),
    col(
        "register_name",
        "Tên hệ thống thông tin",
        42.0,
        &["Tên HTTT", "Hệ thống thông tin"],
        Role::Data,
    ),
    col(
        "operator_name",
        "Đơn vị vận hành",
        28.0,
        &["Đơn vị vận hành hệ thống"],
        Role::Data,
    ),
    col(
        "proposed_level",
        "Cấp độ đề xuất",
        10.0,
        &["Đề xuất cấp độ", "Cấp độ"],
        Role::Data,
    ),
    col(
        "submission",
        "Hồ sơ và thời gian gửi HSĐXCĐ",
        30.0,
        &[
            "Hồ sơ và thời gian gửi hồ sơ đề xuất cấp độ",
            "Hồ sơ đề xuất cấp độ",
        ],
        Role::Shown,
    ),
    col(
        "approved_level",
        "Cấp độ được phê duyệt",
        11.0,
        &["Cấp độ phê duyệt", "Cấp độ đã phê duyệt"],
        Role::Shown,
    ),
    col(
        "status",
        "Trạng thái",
        16.0,
        &["Trạng thái vận hành", "Tình trạng"],
        Role::Data,
    ),
    col("id", "Mã hệ thống", 28.0, &["Mã capdo"], Role::Data),
    col(
        "external_id",
        "Mã tham chiếu",
        16.0,
        &["Mã tham chiếu ngoài", "Mã ngoài", "Mã định danh"],
        Role::Data,
    ),
    col(
        "name",
        "Tên hệ thống",
        34.0,
        &["Tên", "Tên hệ thống (dữ liệu)"],
        Role::Data,
    ),
    col(
        "description",
        "Mô tả",
        40.0,
        &["Mô tả hệ thống"],
        Role::Data,
    ),
    col("kind", "Loại hệ thống", 14.0, &["Loại"], Role::Data),
    col(
        "urls",
        "Địa chỉ web, tên miền",
        30.0,
        &["Địa chỉ web", "Tên miền", "URL", "Địa chỉ truy cập"],
        Role::Data,
    ),
    col(
        "hosting_kind",
        "Nơi đặt hệ thống",
        22.0,
        &["Nơi đặt máy chủ", "Vị trí đặt máy chủ", "Hạ tầng"],
        Role::Data,
    ),
    col(
        "hosting_provider",
        "Nhà cung cấp hạ tầng, dịch vụ",
        24.0,
        &["Nhà cung cấp", "Nhà cung cấp hạ tầng"],
        Role::Data,
    ),
    col(
        "data_in_vietnam",
        "Dữ liệu lưu trữ tại Việt Nam",
        12.0,
        &["Dữ liệu tại Việt Nam", "Lưu trữ tại Việt Nam"],
        Role::Data,
    ),
    col(
        "owner_name",
        "Chủ quản hệ thống",
        26.0,
        &[
            "Chủ quản",
            "Cơ quan chủ quản",
            "Chủ quản hệ thống thông tin",
        ],
        Role::Data,
    ),
    col(
        "organization_code",
        "Mã đơn vị quản lý",
        16.0,
        &["Mã đơn vị", "Đơn vị quản lý (mã)"],
        Role::Data,
    ),
    col(
        "organization_name",
        "Đơn vị quản lý",
        26.0,
        &["Đơn vị"],
        Role::Data,
    ),
    col(
        "operator_code",
        "Mã đơn vị vận hành",
        16.0,
        &["Đơn vị vận hành (mã)"],
        Role::Data,
    ),
    col(
        "appraiser_name",
        "Đơn vị thẩm định",
        24.0,
        &["Đơn vị thẩm định hồ sơ"],
        Role::Data,
    ),
    col(
        "go_live_on",
        "Ngày đưa vào vận hành",
        14.0,
        &["Ngày vận hành", "Ngày đưa vào sử dụng"],
        Role::Data,
    ),
    col(
        "computed_level",
        "Cấp độ theo tiêu chí",
        10.0,
        &["Cấp độ xác định theo tiêu chí"],
        Role::Data,
    ),
    col(
        "proposal_justification",
        "Giải trình đề xuất cấp độ",
        30.0,
        &["Giải trình"],
        Role::Data,
    ),
    col(
        "regime",
        "Văn bản xác định cấp độ",
        14.0,
        &["Bộ quy tắc"],
        Role::Shown,
    ),
    col(
        "investment_before_law",
        "Dự án đầu tư trước ngày 01/07/2026",
        14.0,
        &["Dự án chuyển tiếp"],
        Role::Data,
    ),
    col(
        "chosen_regime",
        "Văn bản được chọn (dự án chuyển tiếp)",
        16.0,
        &["Văn bản được chọn"],
        Role::Data,
    ),
    col(
        "function",
        "Chức năng của hệ thống",
        20.0,
        &["Chức năng"],
        Role::Data,
    ),
    col(
        "information",
        "Loại thông tin xử lý",
        24.0,
        &["Loại thông tin", "Thông tin xử lý"],
        Role::Data,
    ),
    col(
        "facts",
        "Dữ kiện phân loại (JSON)",
        50.0,
        &["Dữ kiện phân loại", "Dữ kiện"],
        Role::Data,
    ),
];

/// Columns capdo writes but that a file to import need not have; everything else of
/// [`COLUMNS`] is written too. (`organization_name` is only read.)
pub fn exported() -> impl Iterator<Item = &'static Column> {
    COLUMNS.iter().filter(|c| c.key != "organization_name")
}

/// A header folded for comparison: no case, no diacritics, no `*` marking a required column,
/// no surrounding spaces or trailing colon.
pub fn fold_header(header: &str) -> String {
    let trimmed = header.trim().trim_end_matches([':', '*']).trim();
    search_key(trimmed)
}

/// The column a file's header stands for, if any.
pub fn match_header(header: &str) -> Option<&'static Column> {
    let folded = fold_header(header);
    if folded.is_empty() {
        return None;
    }
    COLUMNS.iter().find(|c| {
        folded == c.key
            || folded == fold_header(c.header)
            || c.aliases.iter().any(|a| folded == fold_header(a))
    })
}

/// The column of a field key.
pub fn by_key(key: &str) -> Option<&'static Column> {
    COLUMNS.iter().find(|c| c.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_with_or_without_diacritics() {
        assert_eq!(match_header("Tên hệ thống").unwrap().key, "name");
        assert_eq!(match_header("TEN HE THONG").unwrap().key, "name");
        assert_eq!(
            match_header(" ten he thong thong tin *").unwrap().key,
            "register_name"
        );
        assert_eq!(
            match_header("Don vi van hanh").unwrap().key,
            "operator_name"
        );
        assert_eq!(match_header("Mã tham chiếu").unwrap().key, "external_id");
        assert_eq!(match_header("urls").unwrap().key, "urls");
        assert_eq!(match_header("Ghi chú"), None);
        assert_eq!(match_header("  "), None);
    }

    #[test]
    fn headers_and_aliases_are_unambiguous() {
        let mut seen = std::collections::HashMap::new();
        for c in COLUMNS {
            let names = [c.key.to_string(), fold_header(c.header)];
            for name in names
                .into_iter()
                .chain(c.aliases.iter().map(|a| fold_header(a)))
            {
                let owner = seen.entry(name.clone()).or_insert(c.key);
                assert_eq!(*owner, c.key, "`{name}` names two columns");
            }
        }
    }
}
