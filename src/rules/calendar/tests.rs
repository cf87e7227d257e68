//! Tests of the shipped calendar and of the working-day arithmetic.

use chrono::NaiveDate;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cal() -> Calendar {
    Calendar::embedded().unwrap_or_else(|e| panic!("{e:?}"))
}

fn add(c: &Calendar, start: NaiveDate, n: u32) -> NaiveDate {
    c.add_working_days(start, n).unwrap().value
}

#[test]
fn covers_2024_to_2027() {
    let c = cal();
    assert_eq!(c.years(), (2024, 2027));
    let s = c.year_summaries();
    assert_eq!(s[0].tet, d(2024, 2, 10));
    assert_eq!(s[2].tet, d(2026, 2, 17));
    assert_eq!(s[3].tet, d(2027, 2, 6));
    assert_eq!(s[2].hung_kings, d(2026, 4, 26));
    assert!(s.iter().take(3).all(|y| !y.provisional));
    assert!(s[3].provisional);
}

#[test]
fn working_days_per_year_match_a_hand_count() {
    let c = cal();
    // Weekdays of the year, minus weekday days off, plus make-up Saturdays.
    for (year, expected) in [
        (2024, 262 - 12 + 1),
        (2025, 261 - 12 + 1),
        (2026, 261 - 13 + 2),
    ] {
        let n = c
            .working_days_between(d(year - 1, 12, 31).max(d(2024, 1, 1)), d(year, 12, 31))
            .unwrap()
            .value;
        // 01/01/2024 itself is a holiday, so starting the count on it loses nothing.
        assert_eq!(n, expected, "{year}");
    }
}

#[test]
fn weekends_are_skipped_and_the_first_day_is_not_counted() {
    let c = cal();
    // Received on a Friday: the first working day after is Monday.
    assert_eq!(add(&c, d(2024, 3, 8), 1), d(2024, 3, 11));
    assert_eq!(add(&c, d(2024, 3, 8), 5), d(2024, 3, 15));
    // Received on a Saturday: Monday is day 1.
    assert_eq!(add(&c, d(2024, 3, 9), 1), d(2024, 3, 11));
    assert_eq!(add(&c, d(2024, 3, 8), 0), d(2024, 3, 8));
    assert!(!c.is_working_day(d(2024, 3, 9)).unwrap());
    assert_eq!(c.day(d(2024, 3, 10)).unwrap().kind, DayKind::WeeklyRest);
}

#[test]
fn tet_2026_is_nine_days_off() {
    let c = cal();
    for day in 14..=22 {
        assert!(!c.is_working_day(d(2026, 2, day)).unwrap(), "{day}/02/2026");
    }
    assert!(c.is_working_day(d(2026, 2, 13)).unwrap());
    assert!(c.is_working_day(d(2026, 2, 23)).unwrap());
    let tet = c.day(d(2026, 2, 17)).unwrap();
    assert_eq!(tet.kind, DayKind::DayOff);
    assert_eq!(tet.confidence, Some(Confidence::Official));
    // Validity check of 5 working days for a dossier received Thursday 12/02/2026:
    // 13/02 is day 1, then Tết, then 23–26/02.
    let r = c.add_days(d(2026, 2, 12), 5, DayUnit::Working).unwrap();
    assert_eq!(r.value, d(2026, 2, 26));
    assert!(r.is_certain());
    // Decree 85 appraisal, 15 calendar days from 05/02/2026, ends on Friday 20/02 (Tết):
    // it moves to the next working day (Civil Code Điều 148 khoản 5).
    let r = c.add_days(d(2026, 2, 5), 15, DayUnit::Calendar).unwrap();
    assert_eq!(r.value, d(2026, 2, 23));
    // Decree 331 appraisal of a level-4 dossier, 25 working days from 02/02/2026.
    let r = c.add_days(d(2026, 2, 2), 25, DayUnit::Working).unwrap();
    assert_eq!(r.value, d(2026, 3, 16));
}

#[test]
fn both_regimes_units_give_different_deadlines() {
    let c = cal();
    let received = d(2026, 2, 9);
    let nd85 = c.add_days(received, 15, DayUnit::Calendar).unwrap().value;
    let nd331 = c.add_days(received, 15, DayUnit::Working).unwrap().value;
    assert_eq!(nd85, d(2026, 2, 24));
    // 10–13/02 (4), Tết, 23/02–06/03 (10), 09/03 (15th).
    assert_eq!(nd331, d(2026, 3, 9));
}

