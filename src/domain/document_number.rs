//! The number and symbol of an official document (số, ký hiệu văn bản), e.g. `2559/SCT-VP`,
//! `15/2024/TT-BTTTT`, `123/QĐ-UBND`: a value of `DocNumber` is always well formed.

use std::fmt;

/// Longest number accepted; real ones stay well under it.
const MAX_CHARS: usize = 60;

/// A validated "số/ký hiệu": digits, an optional four-digit year, then the symbol.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DocNumber(String);

impl DocNumber {
    /// Parses a number as typed; surrounding spaces are dropped and the look-alike `Ð`
    /// (U+00D0, common from some keyboards) is read as `Đ`. The error is Vietnamese.
    pub fn parse(input: &str) -> Result<Self, String> {
        let text: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '\u{00D0}' => 'Đ',
                '\u{00F0}' => 'đ',
                other => other,
            })
            .collect();
        if text.is_empty() {
            return Err("Vui lòng nhập số, ký hiệu văn bản (ví dụ 2559/SCT-VP)".into());
        }
        if text.chars().count() > MAX_CHARS {
            return Err(format!("Số, ký hiệu văn bản dài tối đa {MAX_CHARS} ký tự"));
        }
        if text.chars().any(char::is_whitespace) {
            return Err("Số, ký hiệu văn bản không chứa khoảng trắng (ví dụ 2559/SCT-VP)".into());
        }
        let parts: Vec<&str> = text.split('/').collect();
        let (number, year, symbol) = match parts.as_slice() {
            [number, symbol] => (*number, None, *symbol),
            [number, year, symbol] => (*number, Some(*year), *symbol),
            _ => {
                return Err("Số, ký hiệu văn bản gồm số, năm ban hành (nếu có) và ký hiệu, cách nhau bởi dấu “/” (ví dụ 2559/SCT-VP hoặc 15/2024/TT-BTTTT)".into())
            }
        };
        if number.is_empty() || number.len() > 7 || !number.chars().all(|c| c.is_ascii_digit()) {
            return Err(
                "Phần số phải là chữ số, đứng trước dấu “/” (ví dụ 2559 trong 2559/SCT-VP)".into(),
            );
        }
        if number.chars().all(|c| c == '0') {
            return Err("Phần số của văn bản phải lớn hơn 0".into());
        }
        if let Some(year) = year {
            let valid = year.len() == 4
                && year
                    .parse::<u16>()
                    .is_ok_and(|y| (1945..=2100).contains(&y));
            if !valid {
                return Err(
                    "Năm ban hành gồm 4 chữ số, từ 1945 (ví dụ 2024 trong 15/2024/TT-BTTTT)".into(),
                );
            }
        }
        check_symbol(symbol)?;
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The symbol: groups of letters (Vietnamese letters included, e.g. `NĐ`, `QĐ`, `TTg`) and
/// digits, joined by hyphens, each group starting with a letter.
fn check_symbol(symbol: &str) -> Result<(), String> {
    let message = || {
        "Ký hiệu văn bản gồm chữ cái, chữ số và dấu gạch nối, mỗi nhóm bắt đầu bằng chữ cái (ví dụ SCT-VP, QĐ-UBND, NĐ-CP)".to_string()
    };
    if symbol.is_empty() {
        return Err("Thiếu ký hiệu văn bản sau dấu “/” (ví dụ SCT-VP trong 2559/SCT-VP)".into());
    }
    for group in symbol.split('-') {
        let mut chars = group.chars();
        match chars.next() {
            Some(first) if first.is_alphabetic() => {}
            _ => return Err(message()),
        }
        if !chars.all(|c| c.is_alphanumeric()) {
            return Err(message());
        }
    }
    Ok(())
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::DocNumber;

    #[test]
    fn real_numbers_are_accepted() {
        for number in [
            "2559/SCT-VP",
            "936/SCT-VP",
            "15/2024/TT-BTTTT",
            "85/2016/NĐ-CP",
            "123/QĐ-UBND",
            "1017/QĐ-TTg",
            "05/CT-TTg",
            "12/2022/TT-BTTTT",
            "331/2026/NĐ-CP",
            "88/QĐ-SCT",
        ] {
            assert_eq!(DocNumber::parse(number).unwrap().as_str(), number);
        }
    }

    #[test]
    fn spaces_around_are_dropped_and_the_look_alike_eth_is_read_as_d_stroke() {
        let n = DocNumber::parse("  85/2016/\u{00D0}-CP ").unwrap();
        assert_eq!(n.as_str(), "85/2016/Đ-CP");
        assert_eq!(n.to_string(), "85/2016/Đ-CP");
    }

    fn error(input: &str) -> String {
        DocNumber::parse(input).unwrap_err()
    }

    #[test]
    fn malformed_numbers_are_refused_with_a_vietnamese_reason() {
        assert!(error("").contains("Vui lòng nhập"));
        assert!(error("   ").contains("Vui lòng nhập"));
        assert!(error("2559").contains("dấu “/”"));
        assert!(error("2559 /SCT-VP").contains("khoảng trắng"));
        assert!(error("1/2/3/TT").contains("dấu “/”"));
        assert!(error("abc/SCT-VP").contains("Phần số"));
        assert!(error("/SCT-VP").contains("Phần số"));
        assert!(error("0/SCT-VP").contains("lớn hơn 0"));
        assert!(error("15/24/TT-BTTTT").contains("Năm ban hành"));
        assert!(error("15/1900/TT-BTTTT").contains("Năm ban hành"));
        assert!(error("2559/").contains("Thiếu ký hiệu"));
        assert!(error("2559/SCT--VP").contains("Ký hiệu"));
        assert!(error("2559/-SCT").contains("Ký hiệu"));
        assert!(error("2559/SCT-VP-").contains("Ký hiệu"));
        assert!(error("2559/9SCT").contains("Ký hiệu"));
        assert!(error("2559/SCT_VP").contains("Ký hiệu"));
        assert!(error("2559/SCT.VP").contains("Ký hiệu"));
        assert!(error(&format!("1/{}", "A".repeat(70))).contains("tối đa"));
    }
}
