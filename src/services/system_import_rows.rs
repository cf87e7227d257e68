//! One row of an imported register read into the fields of a system: each cell checked and
//! converted, with a Vietnamese message naming what is wrong.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::facts::{Function, InformationType};
use crate::domain::search::search_key;
use crate::domain::system::{HostingKind, SystemStatus};
use crate::domain::SystemFacts;
use crate::error::AppError;
use crate::export::cells::restore;
use crate::export::import_table::{self, Table, TableError};

/// The organisations an import may name, by code and by folded name.
pub struct OrgLookup {
    by_code: HashMap<String, String>,
    by_name: HashMap<String, Vec<String>>,
}

impl OrgLookup {
    /// `(id, code, name)` of the organisations in the importer's subtree.
    pub fn new(orgs: impl IntoIterator<Item = (String, String, String)>) -> Self {
        let mut by_code = HashMap::new();
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for (id, code, name) in orgs {
            by_code.insert(search_key(&code), id.clone());
            by_name.entry(search_key(&name)).or_default().push(id);
        }
        Self { by_code, by_name }
    }

    pub fn by_code(&self, code: &str) -> Result<String, String> {
        self.by_code.get(&search_key(code)).cloned().ok_or_else(|| {
            format!("Không tìm thấy đơn vị có mã «{code}» trong phạm vi quản lý của bạn")
        })
    }

    pub fn by_name(&self, name: &str) -> Result<String, String> {
        match self.by_name.get(&search_key(name)).map(Vec::as_slice) {
            Some([one]) => Ok(one.clone()),
            Some([_, _, ..]) => Err(format!(
                "Có nhiều đơn vị tên «{name}»: hãy dùng cột mã đơn vị"
            )),
            _ => Err(format!(
                "Không tìm thấy đơn vị «{name}» trong phạm vi quản lý của bạn"
            )),
        }
    }
}

/// The cells of a row by field key (only mapped columns are present), restored from the
/// formula neutralisation and trimmed.
pub struct Cells {
    values: HashMap<&'static str, String>,
}

impl Cells {
    pub fn new(values: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        Self {
            values: values
                .into_iter()
                .map(|(k, v)| (k, restore(v.trim()).trim().to_string()))
                .collect(),
        }
    }

    /// Whether the file has the column `key`.
    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The text of `key`, `None` when the column is absent.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// The text of `key` when the column is there and the cell not empty.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }
}

pub fn parse_bool(v: &str) -> Result<bool, String> {
    match search_key(v).as_str() {
        "co" | "x" | "yes" | "true" | "1" | "dung" => Ok(true),
        "khong" | "no" | "false" | "0" | "sai" => Ok(false),
        _ => Err(format!("«{v}» không hợp lệ; ghi Có hoặc Không")),
    }
}

pub fn parse_date(v: &str) -> Result<NaiveDate, String> {
    let v = v.trim();
    ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| format!("Ngày «{v}» không hợp lệ; ghi theo dạng dd/mm/yyyy"))
}

pub fn parse_level(v: &str) -> Result<u8, String> {
    let key = search_key(v);
    let digits = key
        .strip_prefix("cap do ")
        .or_else(|| key.strip_prefix("cap "))
        .unwrap_or(&key);
    digits
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=5).contains(n))
        .ok_or_else(|| format!("Cấp độ «{v}» không hợp lệ; ghi một số từ 1 đến 5"))
}

pub fn parse_hosting(v: &str) -> Result<HostingKind, String> {
    let key = search_key(v);
    [
        HostingKind::ProvincialDataCenter,
        HostingKind::OwnServerRoom,
        HostingKind::OutsideProvider,
        HostingKind::Cloud,
    ]
    .into_iter()
    .find(|h| key == h.as_str() || key == search_key(h.label()))
    .ok_or_else(|| {
        format!("Nơi đặt hệ thống «{v}» không hợp lệ; dùng: Trung tâm dữ liệu tỉnh, Phòng máy chủ của cơ quan, Thuê nhà cung cấp bên ngoài, Điện toán đám mây")
    })
}

pub fn parse_status(v: &str) -> Result<SystemStatus, String> {
    let key = search_key(v);
    [
        SystemStatus::Planned,
        SystemStatus::InOperation,
        SystemStatus::Retired,
    ]
    .into_iter()
    .find(|s| key == s.as_str() || key == search_key(s.label()))
    .ok_or_else(|| {
        format!(
            "Trạng thái «{v}» không hợp lệ; dùng: Đang xây dựng, Đang vận hành, Đã dừng vận hành"
        )
    })
}

const FUNCTIONS: [(Function, &str); 5] = [
    (Function::Internal, "Phục vụ hoạt động nội bộ"),
    (Function::CitizenBusiness, "Phục vụ người dân, doanh nghiệp"),
    (Function::Infrastructure, "Cơ sở hạ tầng thông tin"),
    (Function::IndustrialControl, "Điều khiển công nghiệp"),
    (Function::Other, "Loại khác"),
];

const INFORMATION: [(InformationType, &str); 4] = [
    (InformationType::Public, "Thông tin công cộng"),
    (InformationType::Private, "Thông tin riêng"),
    (InformationType::Personal, "Thông tin cá nhân"),
    (InformationType::StateSecret, "Bí mật nhà nước"),
];

