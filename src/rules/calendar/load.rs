//! Reads and checks `rules/holidays/vn.yaml`: located errors in Vietnamese, like the packs.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{Calendar, Confidence, Entry, FixedHoliday, YearSummary};
use crate::rules::loader::LoadError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    id: Spanned<String>,
    title: String,
    working_week: Vec<Spanned<String>>,
    working_week_citation: String,
    #[serde(default)]
    citations: Vec<String>,
    #[serde(default)]
    fixed: Vec<RawFixed>,
    years: Vec<RawYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFixed {
    date: Spanned<String>,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: Spanned<i64>,
    status: Spanned<String>,
    #[serde(default)]
    note: Option<String>,
    tet: Spanned<String>,
    hung_kings: Spanned<String>,
    #[serde(default)]
    days_off: Vec<RawDayOff>,
    #[serde(default)]
    make_up_days: Vec<RawMakeUp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDayOff {
    from: Spanned<String>,
    #[serde(default)]
    to: Option<Spanned<String>>,
    title: String,
    confidence: Spanned<String>,
    source: String,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMakeUp {
    date: Spanned<String>,
    title: String,
    confidence: Spanned<String>,
    source: String,
    #[serde(default)]
    note: Option<String>,
}

struct Errors<'a> {
    file: &'a str,
    list: Vec<LoadError>,
}

impl Errors<'_> {
    fn at<T>(&mut self, s: &Spanned<T>, message: impl Into<String>) {
        self.list.push(LoadError {
            file: self.file.to_string(),
            line: s.referenced.line(),
            column: s.referenced.column(),
            message: message.into(),
        });
    }

    /// A `YYYY-MM-DD` date of `year`.
    fn date(&mut self, raw: &Spanned<String>, what: &str, year: i32) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(raw.value.trim(), "%Y-%m-%d") {
            Ok(d) if d.year() == year => Some(d),
            Ok(_) => {
                self.at(
                    raw,
                    format!("{what} `{}` không thuộc năm {year}", raw.value),
                );
                None
            }
            Err(_) => {
                self.at(
                    raw,
                    format!("{what} `{}` không phải ngày dạng YYYY-MM-DD", raw.value),
                );
                None
            }
        }
    }

    fn confidence(&mut self, raw: &Spanned<String>) -> Confidence {
        match raw.value.as_str() {
            "official" => Confidence::Official,
            "statutory" => Confidence::Statutory,
            "estimated" => Confidence::Estimated,
            "unconfirmed" => Confidence::Unconfirmed,
            other => {
                self.at(
                    raw,
                    format!(
                        "confidence `{other}` không hợp lệ (official, statutory, estimated, unconfirmed)"
                    ),
                );
                Confidence::Unconfirmed
            }
        }
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

pub(super) fn parse(file: &str, text: &str) -> Result<Calendar, Vec<LoadError>> {
    let raw: RawCalendar = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        vec![LoadError {
            file: file.to_string(),
            line,
            column,
            message: e
                .to_string()
                .lines()
                .next()
                .unwrap_or("YAML không hợp lệ")
                .to_string(),
        }]
    })?;
    let mut e = Errors {
        file,
        list: Vec::new(),
    };
    if raw.id.value.trim().is_empty() {
        e.at(&raw.id, "thiếu id của lịch nghỉ lễ");
    }
    if raw.working_week_citation.trim().is_empty() || raw.citations.is_empty() {
        e.at(
            &raw.id,
            "thiếu working_week_citation hoặc citations (căn cứ pháp lý)",
        );
    }
    let mut week = HashSet::new();
    for d in &raw.working_week {
        match weekday(&d.value) {
            Some(w) if week.insert(w) => {}
            Some(_) => e.at(d, format!("working_week: `{}` bị trùng", d.value)),
            None => e.at(
                d,
                format!("working_week: `{}` không hợp lệ (mon … sun)", d.value),
            ),
        }
    }
    if week.is_empty() {
        e.at(&raw.id, "working_week không có ngày nào");
    }
    for f in &raw.fixed {
        if NaiveDate::parse_from_str(&format!("2024-{}", f.date.value), "%Y-%m-%d").is_err() {
            e.at(
                &f.date,
                format!("fixed: `{}` không phải ngày dạng MM-DD", f.date.value),
            );
        }
    }
    if raw.years.is_empty() {
        e.at(&raw.id, "years: lịch không có năm nào");
        return Err(e.list);
    }

    let mut entries: BTreeMap<NaiveDate, Entry> = BTreeMap::new();
    let mut years = Vec::new();
    let first_year = i32::try_from(raw.years[0].year.value).unwrap_or(0);
    for (k, y) in raw.years.iter().enumerate() {
        let expected = i64::from(first_year) + k as i64;
        let Ok(year @ 2000..=2100) = i32::try_from(y.year.value) else {
            e.at(
                &y.year,
                format!("year {} nằm ngoài khoảng 2000–2100", y.year.value),
            );
            continue;
        };
        if y.year.value != expected {
            e.at(
                &y.year,
                format!("year {year}: các năm phải liên tiếp, tăng dần (chờ năm {expected})"),
            );
        }
        let provisional = match y.status.value.as_str() {
            "official" => false,
            "provisional" => true,
            other => {
                e.at(
                    &y.status,
                    format!("year {year}: status `{other}` không hợp lệ (official, provisional)"),
                );
                true
            }
        };
        if provisional && y.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            e.at(
                &y.status,
                format!("year {year}: năm provisional cần note giải thích"),
            );
        }
        let tet = e.date(&y.tet, &format!("year {year}: tet"), year);
        let hung_kings = e.date(&y.hung_kings, &format!("year {year}: hung_kings"), year);
        for d in &y.days_off {
            let what = format!("year {year}: days_off");
            let confidence = e.confidence(&d.confidence);
            if confidence == Confidence::Estimated && !provisional {
                e.at(
                    &d.confidence,
                    format!("{what}: ngày ước tính (estimated) chỉ được có trong năm provisional"),
                );
            }
            if d.title.trim().is_empty() || d.source.trim().is_empty() {
                e.at(&d.from, format!("{what}: thiếu title hoặc source"));
            }
            if confidence == Confidence::Unconfirmed && d.note.is_none() {
                e.at(&d.confidence, format!("{what}: ngày unconfirmed cần note"));
            }
            let Some(from) = e.date(&d.from, &format!("{what}: from"), year) else {
                continue;
            };
            let to = match &d.to {
                Some(t) => match e.date(t, &format!("{what}: to"), year) {
                    Some(to) if to >= from => to,
                    Some(_) => {
                        e.at(t, format!("{what}: to trước from"));
                        continue;
                    }
                    None => continue,
                },
                None => from,
            };
            let mut day = from;
            while day <= to {
                let entry = Entry {
                    title: d.title.clone(),
                    confidence,
                    make_up: false,
                    note: d.note.clone(),
                };
                if entries.insert(day, entry).is_some() {
                    e.at(
                        &d.from,
                        format!("{what}: ngày {} khai báo hai lần", day.format("%d/%m/%Y")),
                    );
                }
                day += Duration::days(1);
            }
        }
        for m in &y.make_up_days {
            let what = format!("year {year}: make_up_days");
            let confidence = e.confidence(&m.confidence);
            if m.title.trim().is_empty() || m.source.trim().is_empty() {
                e.at(&m.date, format!("{what}: thiếu title hoặc source"));
            }
            let Some(date) = e.date(&m.date, &format!("{what}: date"), year) else {
                continue;
            };
            if week.contains(&date.weekday()) {
                e.at(
                    &m.date,
                    format!(
                        "{what}: {} vốn là ngày làm việc, không cần làm bù",
                        date.format("%d/%m/%Y")
                    ),
                );
            }
            let entry = Entry {
                title: m.title.clone(),
                confidence,
                make_up: true,
                note: m.note.clone(),
            };
            if entries.insert(date, entry).is_some() {
                e.at(
                    &m.date,
                    format!(
                        "{what}: ngày {} vừa nghỉ vừa làm bù",
                        date.format("%d/%m/%Y")
                    ),
                );
            }
        }
        let off = |d: NaiveDate| {
            entries
                .get(&d)
                .is_some_and(|x| !x.make_up && x.confidence.applied())
        };
        for f in &raw.fixed {
            let Ok(d) = NaiveDate::parse_from_str(&format!("{year}-{}", f.date.value), "%Y-%m-%d")
            else {
                continue;
            };
            if week.contains(&d.weekday()) && !off(d) {
                e.at(
                    &y.year,
                    format!(
                        "year {year}: ngày lễ {} ({}) rơi vào ngày làm việc nhưng không có trong days_off",
                        d.format("%d/%m/%Y"),
                        f.title
                    ),
                );
            }
        }
        if let Some(tet) = tet {
            let near = (-3..=3).any(|k| off(tet + Duration::days(k)));
            if !near {
                e.at(
                    &y.tet,
                    format!(
                        "year {year}: không có ngày nghỉ Tết nào quanh mùng 1 ({})",
                        tet.format("%d/%m/%Y")
                    ),
                );
            }
        }
        if let (Some(tet), Some(hung_kings)) = (tet, hung_kings) {
            years.push(YearSummary {
                year,
                provisional,
                tet,
                hung_kings,
                days_off: y.days_off.len(),
                make_up_days: y.make_up_days.len(),
                note: y.note.clone(),
            });
        }
    }
    if !e.list.is_empty() {
        return Err(e.list);
    }

    let last_year = first_year + raw.years.len() as i32 - 1;
    let first_day = NaiveDate::from_ymd_opt(first_year, 1, 1).unwrap_or_default();
    let last_day = NaiveDate::from_ymd_opt(last_year, 12, 31).unwrap_or_default();
    let mut worked = Vec::with_capacity((last_day - first_day).num_days() as usize + 1);
    let mut count = 0u32;
    let mut day = first_day;
    while day <= last_day {
        let working = match entries.get(&day) {
            Some(x) if x.make_up => true,
            Some(x) if x.confidence.applied() => false,
            _ => week.contains(&day.weekday()),
        };
        count += u32::from(working);
        worked.push(count);
        day += Duration::days(1);
    }
    Ok(Calendar {
        id: raw.id.value,
        title: raw.title,
        working_week_citation: raw.working_week_citation,
        citations: raw.citations,
        fixed: raw
            .fixed
            .into_iter()
            .map(|f| FixedHoliday {
                month_day: f.date.value,
                title: f.title,
            })
            .collect(),
        origin: file.to_string(),
        first_day,
        first_year,
        last_year,
        worked,
        entries,
        years,
    })
}
