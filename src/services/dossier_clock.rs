//! The legal clock of a dossier: which time limit of its regime's pack runs now, from which day, until which day, on the holiday calendar.
//!
//! Which event starts which clock (digest §10.1, ambiguity A12; nd331-digest §10):
//! - `received` → the validity check (TT 03/2017 Đ14 k3; NĐ 331 Đ23 k2), counted from the
//!   receipt recorded by the receiving body.
//! - `under_appraisal` → the appraisal (NĐ 85 Đ16 k2; NĐ 331 Đ23 k3), counted from "the
//!   receipt of a complete, valid dossier". A dossier that is not returned was valid as
//!   received, so capdo counts from that receipt (`received_on`), not from the day the
//!   appraiser recorded the start: the conservative reading, the validity check's days are
//!   inside the appraisal limit. Levels 1–2 have no appraisal limit: no clock runs.
//! - `appraised` → the approval (NĐ 85 Đ17 k2; NĐ 331 Đ24 k2), counted from the date of the
//!   appraisal opinion, the last document of the approval dossier.
//! - draft, submitted, returned, approved → none (the dossier is with its author, in the
//!   post, or settled).
//!
//! Lengths and units (calendar or working days) always come from the pack; the day after the
//! event is the first day counted (`Calendar::add_days`).

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::domain::dossier::DossierStatus;
use crate::repo::dossiers::DossierRow;
use crate::rules::calendar::{Calendar, CalendarError, DayUnit};
use crate::rules::dossier::{Clock, ClockStep};
use crate::rules::Registry;

/// Thời hạn pháp lý đang chạy của hồ sơ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ClockView {
    pub step: ClockStep,
    /// Ví dụ "Thời hạn thẩm định".
    pub label: String,
    /// Ngày của sự kiện bắt đầu tính thời hạn (ngày tiếp nhận, ngày ý kiến thẩm định).
    pub started_on: NaiveDate,
    /// Ngày đầu tiên được tính (ngày tiếp theo sự kiện).
    pub counted_from: NaiveDate,
    /// Sự kiện bắt đầu tính thời hạn, bằng lời.
    pub trigger: String,
    /// Ngày cuối cùng của thời hạn; trống khi lịch nghỉ lễ chưa có năm đó.
    pub due_on: Option<NaiveDate>,
    pub length: Option<u32>,
    pub unit: Option<DayUnit>,
    /// "ngày làm việc" hoặc "ngày".
    pub unit_label: Option<String>,
    /// Số ngày làm việc còn lại tính đến hết ngày đến hạn; âm khi đã quá hạn.
    pub working_days_left: Option<i64>,
    pub overdue: bool,
    pub citation: Option<String>,
    /// Nhận định của capdo khi văn bản chưa rõ (ví dụ "ngày" hay "ngày làm việc").
    pub judgement: Option<String>,
    /// Lưu ý về lịch nghỉ lễ (năm tạm tính, ngày chưa chắc chắn, ngoài phạm vi lịch).
    pub caveats: Vec<String>,
}

/// The clock the dossier's state calls for: its step and the day of its triggering event.
pub fn running(row: &DossierRow) -> Option<(ClockStep, NaiveDate)> {
    match DossierStatus::parse(&row.status)? {
        DossierStatus::Received => Some((ClockStep::ValidityCheck, row.received_on?)),
        DossierStatus::UnderAppraisal => Some((ClockStep::Appraisal, row.received_on?)),
        DossierStatus::Appraised => Some((ClockStep::Approval, row.appraisal_date?)),
        _ => None,
    }
}

/// What starts each clock, in Vietnamese, for the view.
pub fn trigger_label(step: ClockStep) -> &'static str {
    match step {
        ClockStep::ValidityCheck => "ngày tiếp nhận hồ sơ",
        ClockStep::Appraisal => "ngày tiếp nhận hồ sơ đầy đủ, hợp lệ (hồ sơ không bị trả lại)",
        ClockStep::Approval => "ngày văn bản ý kiến thẩm định",
    }
}

/// "Thời hạn kiểm tra tính hợp lệ của hồ sơ", …
pub fn step_title(step: ClockStep) -> String {
    format!("Thời hạn {}", step.label())
}

/// The pack's clock for `step` at the dossier's procedure level, if the regime sets one.
pub fn definition<'r>(
    registry: &'r Registry,
    row: &DossierRow,
    step: ClockStep,
) -> Option<&'r Clock> {
    let level = u8::try_from(row.procedure_level).ok()?;
    registry
        .get(&row.regime_id)?
        .dossier
        .as_ref()?
        .clock(step, level)
}

/// The last day of `clock` triggered on `start`, with the calendar's caveats as sentences.
pub fn due(
    calendar: &Calendar,
    clock: &Clock,
    start: NaiveDate,
) -> (Option<NaiveDate>, Vec<String>) {
    match calendar.add_days(start, clock.length, clock.unit) {
        Ok(r) => (
            Some(r.value),
            r.caveats.iter().map(ToString::to_string).collect(),
        ),
        Err(e) => (None, vec![e.to_string()]),
    }
}

/// Sets the dossier's `clock_*` columns for its new status (called by the workflow after the
/// status change, before the row is written, so they commit with the transition).
pub fn apply(row: &mut DossierRow, registry: &Registry) {
    let calendar = registry.calendar();
    let current = running(row).and_then(|(step, start)| {
        definition(registry, row, step).map(|clock| (step, start, due(calendar, clock, start).0))
    });
    row.clock_step = current.map(|(s, _, _)| s.id().to_string());
    row.clock_started_on = current.map(|(_, start, _)| start);
    row.clock_due_on = current.and_then(|(_, _, due)| due);
}

/// Working days from `today` to the end of `due` (negative when overdue), or the reason the
/// calendar cannot tell.
pub fn days_left(
    calendar: &Calendar,
    today: NaiveDate,
    due: NaiveDate,
) -> Result<i64, CalendarError> {
    calendar.working_days_between(today, due).map(|r| r.value)
}

/// The clock of the stored row as the user reads it on `today`.
pub fn view(row: &DossierRow, registry: &Registry, today: NaiveDate) -> Option<ClockView> {
    let step = ClockStep::parse(row.clock_step.as_deref()?)?;
    let started_on = row.clock_started_on?;
    let calendar = registry.calendar();
    let clock = definition(registry, row, step);
    let mut caveats = clock
        .map(|c| due(calendar, c, started_on).1)
        .unwrap_or_default();
    let working_days_left = row
        .clock_due_on
        .and_then(|d| match days_left(calendar, today, d) {
            Ok(n) => Some(n),
            Err(e) => {
                caveats.push(e.to_string());
                None
            }
        });
    caveats.dedup();
    Some(ClockView {
        step,
        label: step_title(step),
        started_on,
        counted_from: started_on + Duration::days(1),
        trigger: format!(
            "Tính từ ngày tiếp theo {} ({})",
            trigger_label(step),
            started_on.format("%d/%m/%Y")
        ),
        due_on: row.clock_due_on,
        length: clock.map(|c| c.length),
        unit: clock.map(|c| c.unit),
        unit_label: clock.map(|c| c.unit.label().to_string()),
        overdue: row.clock_due_on.is_some_and(|d| d < today),
        working_days_left,
        citation: clock.map(|c| c.citation.clone()),
        judgement: clock.and_then(|c| c.judgement.clone()),
        caveats,
    })
}

#[cfg(test)]
#[path = "dossier_clock_tests.rs"]
mod tests;
