//! Unit tests of the dossier clocks on the embedded calendar and packs.

use chrono::NaiveDate;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn row(regime: &str, level: i32, status: &str) -> DossierRow {
    let at = d(2026, 1, 1).and_hms_opt(0, 0, 0).unwrap();
    DossierRow {
        id: "d1".into(),
        system_id: "s1".into(),
        organization_id: "o1".into(),
        kind: "first".into(),
        proposed_level: level,
        procedure_level: level,
        regime_id: regime.into(),
        regime_version: "1".into(),
        status: status.into(),
        submission_number: None,
        submission_date: None,
        submission_recipient: None,
        received_on: None,
        appraisal_started_on: None,
        appraisal_opinion: None,
        appraisal_number: None,
        appraisal_date: None,
        decision_number: None,
        decision_date: None,
        approved_level: None,
        created_by: None,
        created_at: at,
        updated_at: at,
        appraiser_unit_id: None,
        appraiser_unit_name: None,
        approver_unit_id: None,
        approver_unit_name: None,
        clock_step: None,
        clock_started_on: None,
        clock_due_on: None,
    }
}

fn registry() -> std::sync::Arc<Registry> {
    static SHIPPED: std::sync::OnceLock<std::sync::Arc<Registry>> = std::sync::OnceLock::new();
    SHIPPED
        .get_or_init(|| std::sync::Arc::new(Registry::load(None).expect("shipped packs")))
        .clone()
}

/// The due day after `apply` for a dossier of `regime`/`level` in `status` received on `received`.
fn due_of(regime: &str, level: i32, status: &str, received: NaiveDate) -> DossierRow {
    let mut r = row(regime, level, status);
    r.received_on = Some(received);
    r.appraisal_date = Some(received);
    apply(&mut r, &registry());
    r
}

#[test]
fn each_status_runs_its_own_clock_or_none() {
    let mut r = row("nd331-2026", 3, "draft");
    r.received_on = Some(d(2026, 11, 5));
    r.appraisal_date = Some(d(2026, 11, 16));
    for (status, expected) in [
        ("draft", None),
        ("submitted", None),
        ("returned", None),
        ("approved", None),
        ("received", Some((ClockStep::ValidityCheck, d(2026, 11, 5)))),
        (
            "under_appraisal",
            Some((ClockStep::Appraisal, d(2026, 11, 5))),
        ),
        ("appraised", Some((ClockStep::Approval, d(2026, 11, 16)))),
    ] {
        r.status = status.into();
        assert_eq!(running(&r), expected, "{status}");
    }
}

#[test]
fn validity_check_skips_a_weekend_and_tet_2026() {
    // Friday 06/11/2026: five working days end on Friday 13/11.
    let r = due_of("nd331-2026", 3, "received", d(2026, 11, 6));
    assert_eq!(r.clock_step.as_deref(), Some("validity_check"));
    assert_eq!(r.clock_started_on, Some(d(2026, 11, 6)));
    assert_eq!(r.clock_due_on, Some(d(2026, 11, 13)));
    // Thursday 12/02/2026: 13/02, then Tết 16–20/02, then 23, 24, 25, 26/02.
    let r = due_of("nd85-2016", 3, "received", d(2026, 2, 12));
    assert_eq!(r.clock_due_on, Some(d(2026, 2, 26)));
}

#[test]
fn nd85_appraisal_counts_calendar_days_and_nd331_working_days() {
    let received = d(2026, 2, 6);
    // Decree 85: 15 days → Saturday 21/02, so the next working day, Monday 23/02.
    let nd85 = due_of("nd85-2016", 3, "under_appraisal", received);
    assert_eq!(nd85.clock_due_on, Some(d(2026, 2, 23)));
    // Decree 331: 15 working days, the Tết week not counted → Friday 06/03.
    let nd331 = due_of("nd331-2026", 3, "under_appraisal", received);
    assert_eq!(nd331.clock_due_on, Some(d(2026, 3, 6)));
    // Levels 4–5: 30 days → Sunday 08/03 → Monday 09/03 (NĐ 85).
    let nd85_4 = due_of("nd85-2016", 4, "under_appraisal", received);
    assert_eq!(nd85_4.clock_due_on, Some(d(2026, 3, 9)));
    let reg = registry();
    let unit = |regime: &str| {
        definition(&reg, &row(regime, 3, "x"), ClockStep::Appraisal)
            .unwrap()
            .unit
    };
    assert_eq!(unit("nd85-2016"), DayUnit::Calendar);
    assert_eq!(unit("nd331-2026"), DayUnit::Working);
    assert!(
        definition(&reg, &row("nd85-2016", 3, "x"), ClockStep::Appraisal)
            .unwrap()
            .judgement
            .is_some()
    );
}

#[test]
fn approval_runs_seven_working_days_from_the_opinion() {
    // Wednesday 11/02/2026: 12, 13, 23, 24, 25, 26, 27/02.
    let r = due_of("nd331-2026", 3, "appraised", d(2026, 2, 11));
    assert_eq!(r.clock_step.as_deref(), Some("approval"));
    assert_eq!(r.clock_due_on, Some(d(2026, 2, 27)));
}

#[test]
fn no_appraisal_clock_for_levels_1_and_2() {
    let r = due_of("nd331-2026", 2, "under_appraisal", d(2026, 11, 6));
    assert_eq!((r.clock_step, r.clock_due_on), (None, None));
}

#[test]
fn a_provisional_year_shows_its_caveats_and_tet_2027_is_skipped() {
    // Monday 01/02/2027: 02, 03/02, then the estimated Tết 04–10/02, then 11, 12, 15/02.
    let mut r = due_of("nd331-2026", 3, "received", d(2027, 2, 1));
    assert_eq!(r.clock_due_on, Some(d(2027, 2, 15)));
    let v = view(&r, &registry(), d(2027, 2, 1)).unwrap();
    assert!(
        v.caveats
            .iter()
            .any(|c| c.contains("2027") && c.contains("chưa được công bố")),
        "{:?}",
        v.caveats
    );
    assert!(
        v.caveats.iter().any(|c| c.contains("ước tính")),
        "{:?}",
        v.caveats
    );
    assert_eq!(v.working_days_left, Some(5));
    assert!(!v.overdue);
    assert_eq!(v.unit_label.as_deref(), Some("ngày làm việc"));
    assert!(v.citation.as_deref().unwrap().contains("Điều 23 khoản 2"));
    assert!(v.trigger.contains("01/02/2027"));
    // Overdue by two working days on Wednesday 17/02/2027.
    let late = view(&r, &registry(), d(2027, 2, 17)).unwrap();
    assert_eq!(late.working_days_left, Some(-2));
    assert!(late.overdue);
    // A certain year has no caveat.
    r = due_of("nd331-2026", 3, "received", d(2026, 11, 6));
    assert!(view(&r, &registry(), d(2026, 11, 6))
        .unwrap()
        .caveats
        .is_empty());
}

#[test]
fn beyond_the_calendar_the_due_day_is_unknown_with_the_reason() {
    let r = due_of("nd331-2026", 3, "received", d(2027, 12, 28));
    assert_eq!(r.clock_step.as_deref(), Some("validity_check"));
    assert_eq!(r.clock_due_on, None);
    let v = view(&r, &registry(), d(2027, 12, 28)).unwrap();
    assert_eq!(v.due_on, None);
    assert!(
        v.caveats.iter().any(|c| c.contains("nằm ngoài")),
        "{:?}",
        v.caveats
    );
}
