//! Everything with a date in an actor's subtree — running dossier clocks, periodic assessments, systems to re-determine, actions due on sent warnings, compliance gaps to fix — sorted by due day (the API's `/deadlines` and the home page's "Việc cần làm").

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::assessments::{title_of, visible_orgs};
use super::dossier_clock::{self, step_title};
use super::Actor;
use crate::db::AnyConn;
use crate::error::AppError;
use crate::repo::assessments::{self as assessments_repo, State};
use crate::repo::deadlines::{self as repo, ClockItem};
use crate::repo::Page;
use crate::rules::calendar::Calendar;
use crate::rules::dossier::ClockStep;
use crate::rules::Registry;

/// Loại việc có thời hạn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Thời hạn pháp lý của hồ sơ đề xuất cấp độ (kiểm tra tính hợp lệ, thẩm định, phê duyệt).
    DossierClock,
    /// Kiểm tra, đánh giá định kỳ.
    Assessment,
    /// Hệ thống cần xác định lại cấp độ.
    Redetermination,
    /// Thời hạn xử lý theo cảnh báo đã gửi.
    AlertAction,
    /// Ngày mục tiêu khắc phục một tồn tại trong bảng đánh giá đáp ứng yêu cầu cơ bản.
    ComplianceGap,
}

impl DeadlineKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::DossierClock => "Thời hạn xử lý hồ sơ",
            Self::Assessment => "Kiểm tra, đánh giá định kỳ",
            Self::Redetermination => "Xác định lại cấp độ",
            Self::AlertAction => "Xử lý theo cảnh báo",
            Self::ComplianceGap => "Khắc phục tồn tại đáp ứng yêu cầu",
        }
    }
}

/// Một việc có thời hạn.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub kind_label: String,
    /// Mã hồ sơ, mã đợt kiểm tra, mã hệ thống hoặc mã cảnh báo.
    pub id: String,
    pub title: String,
    pub system_id: Option<String>,
    pub system_name: Option<String>,
    pub organization_id: String,
    pub due_on: NaiveDate,
    /// Số ngày làm việc còn lại đến hết ngày đến hạn; âm khi quá hạn; trống khi ngoài phạm vi lịch nghỉ lễ.
    pub working_days_left: Option<i64>,
    pub overdue: bool,
    /// Đường dẫn trên giao diện web, ví dụ `/dossiers/{id}`.
    pub path: String,
    pub citation: Option<String>,
    /// Ghi chú (ví dụ lý do cần xác định lại, nhận định của capdo về cách tính thời hạn).
    pub note: Option<String>,
    /// Bước của hồ sơ (khi là thời hạn hồ sơ).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<ClockStep>,
}

/// What to list.
#[derive(Clone, Debug)]
pub struct DeadlineQuery {
    /// Calendar days ahead of today (default 30); overdue items are always listed.
    pub within_days: i64,
    /// Narrow to this organisation's subtree (inside the actor's).
    pub organization_id: Option<String>,
    pub page: Page,
}

impl Default for DeadlineQuery {
    fn default() -> Self {
        Self {
            within_days: 30,
            organization_id: None,
            page: Page {
                number: 1,
                size: 50,
            },
        }
    }
}

/// Danh sách việc có thời hạn, sắp theo ngày đến hạn.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DeadlinePage {
    pub items: Vec<Deadline>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Ngày tính (theo giờ Việt Nam).
    pub today: NaiveDate,
    /// Các việc đến hạn đến hết ngày này (và mọi việc quá hạn).
    pub until: NaiveDate,
}

pub(super) fn clock_deadline(
    calendar: &Calendar,
    registry: &Registry,
    c: ClockItem,
    today: NaiveDate,
) -> Option<Deadline> {
    let step = ClockStep::parse(c.clock_step.as_deref()?)?;
    let due_on = c.clock_due_on?;
    let clock = u8::try_from(c.procedure_level)
        .ok()
        .and_then(|l| registry.get(&c.regime_id)?.dossier.as_ref()?.clock(step, l));
    Some(Deadline {
        kind: DeadlineKind::DossierClock,
        kind_label: DeadlineKind::DossierClock.label().into(),
        title: format!(
            "{} ({} {}) — hồ sơ đề xuất cấp độ “{}”",
            step_title(step),
            clock.map_or(String::new(), |k| k.length.to_string()),
            clock.map_or("", |k| k.unit.label()),
            c.system_name
        ),
        path: format!("/dossiers/{}", c.dossier_id),
        id: c.dossier_id,
        system_id: Some(c.system_id),
        system_name: Some(c.system_name),
        organization_id: c.organization_id,
        due_on,
        working_days_left: dossier_clock::days_left(calendar, today, due_on).ok(),
        overdue: due_on < today,
        citation: clock.map(|k| k.citation.clone()),
        note: clock.and_then(|k| k.judgement.clone()),
        step: Some(step),
    })
}

pub(super) fn assessment_deadline(
    calendar: &Calendar,
    row: crate::repo::assessments::AssessmentRow,
    name: Option<String>,
    today: NaiveDate,
) -> Deadline {
    Deadline {
        kind: DeadlineKind::Assessment,
        kind_label: DeadlineKind::Assessment.label().into(),
        title: title_of(&row.scope, name.as_deref()),
        path: match &row.system_id {
            Some(s) => format!("/systems/{s}"),
            None => format!("/assessments?organization_id={}", row.organization_id),
        },
        working_days_left: dossier_clock::days_left(calendar, today, row.due_on).ok(),
        overdue: row.due_on < today,
        id: row.id,
        system_id: row.system_id,
        system_name: name,
        organization_id: row.organization_id,
        due_on: row.due_on,
        citation: Some(row.citation),
        note: None,
        step: None,
    }
}

