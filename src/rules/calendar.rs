//! Vietnamese public-holiday calendar (`rules/holidays/vn.yaml`) and the working-day arithmetic
//! of legal clocks.
//!
//! Convention (Bộ luật Dân sự 2015, which Decrees 85 and 331 do not displace — digest §10.1
//! and ambiguity A12, nd331-digest §10 give only the lengths and units): a limit counted in
//! days starts on the day **after** the event that triggers it, e.g. the receipt of a complete
//! dossier (Điều 147 khoản 2, 3), and ends at the end of its last day; when that last day is a
//! weekly rest day or a holiday, the limit ends at the end of the next working day (Điều 148
//! khoản 1, 5). Working days are Monday–Friday for public servants (Quyết định 188/1999/QĐ-TTg),
//! minus the days off of the calendar, plus its make-up working days (làm bù).

mod load;
#[cfg(test)]
mod tests;
mod types;

pub use types::*;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};

use super::loader::LoadError;

/// The calendar shipped in the binary.
pub const EMBEDDED_FILE: &str = "rules/holidays/vn.yaml";
const EMBEDDED: &str = include_str!("../../rules/holidays/vn.yaml");

/// A day off or make-up day of the data.
#[derive(Clone, Debug)]
struct Entry {
    title: String,
    confidence: Confidence,
    make_up: bool,
    note: Option<String>,
}

/// Working days of the covered years, with a running count for constant-time arithmetic.
#[derive(Clone, Debug)]
pub struct Calendar {
    pub id: String,
    pub title: String,
    /// Where the data came from (a file path or `rules/holidays/vn.yaml`).
    pub origin: String,
    pub working_week_citation: String,
    pub citations: Vec<String>,
    pub fixed: Vec<FixedHoliday>,
    first_day: NaiveDate,
    first_year: i32,
    last_year: i32,
    /// `worked[i]`: working days in `[first_day, first_day + i]`.
    worked: Vec<u32>,
    entries: BTreeMap<NaiveDate, Entry>,
    years: Vec<YearSummary>,
}

impl Calendar {
    /// The calendar of `<overlay_dir>/holidays/vn.yaml` when present, else the embedded one.
    pub fn load(overlay_dir: Option<&Path>) -> Result<Self, Vec<LoadError>> {
        if let Some(path) = overlay_dir.map(|d| d.join("holidays").join("vn.yaml")) {
            if path.is_file() {
                let file = path.display().to_string();
                return match std::fs::read_to_string(&path) {
                    Ok(text) => Self::from_yaml(&file, &text),
                    Err(e) => Err(vec![LoadError {
                        file,
                        line: 0,
                        column: 0,
                        message: format!("không đọc được tệp: {e}"),
                    }]),
                };
            }
        }
        Self::embedded()
    }

    pub fn embedded() -> Result<Self, Vec<LoadError>> {
        Self::from_yaml(EMBEDDED_FILE, EMBEDDED)
    }

    /// Parses and checks a calendar; `file` names it in errors.
    pub fn from_yaml(file: &str, text: &str) -> Result<Self, Vec<LoadError>> {
        load::parse(file, text)
    }

    /// The years covered, first and last.
    pub fn years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    pub fn year_summaries(&self) -> &[YearSummary] {
        &self.years
    }