#[test]
fn tet_2027_is_provisional_and_says_so() {
    let c = cal();
    assert!(!c.is_working_day(d(2027, 2, 4)).unwrap());
    assert!(!c.is_working_day(d(2027, 2, 10)).unwrap());
    assert!(c.is_working_day(d(2027, 2, 11)).unwrap());
    let r = c.add_working_days(d(2027, 2, 3), 1).unwrap();
    assert_eq!(r.value, d(2027, 2, 11));
    assert!(!r.is_certain());
    assert!(r
        .caveats
        .iter()
        .any(|x| matches!(x, Caveat::ProvisionalYear { year: 2027, .. })));
    assert!(r.caveats.iter().any(|x| matches!(
        x,
        Caveat::UncertainDay {
            confidence: Confidence::Estimated,
            ..
        }
    )));
    let text = r.caveats[0].to_string();
    assert!(
        text.contains("2027") && text.contains("chưa được công bố"),
        "{text}"
    );
    // A count that stays in 2026 carries no caveat about 2027.
    assert!(c.add_working_days(d(2026, 3, 2), 10).unwrap().is_certain());
}

#[test]
fn make_up_saturdays_are_working_days() {
    let c = cal();
    for sat in [
        d(2024, 5, 4),
        d(2025, 4, 26),
        d(2026, 1, 10),
        d(2026, 8, 22),
    ] {
        assert!(c.is_working_day(sat).unwrap(), "{sat}");
        assert_eq!(c.day(sat).unwrap().kind, DayKind::MakeUp);
    }
    // Received Friday 09/01/2026: the make-up Saturday is day 1.
    assert_eq!(add(&c, d(2026, 1, 9), 1), d(2026, 1, 10));
    // Swapped days are off: Monday 29/04/2024 and Friday 02/05/2025.
    assert!(!c.is_working_day(d(2024, 4, 29)).unwrap());
    assert!(!c.is_working_day(d(2025, 5, 2)).unwrap());
    // 26/04/2024 (Fri) + 1 → 02/05 (27/04–01/05 off).
    assert_eq!(add(&c, d(2024, 4, 26), 1), d(2024, 5, 2));
    // 25/04/2025 (Fri) + 1 → 26/04 (make-up Saturday), + 2 → 28/04.
    assert_eq!(add(&c, d(2025, 4, 25), 2), d(2025, 4, 28));
}

#[test]
fn national_day_pairs() {
    let c = cal();
    // 2024: 02–03/09; 2025: 01–02/09; 2026: 31/08 (swap), 01–02/09; 2027: 02–03/09 (estimated).
    assert_eq!(add(&c, d(2024, 8, 30), 1), d(2024, 9, 4));
    assert_eq!(add(&c, d(2025, 8, 29), 1), d(2025, 9, 3));
    assert_eq!(add(&c, d(2026, 8, 28), 1), d(2026, 9, 3));
    let r = c.add_working_days(d(2027, 9, 1), 1).unwrap();
    assert_eq!(r.value, d(2027, 9, 6));
    assert!(!r.is_certain());
}

#[test]
fn year_boundaries() {
    let c = cal();
    // 31/12/2025 (Wed) + 1: 01/01 and the swapped 02/01/2026 are off, then the weekend.
    assert_eq!(add(&c, d(2025, 12, 31), 1), d(2026, 1, 5));
    assert_eq!(add(&c, d(2024, 12, 31), 1), d(2025, 1, 2));
    assert_eq!(
        c.working_days_between(d(2025, 12, 31), d(2026, 1, 5))
            .unwrap()
            .value,
        1
    );
    // 31/12/2026 (Thu) + 1 → 01/01/2027 is a holiday, 04/01/2027 (Mon).
    let r = c.add_working_days(d(2026, 12, 31), 1).unwrap();
    assert_eq!(r.value, d(2027, 1, 4));
    assert!(r
        .caveats
        .iter()
        .any(|x| matches!(x, Caveat::ProvisionalYear { year: 2027, .. })));
}

#[test]
fn out_of_range_is_an_error_not_a_guess() {
    let c = cal();
    let err = c.is_working_day(d(2023, 12, 29)).unwrap_err();
    assert_eq!(
        err,
        CalendarError::OutOfRange {
            date: d(2023, 12, 29),
            first: 2024,
            last: 2027
        }
    );
    assert!(err.to_string().contains("29/12/2023"), "{err}");
    assert!(err.to_string().contains("2024–2027"), "{err}");
    let err = c.add_working_days(d(2027, 12, 28), 5).unwrap_err();
    assert!(matches!(err, CalendarError::OutOfRange { date, .. } if date == d(2028, 1, 1)));
    // 31/12/2027 is a Friday: 30 calendar days later is in 2028.
    assert!(c.add_calendar_days(d(2027, 12, 20), 30).is_err());
    assert!(c
        .working_days_between(d(2026, 1, 5), d(2028, 1, 3))
        .is_err());
    assert!(!c.covers(d(2028, 1, 1)));
}

