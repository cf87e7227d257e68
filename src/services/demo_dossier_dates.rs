//! The days of a demo dossier's events: counted back from today, on working days, so that a
//! running clock is overdue or still due as planned on the calendar the workflow uses.

use chrono::{Datelike, Duration, NaiveDate};

use super::super::demo::Lcg;
use super::super::dossier_clock;
use crate::domain::dossier::DossierStatus;
use crate::rules::calendar::{Calendar, DayUnit};
use crate::rules::dossier::Clock;

pub(super) fn days(n: usize) -> Duration {
    Duration::days(i64::try_from(n).unwrap_or(0))
}

/// Offices act on working days; outside the calendar's years, Monday to Friday.
fn is_working(calendar: &Calendar, d: NaiveDate) -> bool {
    calendar
        .is_working_day(d)
        .unwrap_or_else(|_| d.weekday().number_from_monday() <= 5)
}

pub(super) fn working_on_or_before(calendar: &Calendar, mut d: NaiveDate) -> NaiveDate {
    for _ in 0..30 {
        if is_working(calendar, d) {
            break;
        }
        d -= Duration::days(1);
    }
    d
}

/// Roughly the clock's length in calendar days.
fn span(clock: &Clock) -> usize {
    let length = usize::try_from(clock.length).unwrap_or(1).max(1);
    match clock.unit {
        DayUnit::Working => length * 7 / 5 + 2,
        DayUnit::Calendar => length,
    }
}

/// A working day to start `clock` on so that it is past due on `today` (`overdue`) or due
/// today or later, checked on the calendar the clocks are reckoned on.
fn clock_start(
    calendar: &Calendar,
    clock: &Clock,
    today: NaiveDate,
    overdue: bool,
    rng: &mut Lcg,
) -> NaiveDate {
    let span = span(clock);
    let due = |d| dossier_clock::due(calendar, clock, d).0;
    if overdue {
        let mut d = today - days(span + 1 + rng.next(span));
        for _ in 0..400 {
            if is_working(calendar, d) && due(d).is_none_or(|due| due < today) {
                break;
            }
            d -= Duration::days(1);
        }
        d
    } else {
        let mut d = today - days(rng.next(span));
        while d < today {
            if is_working(calendar, d) && due(d).is_none_or(|due| due >= today) {
                return d;
            }
            d += Duration::days(1);
        }
        working_on_or_before(calendar, today)
    }
}

/// The days of a dossier's events; each one on or after the one before it.
#[derive(Clone, Debug, Default)]
pub(super) struct Dates {
    pub created: Option<NaiveDate>,
    pub submitted: Option<NaiveDate>,
    pub received: Option<NaiveDate>,
    pub started: Option<NaiveDate>,
    pub appraised: Option<NaiveDate>,
    pub returned: Option<NaiveDate>,
}

/// Dates for a dossier ending in `target`, counted back from today (and from the start of its
/// clock, when one runs in `target`).
pub(super) fn plan(
    calendar: &Calendar,
    rng: &mut Lcg,
    today: NaiveDate,
    target: DossierStatus,
    clock: Option<&Clock>,
    overdue: bool,
) -> Dates {
    let back = |rng: &mut Lcg, d: NaiveDate, lo: usize, hi: usize| {
        working_on_or_before(calendar, d - days(lo + rng.next(hi - lo + 1)))
    };
    let anchor = |rng: &mut Lcg, within: usize| match clock {
        Some(c) => clock_start(calendar, c, today, overdue, rng),
        None => working_on_or_before(calendar, today - days(rng.next(within))),
    };
    let mut d = Dates::default();
    match target {
        DossierStatus::Draft => d.created = Some(back(rng, today, 0, 90)),
        DossierStatus::Submitted => d.submitted = Some(back(rng, today, 0, 12)),
        DossierStatus::Received => d.received = Some(anchor(rng, 10)),
        DossierStatus::UnderAppraisal => {
            let received = anchor(rng, 30);
            let started = (received + days(rng.next(4))).min(today);
            d.received = Some(received);
            d.started = Some(working_on_or_before(calendar, started).max(received));
        }
        DossierStatus::Appraised => {
            let appraised = anchor(rng, 20);
            let started = back(rng, appraised, 2, 15);
            d.appraised = Some(appraised);
            d.started = Some(started);
            d.received = Some(back(rng, started, 0, 3));
        }
        DossierStatus::Returned => {
            let returned = back(rng, today, 0, 40);
            d.returned = Some(returned);
            // Half are returned by the validity check, half during the appraisal.
            if rng.next(2) == 0 {
                let started = back(rng, returned, 1, 10);
                d.started = Some(started);
                d.received = Some(back(rng, started, 0, 3));
            } else {
                d.received = Some(back(rng, returned, 1, 6));
            }
        }
        DossierStatus::Approved => {}
    }
    if d.submitted.is_none() {
        d.submitted = d.received.map(|r| back(rng, r, 1, 6));
    }
    if d.created.is_none() {
        d.created = d.submitted.map(|s| back(rng, s, 5, 60));
    }
    d
}