fn alert_deadline(calendar: &Calendar, a: repo::AlertItem, today: NaiveDate) -> Option<Deadline> {
    let due_on = a.action_due_on?;
    Some(Deadline {
        kind: DeadlineKind::AlertAction,
        kind_label: DeadlineKind::AlertAction.label().into(),
        title: format!("Xử lý theo cảnh báo “{}”", a.title),
        path: format!("/alerts/{}", a.id),
        id: a.id,
        system_id: None,
        system_name: None,
        organization_id: a.organization_id,
        due_on,
        working_days_left: dossier_clock::days_left(calendar, today, due_on).ok(),
        overdue: due_on < today,
        citation: Some(format!("Cảnh báo của {}", a.source_authority)),
        note: Some(format!("{}/{} người đã xác nhận", a.answered, a.recipients)),
        step: None,
    })
}

/// A gap of a compliance checklist with a target date, as a deadline.
pub(super) fn gap_deadline(
    calendar: &Calendar,
    registry: &Registry,
    g: crate::repo::compliance_report::GapItem,
    today: NaiveDate,
) -> Option<Deadline> {
    let due_on = g.target_date?;
    let req = registry
        .baseline(&g.baseline_id)
        .and_then(|b| b.requirement(&g.requirement_code));
    Some(Deadline {
        kind: DeadlineKind::ComplianceGap,
        kind_label: DeadlineKind::ComplianceGap.label().into(),
        title: format!(
            "{}: {} {}",
            g.system_name,
            g.requirement_code,
            req.map_or("", |r| r.text.as_str())
        ),
        path: format!(
            "/systems/{}/compliance?baseline={}",
            g.system_id, g.baseline_id
        ),
        id: g.id,
        system_id: Some(g.system_id),
        system_name: Some(g.system_name),
        organization_id: g.organization_id,
        due_on,
        working_days_left: dossier_clock::days_left(calendar, today, due_on).ok(),
        overdue: due_on < today,
        citation: req.map(|r| r.citation.clone()),
        note: g
            .responsible_name
            .map(|n| format!("Người chịu trách nhiệm: {n}")),
        step: None,
    })
}

/// The deadlines of the actor's subtree (and of the dossiers routed to an appraising unit in
/// it): one indexed query per kind for the first `offset + size` of each, merged by due day.
pub fn for_actor(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    today: NaiveDate,
    q: DeadlineQuery,
) -> Result<DeadlinePage, AppError> {
    if !(0..=366).contains(&q.within_days) {
        return Err(AppError::field("within_days", "Số ngày từ 0 đến 366"));
    }
    let calendar: &Calendar = registry.calendar();
    let orgs = visible_orgs(conn, actor, q.organization_id.as_deref())?;
    let visible = orgs.as_deref();
    let until = today + Duration::days(q.within_days);
    let need = q.page.offset() + q.page.size;

    let (clocks, clock_total) = repo::clocks(conn, visible, until, need)?;
    let (assessments, assessment_total) = assessments_repo::list(
        conn,
        visible,
        State::DueBy(until),
        Page {
            number: 1,
            size: need,
        },
    )?;
    let (flags, flag_total) = repo::flagged(conn, visible, need)?;
    let (alerts, alert_total) = repo::alerts_due(conn, visible, until, need)?;
    let (gaps, gap_total) = crate::repo::compliance_report::gaps_due(conn, visible, until, need)?;

    let mut items: Vec<Deadline> = clocks
        .into_iter()
        .filter_map(|c| clock_deadline(calendar, registry, c, today))
        .chain(
            assessments
                .into_iter()
                .map(|(r, name)| assessment_deadline(calendar, r, name, today)),
        )
        .chain(flags.into_iter().map(|f| {
            // The law sets no limit for a re-determination: it is due from the day the system
            // was flagged (its last change), and stays listed until a new level is approved.
            let due_on = (f.updated_at + Duration::hours(7)).date();
            let citation = registry
                .get(&f.regime_id)
                .and_then(|p| p.dossier.as_ref()?.redetermination.as_ref())
                .map(|r| r.citation.clone());
            Deadline {
                kind: DeadlineKind::Redetermination,
                kind_label: DeadlineKind::Redetermination.label().into(),
                title: format!("Xác định lại cấp độ hệ thống “{}”", f.name),
                path: format!("/systems/{}", f.system_id),
                id: f.system_id.clone(),
                system_id: Some(f.system_id),
                system_name: Some(f.name),
                organization_id: f.organization_id,
                due_on,
                working_days_left: dossier_clock::days_left(calendar, today, due_on).ok(),
                overdue: false,
                citation,
                note: Some(f.reason.unwrap_or_else(|| {
                    "Hệ thống có thay đổi cần xem xét xác định lại cấp độ".into()
                })),
                step: None,
            }
        }))
        .chain(
            alerts
                .into_iter()
                .filter_map(|a| alert_deadline(calendar, a, today)),
        )
        .chain(
            gaps.into_iter()
                .filter_map(|g| gap_deadline(calendar, registry, g, today)),
        )
        .collect();
    items.sort_by(|a, b| a.due_on.cmp(&b.due_on).then_with(|| a.id.cmp(&b.id)));
    let items = items
        .into_iter()
        .skip(usize::try_from(q.page.offset()).unwrap_or(0))
        .take(usize::try_from(q.page.size).unwrap_or(0))
        .collect();
    Ok(DeadlinePage {
        items,
        total: clock_total + assessment_total + flag_total + alert_total + gap_total,
        page: q.page.number,
        per_page: q.page.size,
        today,
        until,
    })
}