pub fn parse_function(v: &str) -> Result<Function, String> {
    let key = search_key(v);
    FUNCTIONS
        .iter()
        .find(|(f, label)| key == f.as_str() || key == search_key(label))
        .map(|(f, _)| *f)
        .ok_or_else(|| {
            format!("Chức năng «{v}» không hợp lệ; dùng một trong: internal, citizen_business, infrastructure, industrial_control, other (hoặc tên tiếng Việt)")
        })
}

/// Kinds of information separated by `,`, `;` or new lines.
pub fn parse_information(v: &str) -> Result<Vec<InformationType>, String> {
    let mut out = Vec::new();
    for part in v
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let key = search_key(part);
        let found = INFORMATION
            .iter()
            .find(|(i, label)| key == i.as_str() || key == search_key(label) || search_key(label).ends_with(&format!(" {key}")))
            .map(|(i, _)| *i)
            .ok_or_else(|| {
                format!("Loại thông tin «{part}» không hợp lệ; dùng: public, private, personal, state_secret (hoặc tên tiếng Việt)")
            })?;
        if !out.contains(&found) {
            out.push(found);
        }
    }
    Ok(out)
}

/// The classification facts column: a JSON object of `SystemFacts` (empty: none).
pub fn parse_facts(v: &str) -> Result<SystemFacts, String> {
    if v.trim().is_empty() {
        return Ok(SystemFacts::default());
    }
    serde_json::from_str(v)
        .map_err(|e| format!("Dữ kiện phân loại không đúng định dạng JSON của capdo: {e}"))
}

/// Web addresses separated by new lines, `;`, `,` or spaces.
pub fn split_urls(v: &str) -> Vec<String> {
    v.split(['\n', '\r', ';', ',', ' '])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect()
}

/// The name and addresses in the register's "Tên hệ thống thông tin" cell: the first line is
/// the name; further lines are addresses, except the line on where the server is.
pub fn split_register_name(v: &str) -> (String, Vec<String>) {
    let mut lines = v.lines().map(str::trim).filter(|l| !l.is_empty());
    let name = lines.next().unwrap_or_default().to_string();
    let urls = lines
        .filter(|l| !search_key(l).starts_with("may chu"))
        .flat_map(split_urls)
        .collect();
    (name, urls)
}

/// Reads the table of an uploaded file, with the answer each problem gets.
pub fn read_table(file: &mut std::fs::File, max_rows: usize) -> Result<Table, AppError> {
    import_table::read(file, max_rows).map_err(|e| match e {
        TableError::NotSpreadsheet(kind) => AppError::UnsupportedFile(format!(
            "Tệp không phải bảng tính XLSX hoặc CSV{}; hãy lưu bảng tính dưới dạng .xlsx hoặc .csv (UTF-8). Loại tệp được xác định theo nội dung, không theo tên",
            kind.map(|k| format!(" (đây là tệp {})", k.label())).unwrap_or_default()
        )),
        TableError::Unreadable(m) => AppError::field("file", format!("Không đọc được bảng tính: {m}")),
        TableError::NoSheet => AppError::field("file", "Tệp XLSX không có trang tính nào"),
        TableError::NoHeader(sheet) => AppError::field(
            "file",
            format!(
                "Không tìm thấy bảng danh mục hệ thống{}: trong 10 dòng đầu không có dòng tiêu đề với các cột như «Tên hệ thống», «Chủ quản hệ thống», «Chức năng của hệ thống»",
                sheet.map(|s| format!(" trong trang tính «{s}»")).unwrap_or_default()
            ),
        ),
        TableError::TooManyRows(max) => AppError::FileTooLarge(format!(
            "Tệp có hơn {} dòng dữ liệu; mỗi lần chỉ nhập tối đa {} dòng: hãy chia thành nhiều tệp",
            thousands(max),
            thousands(max)
        )),
        TableError::Io(e) => AppError::internal(e),
    })
}

/// 20000 → "20.000".
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_parse_in_vietnamese_or_as_codes() {
        assert_eq!(parse_level("3"), Ok(3));
        assert_eq!(parse_level("Cấp độ 2"), Ok(2));
        assert!(parse_level("abc").unwrap_err().contains("«abc»"));
        assert!(parse_level("7").is_err());
        assert_eq!(
            parse_date("25/05/2021"),
            NaiveDate::from_ymd_opt(2021, 5, 25).ok_or(String::new())
        );
        assert_eq!(
            parse_date("5/7/2021").unwrap(),
            NaiveDate::from_ymd_opt(2021, 7, 5).unwrap()
        );
        assert!(parse_date("31/02/2021").is_err());
        assert_eq!(
            parse_hosting("trung tam du lieu tinh"),
            Ok(HostingKind::ProvincialDataCenter)
        );
        assert_eq!(parse_status("Đang vận hành"), Ok(SystemStatus::InOperation));
        assert_eq!(
            parse_function("Phục vụ người dân, doanh nghiệp"),
            Ok(Function::CitizenBusiness)
        );
        assert_eq!(
            parse_information("public, Thông tin cá nhân; riêng"),
            Ok(vec![
                InformationType::Public,
                InformationType::Personal,
                InformationType::Private
            ])
        );
        assert_eq!(parse_bool("có"), Ok(true));
        assert_eq!(
            split_register_name(
                "Cổng TTĐT\nhttps://a.gov.vn\nMáy chủ đặt tại: Trung tâm dữ liệu tỉnh"
            ),
            (
                "Cổng TTĐT".to_string(),
                vec!["https://a.gov.vn".to_string()]
            )
        );
    }
}