    /// Lines for `capdo check-rules`, in Vietnamese.
    pub fn summary(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} — {} ({}): {}–{}",
            self.id, self.title, self.origin, self.first_year, self.last_year
        )];
        for y in &self.years {
            let uncertain = self
                .entries
                .iter()
                .filter(|(d, e)| d.year() == y.year && !e.confidence.certain())
                .count();
            out.push(format!(
                "  {}: {}; Tết {}, Giỗ Tổ {}; {} mục ngày nghỉ, {} ngày làm bù, {} ngày chưa chắc chắn; {} ngày làm việc",
                y.year,
                if y.provisional { "tạm tính" } else { "chính thức" },
                y.tet.format("%d/%m"),
                y.hung_kings.format("%d/%m"),
                y.days_off,
                y.make_up_days,
                uncertain,
                self.working_in_year(y.year),
            ));
        }
        out
    }

    fn working_in_year(&self, year: i32) -> u32 {
        let (Some(a), Some(b)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return 0;
        };
        match (self.index(a), self.index(b)) {
            (Ok(i), Ok(j)) => self.worked_at(j) - self.worked_at(i) + u32::from(self.working_at(i)),
            _ => 0,
        }
    }

    pub fn covers(&self, date: NaiveDate) -> bool {
        (self.first_year..=self.last_year).contains(&date.year())
    }

    fn index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        if !self.covers(date) {
            return Err(self.out_of_range(date));
        }
        Ok((date - self.first_day).num_days() as usize)
    }

    fn out_of_range(&self, date: NaiveDate) -> CalendarError {
        CalendarError::OutOfRange {
            date,
            first: self.first_year,
            last: self.last_year,
        }
    }

    fn worked_at(&self, i: usize) -> u32 {
        self.worked[i]
    }

    fn working_at(&self, i: usize) -> bool {
        let before = if i == 0 { 0 } else { self.worked[i - 1] };
        self.worked[i] > before
    }

    fn date_at(&self, i: usize) -> NaiveDate {
        self.first_day + Duration::days(i as i64)
    }

    pub fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        let i = self.index(date)?;
        let working = self.working_at(i);
        let entry = self.entries.get(&date);
        let kind = match entry {
            Some(e) if e.make_up => DayKind::MakeUp,
            Some(e) if e.confidence.applied() => DayKind::DayOff,
            _ if working => DayKind::Working,
            _ => DayKind::WeeklyRest,
        };
        Ok(DayInfo {
            date,
            working,
            kind,
            title: entry.map(|e| e.title.clone()),
            confidence: entry.map(|e| e.confidence),
            note: entry.and_then(|e| e.note.clone()),
        })
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.working_at(self.index(date)?))
    }

    /// The `n`-th working day after `start` (the day of `start` itself is not counted);
    /// `start` when `n` is 0.
    pub fn add_working_days(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<Reckoned<NaiveDate>, CalendarError> {
        let s = self.index(start)?;
        if n == 0 {
            return Ok(Reckoned {
                value: start,
                caveats: Vec::new(),
            });
        }
        let target = self.worked_at(s) + n;
        let end = self.worked.partition_point(|&w| w < target);
        if end >= self.worked.len() {
            return Err(self.out_of_range(self.date_at(self.worked.len())));
        }
        let value = self.date_at(end);
        Ok(Reckoned {
            value,
            caveats: self.caveats(start, value),
        })
    }

    /// `start` plus `n` calendar days (the day of `start` is not counted); when that day is not
    /// a working day, the next working day (Bộ luật Dân sự 2015 Điều 148 khoản 5).
    pub fn add_calendar_days(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<Reckoned<NaiveDate>, CalendarError> {
        self.index(start)?;
        let raw = start + Duration::days(i64::from(n));
        let mut i = self.index(raw)?;
        while !self.working_at(i) {
            i += 1;
            if i >= self.worked.len() {
                return Err(self.out_of_range(self.date_at(i)));
            }
        }
        let value = self.date_at(i);
        // Only the days that decide where the limit ends can move it.
        let from = raw.pred_opt().unwrap_or(raw);
        Ok(Reckoned {
            value,
            caveats: self.caveats(from, value),
        })
    }

    /// The deadline of a limit of `n` days in `unit` triggered on `start`.
    pub fn add_days(
        &self,
        start: NaiveDate,
        n: u32,
        unit: DayUnit,
    ) -> Result<Reckoned<NaiveDate>, CalendarError> {
        match unit {
            DayUnit::Working => self.add_working_days(start, n),
            DayUnit::Calendar => self.add_calendar_days(start, n),
        }
    }

    /// Working days after `a` up to and including `b`; negative when `b` is before `a`
    /// (e.g. today → deadline: the working days left, or overdue when negative).
    pub fn working_days_between(
        &self,
        a: NaiveDate,
        b: NaiveDate,
    ) -> Result<Reckoned<i64>, CalendarError> {
        let (ia, ib) = (self.index(a)?, self.index(b)?);
        let value = i64::from(self.worked_at(ib)) - i64::from(self.worked_at(ia));
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        Ok(Reckoned {
            value,
            caveats: self.caveats(lo, hi),
        })
    }

    /// Caveats of the days in `(after, through]`.
    fn caveats(&self, after: NaiveDate, through: NaiveDate) -> Vec<Caveat> {
        let mut out = Vec::new();
        if through <= after {
            return out;
        }
        let first = after.succ_opt().unwrap_or(after);
        for y in self.years.iter().filter(|y| y.provisional) {
            if (first.year()..=through.year()).contains(&y.year) {
                out.push(Caveat::ProvisionalYear {
                    year: y.year,
                    note: y.note.clone().unwrap_or_default(),
                });
            }
        }
        for (date, e) in self.entries.range(first..=through) {
            if !e.confidence.certain() {
                out.push(Caveat::UncertainDay {
                    date: *date,
                    title: e.title.clone(),
                    confidence: e.confidence,
                });
            }
        }
        out
    }
}
