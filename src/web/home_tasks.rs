//! The home page's "Việc cần làm": running dossier clocks, periodic assessments, systems to
//! re-determine, actions due on warnings and compliance gaps to fix, due in the next 30 days or overdue, worded for the page.

use chrono::NaiveDate;

use super::system_views::date_vn;
use crate::db::AnyConn;
use crate::error::AppError;
use crate::rules::Registry;
use crate::services::deadlines::{self, Deadline, DeadlineKind, DeadlineQuery};
use crate::services::Actor;

/// One thing due, as the home page lists it.
pub struct TaskLine {
    pub kind: &'static str,
    pub kind_label: String,
    pub title: String,
    pub path: String,
    pub due_on: String,
    /// "Còn 3 ngày làm việc", "Quá hạn 2 ngày làm việc", "Đến hạn hôm nay".
    pub remaining: String,
    pub overdue: bool,
    pub citation: Option<String>,
    pub note: Option<String>,
}

/// The tasks of the home page and how many there are in all.
pub struct Tasks {
    pub lines: Vec<TaskLine>,
    pub total: i64,
    pub until: String,
}

fn remaining(d: &Deadline, today: NaiveDate) -> String {
    match d.working_days_left {
        Some(n) if n < 0 => format!("Quá hạn {} ngày làm việc", -n),
        _ if d.due_on < today => "Đã quá hạn".to_string(),
        _ if d.due_on == today => "Đến hạn hôm nay".to_string(),
        Some(n) => format!("Còn {n} ngày làm việc"),
        None => String::new(),
    }
}

fn line(d: Deadline, today: NaiveDate) -> TaskLine {
    TaskLine {
        kind: match d.kind {
            DeadlineKind::DossierClock => "dossier_clock",
            DeadlineKind::Assessment => "assessment",
            DeadlineKind::Redetermination => "redetermination",
            DeadlineKind::AlertAction => "alert_action",
            DeadlineKind::ComplianceGap => "compliance_gap",
        },
        remaining: remaining(&d, today),
        overdue: d.overdue,
        due_on: date_vn(d.due_on),
        kind_label: d.kind_label,
        title: d.title,
        path: d.path,
        citation: d.citation,
        note: d.note,
    }
}

pub fn load(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Tasks, AppError> {
    let page = deadlines::for_actor(conn, registry, actor, today, DeadlineQuery::default())?;
    Ok(Tasks {
        total: page.total,
        until: date_vn(page.until),
        lines: page.items.into_iter().map(|d| line(d, today)).collect(),
    })
}