#[test]
fn between_is_the_inverse_of_add() {
    let c = cal();
    let mut start = d(2024, 1, 1);
    while start < d(2027, 10, 1) {
        for n in [0, 1, 5, 7, 15, 25, 30] {
            let end = add(&c, start, n);
            let back = c.working_days_between(start, end).unwrap().value;
            assert_eq!(back, i64::from(n), "{start} + {n} = {end}");
            assert!(n == 0 || c.is_working_day(end).unwrap());
        }
        start += chrono::Duration::days(3);
    }
    assert_eq!(
        c.working_days_between(d(2026, 3, 16), d(2026, 3, 9))
            .unwrap()
            .value,
        -5
    );
    assert_eq!(
        c.working_days_between(d(2026, 3, 9), d(2026, 3, 9))
            .unwrap()
            .value,
        0
    );
}

#[test]
fn unconfirmed_culture_day_is_worked_but_flagged() {
    let c = cal();
    let day = c.day(d(2026, 11, 24)).unwrap();
    assert!(day.working);
    assert_eq!(day.kind, DayKind::Working);
    assert_eq!(day.confidence, Some(Confidence::Unconfirmed));
    let r = c.add_working_days(d(2026, 11, 23), 1).unwrap();
    assert_eq!(r.value, d(2026, 11, 24));
    let msg = r.caveats[0].to_string();
    assert!(
        msg.contains("24/11/2026") && msg.contains("ngày làm việc"),
        "{msg}"
    );
    // A calendar-day limit that does not end near it is not affected.
    assert!(c
        .add_calendar_days(d(2026, 11, 2), 15)
        .unwrap()
        .is_certain());
}

#[test]
fn day_units_parse() {
    assert_eq!(DayUnit::parse("working_days"), Some(DayUnit::Working));
    assert_eq!(DayUnit::parse("calendar_days"), Some(DayUnit::Calendar));
    assert_eq!(DayUnit::parse("days"), Some(DayUnit::Calendar));
    assert_eq!(DayUnit::parse("weeks"), None);
}

const MINIMAL: &str = r#"
id: t
title: T
working_week: [mon, tue, wed, thu, fri]
working_week_citation: "QĐ 188/1999"
citations: ["BLLĐ 2019 Điều 112"]
fixed:
  - { date: "01-01", title: "Tết Dương lịch" }
years:
  - year: 2026
    status: official
    tet: 2026-02-17
    hung_kings: 2026-04-26
    days_off:
      - { from: 2026-01-01, title: "Tết Dương lịch", confidence: statutory, source: "s" }
      - { from: 2026-02-16, to: 2026-02-20, title: "Tết", confidence: official, source: "s" }
"#;

fn errors(text: &str) -> Vec<String> {
    Calendar::from_yaml("t.yaml", text)
        .map(|_| Vec::new())
        .unwrap_or_else(|e| e.into_iter().map(|e| e.to_string()).collect())
}

#[test]
fn a_minimal_calendar_loads() {
    let c = Calendar::from_yaml("t.yaml", MINIMAL).unwrap();
    assert_eq!(c.years(), (2026, 2026));
    // Without <dir>/holidays/vn.yaml the embedded calendar is used.
    let dir = std::env::temp_dir().join("capdo-no-calendar-overlay");
    assert_eq!(Calendar::load(Some(&dir)).unwrap().origin, EMBEDDED_FILE);
}

#[test]
fn malformed_calendars_are_rejected_with_located_vietnamese_errors() {
    let cases = [
        (MINIMAL.replace("confidence: official", "confidence: sure"), "confidence `sure` không hợp lệ"),
        (MINIMAL.replace("to: 2026-02-20", "to: 2026-02-10"), "to trước from"),
        (MINIMAL.replace("from: 2026-02-16", "from: 2025-02-16"), "không thuộc năm 2026"),
        (MINIMAL.replace("status: official", "status: maybe"), "status `maybe`"),
        (MINIMAL.replace("status: official", "status: provisional"), "cần note"),
        (MINIMAL.replace("confidence: official", "confidence: estimated"), "chỉ được có trong năm provisional"),
        (MINIMAL.replace("      - { from: 2026-01-01, title: \"Tết Dương lịch\", confidence: statutory, source: \"s\" }\n", ""), "01/01/2026 (Tết Dương lịch) rơi vào ngày làm việc"),
        (MINIMAL.replace("tet: 2026-02-17", "tet: 2026-03-17"), "không có ngày nghỉ Tết nào"),
        (MINIMAL.replace("working_week: [mon,", "working_week: [mun,"), "working_week: `mun`"),
        (MINIMAL.replace("title: T\n", "title: T\ncolour: red\n"), "colour"),
        (
            format!("{MINIMAL}    make_up_days:\n      - {{ date: 2026-01-05, title: x, confidence: official, source: s }}\n"),
            "vốn là ngày làm việc",
        ),
        (
            format!("{MINIMAL}  - year: 2028\n    status: official\n    tet: 2028-01-26\n    hung_kings: 2028-04-04\n"),
            "các năm phải liên tiếp",
        ),
    ];
    for (text, expected) in cases {
        let errs = errors(&text);
        assert!(
            errs.iter()
                .any(|e| e.contains(expected) && e.starts_with("t.yaml:")),
            "expected «{expected}» in {errs:?}"
        );
    }
}
