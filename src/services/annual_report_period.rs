//! The annual report's calendar and legal basis: which year is being reported, its data
//! period (15/12 of the year before to 14/12), the sending deadlines and the governing text.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

use crate::error::AppError;

/// The first year reported under Thông tư 12/2022/TT-BTTTT (in force from 01/10/2022).
pub const FIRST_YEAR: i32 = 2022;
/// From this report year on, Nghị định 331/2026/NĐ-CP Điều 35–36 and form Mẫu 08 apply.
pub const ND331_FROM: i32 = 2026;

/// The year whose report is being prepared on `today`: after 14/12 the data of the next
/// year's period are being gathered.
pub fn current_year(today: NaiveDate) -> i32 {
    if (today.month(), today.day()) > (12, 14) {
        today.year() + 1
    } else {
        today.year()
    }
}

/// The year asked for (blank: the current one), checked: digits only, from
/// `FIRST_YEAR` to the current report year.
pub fn parse_year(given: Option<&str>, today: NaiveDate) -> Result<i32, AppError> {
    let latest = current_year(today);
    let Some(text) = given.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(latest);
    };
    let range = format!("Năm báo cáo từ {FIRST_YEAR} đến {latest}");
    if !text.chars().all(|c| c.is_ascii_digit()) || text.len() != 4 {
        return Err(AppError::field(
            "year",
            format!("Năm báo cáo là số có bốn chữ số, ví dụ {latest}; {range}"),
        ));
    }
    let year: i32 = text
        .parse()
        .map_err(|_| AppError::field("year", range.clone()))?;
    if !(FIRST_YEAR..=latest).contains(&year) {
        return Err(AppError::field("year", range));
    }
    Ok(year)
}

/// Kỳ báo cáo and the sending deadlines of one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Period {
    /// First day with data: 15/12 of the year before.
    pub from: NaiveDate,
    /// Last day with data: 14/12 of the report year.
    pub to: NaiveDate,
    /// Units send their report to the owner before this day (20/12).
    pub units_before: NaiveDate,
    /// The owner sends the consolidated report before this day (25/12).
    pub owner_before: NaiveDate,
}

impl Period {
    pub fn of(year: i32) -> Self {
        let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        Self {
            from: day(year - 1, 12, 15),
            to: day(year, 12, 14),
            units_before: day(year, 12, 20),
            owner_before: day(year, 12, 25),
        }
    }

    /// The period as UTC instants `[from, until)`: Vietnam is UTC+7, so a day in Vietnam
    /// starts at 17:00 UTC of the day before.
    pub fn utc_bounds(&self) -> (NaiveDateTime, NaiveDateTime) {
        let start = |d: NaiveDate| d.and_time(NaiveTime::MIN) - chrono::Duration::hours(7);
        (start(self.from), start(self.to + chrono::Duration::days(1)))
    }

    /// "Từ ngày 15/12/2025 đến ngày 14/12/2026".
    pub fn text(&self) -> String {
        format!(
            "Từ ngày {} đến ngày {}",
            self.from.format("%d/%m/%Y"),
            self.to.format("%d/%m/%Y")
        )
    }
}

/// The text the report answers to, by report year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Basis {
    /// `tt12-2022` (Decree 85 era) or `nd331-2026` (Mẫu 08).
    pub code: &'static str,
    /// The report's title.
    pub title: &'static str,
    /// The article it is made under.
    pub citation: &'static str,
    /// The form, when the text prescribes one.
    pub form: Option<&'static str>,
    /// Who the owner sends the consolidated report to.
    pub recipient: &'static str,
}

pub fn basis(year: i32) -> Basis {
    if year >= ND331_FROM {
        Basis {
            code: "nd331-2026",
            title: "Báo cáo hằng năm về bảo vệ an ninh mạng đối với hệ thống thông tin theo cấp độ",
            citation: "Điều 35, Điều 36 Nghị định số 331/2026/NĐ-CP",
            form: Some("Mẫu số 08 ban hành kèm theo Nghị định số 331/2026/NĐ-CP"),
            recipient: "Bộ Công an",
        }
    } else {
        Basis {
            code: "tt12-2022",
            title: "Báo cáo định kỳ hằng năm về bảo đảm an toàn hệ thống thông tin theo cấp độ",
            citation: "Điều 13 Thông tư số 12/2022/TT-BTTTT (hướng dẫn Nghị định số 85/2016/NĐ-CP)",
            form: None,
            // The state function for information security passed from the Ministry of
            // Information and Communications to the Ministry of Public Security on 01/03/2025.
            recipient: if year >= 2025 {
                "Bộ Công an (tiếp nhận chức năng quản lý nhà nước về an toàn thông tin từ Bộ Thông tin và Truyền thông từ ngày 01/03/2025)"
            } else {
                "Bộ Thông tin và Truyền thông (Cục An toàn thông tin)"
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_report_year_turns_after_the_fourteenth_of_december() {
        assert_eq!(current_year(d(2026, 12, 14)), 2026);
        assert_eq!(current_year(d(2026, 12, 15)), 2027);
        assert_eq!(current_year(d(2026, 1, 1)), 2026);
    }

    #[test]
    fn a_period_runs_from_the_fifteenth_to_the_fourteenth() {
        let p = Period::of(2026);
        assert_eq!((p.from, p.to), (d(2025, 12, 15), d(2026, 12, 14)));
        assert_eq!(
            (p.units_before, p.owner_before),
            (d(2026, 12, 20), d(2026, 12, 25))
        );
        let (from, until) = p.utc_bounds();
        assert_eq!(from, d(2025, 12, 14).and_hms_opt(17, 0, 0).unwrap());
        assert_eq!(until, d(2026, 12, 14).and_hms_opt(17, 0, 0).unwrap());
        assert_eq!(p.text(), "Từ ngày 15/12/2025 đến ngày 14/12/2026");
    }

    #[test]
    fn years_are_checked_and_blank_means_the_current_one() {
        let today = d(2026, 12, 2);
        assert_eq!(parse_year(None, today).unwrap(), 2026);
        assert_eq!(parse_year(Some(" "), today).unwrap(), 2026);
        assert_eq!(parse_year(Some("2025"), today).unwrap(), 2025);
        for bad in ["1999", "abc", "2027", "20255", "-2025", "2021"] {
            assert!(parse_year(Some(bad), today).is_err(), "{bad}");
        }
        assert_eq!(parse_year(Some("2027"), d(2026, 12, 20)).unwrap(), 2027);
    }

    #[test]
    fn mau_08_applies_from_2026() {
        assert_eq!(basis(2025).code, "tt12-2022");
        assert!(basis(2025).form.is_none());
        assert_eq!(basis(2026).code, "nd331-2026");
        assert!(basis(2026).form.unwrap().contains("Mẫu số 08"));
        assert!(basis(2024).recipient.starts_with("Bộ Thông tin"));
        assert_eq!(basis(2027).recipient, "Bộ Công an");
    }
}
