//! The daily reminder pass: e-mails at the configured lead times (calendar days, default 7 and 1) before a deadline (dossier clocks, assessments, compliance gaps) and once overdue, and a weekly digest on Mondays — each keyed in `reminders_sent`, so no run or instance sends it twice.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use super::deadlines::{assessment_deadline, clock_deadline, gap_deadline, Deadline};
use crate::config::Config;
use crate::db::{self, write_tx, AnyConn};
use crate::error::AppError;
use crate::mail::{enqueue, NewMessage};
use crate::repo::deadlines::{self as repo, Recipient};
use crate::repo::reminders::{claim_reminder, set_reminder_outbox};
use crate::rules::calendar::Calendar;
use crate::rules::dossier::ClockStep;
use crate::rules::Registry;

/// Deadlines read per transaction (bounded memory).
const PAGE: i64 = 200;

/// Kết quả một lượt nhắc hạn.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReminderReport {
    /// Thư nhắc hạn đã đưa vào hàng đợi.
    pub reminders: usize,
    /// Thư tổng hợp hằng tuần đã đưa vào hàng đợi.
    pub digests: usize,
    /// Thư đã gửi ở lượt trước, không gửi lại.
    pub already_sent: usize,
}

/// The reminder a deadline has reached with `days_left` calendar days to its due date: the
/// smallest configured lead it is within (`7d`, `1d`, …), so a pass missed yesterday still
/// sends today, or `overdue`; `None` while it is further away than every lead.
pub fn threshold(days_left: i64, lead_days: &[u32]) -> Option<String> {
    if days_left < 0 {
        return Some("overdue".into());
    }
    lead_days
        .iter()
        .filter(|&&l| days_left <= i64::from(l))
        .min()
        .map(|l| format!("{l}d"))
}

/// Calendar days from `today` to the due date (negative once overdue).
pub(super) fn days_left(d: &Deadline, today: NaiveDate) -> i64 {
    (d.due_on - today).num_days()
}

/// "còn 7 ngày (5 ngày làm việc), hạn 10/12/2026" and the like.
pub(super) fn when(d: &Deadline, today: NaiveDate) -> String {
    let date = d.due_on.format("%d/%m/%Y");
    let n = days_left(d, today);
    let working = match d.working_days_left {
        Some(w) if w >= 0 => format!(" ({w} ngày làm việc)"),
        Some(w) => format!(" ({} ngày làm việc)", -w),
        None => String::new(),
    };
    match n {
        n if n < 0 => format!("đã quá hạn {} ngày{working}, hạn {date}", -n),
        0 => format!("hôm nay ({date}) là ngày cuối cùng của thời hạn"),
        n => format!("còn {n} ngày{working}, hạn {date}"),
    }
}

pub(super) fn link(config: &Config, path: &str) -> String {
    format!("{}{path}", config.public_url.as_str().trim_end_matches('/'))
}

fn reminder(config: &Config, d: &Deadline, to: &Recipient, today: NaiveDate) -> NewMessage {
    let head = match days_left(d, today) {
        n if n < 0 => "Quá hạn".to_string(),
        0 => "Hôm nay đến hạn".to_string(),
        n => format!("Còn {n} ngày"),
    };
    let mut body = format!(
        "Kính gửi {},\n\ncapdo nhắc việc có thời hạn:\n\n{}\n{}.\n",
        to.2,
        d.title,
        when(d, today)
    );
    if let Some(c) = &d.citation {
        body.push_str(&format!("Căn cứ: {c}.\n"));
    }
    if let Some(n) = &d.note {
        body.push_str(&format!("Lưu ý: {n}\n"));
    }
    body.push_str(&format!(
        "\nXem chi tiết: {}\n\nThư này do capdo gửi tự động; mỗi mốc nhắc hạn chỉ gửi một lần.\n",
        link(config, &d.path)
    ));
    NewMessage::new(
        "reminder",
        to.3.clone(),
        format!("[capdo] {head}: {}", d.title),
        body,
    )
    .with_name(to.2.clone())
    .with_ref(d.id.clone())
}

/// Enqueues `msg` under `key` unless that key went out already; true when enqueued.
pub(super) fn send_once(
    conn: &mut AnyConn,
    key: &str,
    user_id: &str,
    msg: NewMessage,
) -> Result<bool, AppError> {
    if !claim_reminder(conn, key, Some(user_id), db::now())? {
        return Ok(false);
    }
    let outbox_id = enqueue(conn, msg)?;
    set_reminder_outbox(conn, key, &outbox_id)?;
    Ok(true)
}

/// People to tell, without duplicates (a contact who is also an officer gets one message).
fn people(groups: &[&[Recipient]]) -> Vec<Recipient> {
    let mut seen = BTreeSet::new();
    groups
        .iter()
        .flat_map(|g| g.iter())
        .filter(|r| seen.insert(r.1.clone()))
        .cloned()
        .collect()
}

fn by_key(rows: Vec<Recipient>) -> BTreeMap<String, Vec<Recipient>> {
    let mut map: BTreeMap<String, Vec<Recipient>> = BTreeMap::new();
    for r in rows {
        map.entry(r.0.clone()).or_default().push(r);
    }
    map
}

/// One pass for `today`: reminders for every deadline at a threshold, then (on a Monday in
/// Vietnam) the weekly digests. Wake the mail worker after it returns.
pub fn run(
    conn: &mut AnyConn,
    registry: &Registry,
    config: &Config,
    today: NaiveDate,
) -> Result<ReminderReport, AppError> {
    let calendar: &Calendar = registry.calendar();
    let mut report = ReminderReport::default();
    let leads = &config.reminders.lead_days;
    let until = today + Duration::days(leads.iter().copied().max().map_or(0, i64::from));
    let mut after = None;
    loop {
        let page = repo::clocks_after(conn, until, after.clone(), PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.clock_due_on.map(|d| (d, last.dossier_id.clone()));
        let full = page.len() as i64 == PAGE;
        write_tx(conn, |conn| {
            let systems: Vec<String> = page.iter().map(|c| c.system_id.clone()).collect();
            let mut orgs: Vec<String> = page.iter().map(|c| c.organization_id.clone()).collect();
            orgs.extend(page.iter().filter_map(|c| c.appraiser_unit_id.clone()));
            let creators: Vec<String> = page.iter().filter_map(|c| c.created_by.clone()).collect();
            let contacts = by_key(repo::contacts_of(conn, &systems)?);
            let officers = by_key(repo::officers_of(conn, &orgs)?);
            let creators = by_key(repo::active_users(conn, &creators)?);
            let none = Vec::new();
            for c in page.iter().cloned() {
                let appraiser = c.appraiser_unit_id.clone().filter(|_| {
                    matches!(
                        c.clock_step.as_deref().and_then(ClockStep::parse),
                        Some(ClockStep::ValidityCheck | ClockStep::Appraisal)
                    )
                });
                let who = people(&[
                    contacts.get(&c.system_id).unwrap_or(&none),
                    c.created_by
                        .as_ref()
                        .and_then(|u| creators.get(u))
                        .unwrap_or(&none),
                    officers.get(&c.organization_id).unwrap_or(&none),
                    appraiser
                        .as_ref()
                        .and_then(|a| officers.get(a))
                        .unwrap_or(&none),
                ]);
                let Some(d) = clock_deadline(calendar, registry, c, today) else {
                    continue;
                };
                let Some(t) = threshold(days_left(&d, today), leads) else {
                    continue;
                };
                let step = d.step.map_or("", ClockStep::id);
                for to in &who {
                    let key = format!("dossier:{}:{step}:{}:{t}:{}", d.id, d.due_on, to.1);
                    if send_once(conn, &key, &to.1, reminder(config, &d, to, today))? {
                        report.reminders += 1;
                    } else {
                        report.already_sent += 1;
                    }
                }
            }
            Ok::<_, AppError>(())
        })?;
        if !full {
            break;
        }
    }
    let mut after = None;
    loop {
        let page = repo::assessments_after(conn, until, after.clone(), PAGE)?;
        let Some((last, _)) = page.last() else { break };
        after = Some((last.due_on, last.id.clone()));
        let full = page.len() as i64 == PAGE;
        write_tx(conn, |conn| {
            let systems: Vec<String> = page
                .iter()
                .filter_map(|(a, _)| a.system_id.clone())
                .collect();
            let orgs: Vec<String> = page
                .iter()
                .map(|(a, _)| a.organization_id.clone())
                .collect();
            let contacts = by_key(repo::contacts_of(conn, &systems)?);
            let officers = by_key(repo::officers_of(conn, &orgs)?);
            let none = Vec::new();
            for (a, name) in page.iter().cloned() {
                let who = people(&[
                    a.system_id
                        .as_ref()
                        .and_then(|s| contacts.get(s))
                        .unwrap_or(&none),
                    officers.get(&a.organization_id).unwrap_or(&none),
                ]);
                let d = assessment_deadline(calendar, a, name, today);
                let Some(t) = threshold(days_left(&d, today), leads) else {
                    continue;
                };
                for to in &who {
                    let key = format!("assessment:{}:{}:{t}:{}", d.id, d.due_on, to.1);
                    if send_once(conn, &key, &to.1, reminder(config, &d, to, today))? {
                        report.reminders += 1;
                    } else {
                        report.already_sent += 1;
                    }
                }
            }
            Ok::<_, AppError>(())
        })?;
        if !full {
            break;
        }
    }
    gap_reminders(conn, registry, config, today, until, &mut report)?;
    if today.weekday() == Weekday::Mon {
        super::reminder_digest::digests(conn, registry, config, today, &mut report)?;
    }
    Ok(report)
}

/// Reminders for compliance gaps at a threshold: to the responsible user when active, else to
/// the system's contacts; keyed per item, target date, threshold and person.
fn gap_reminders(
    conn: &mut AnyConn,
    registry: &Registry,
    config: &Config,
    today: NaiveDate,
    until: NaiveDate,
    report: &mut ReminderReport,
) -> Result<(), AppError> {
    let calendar: &Calendar = registry.calendar();
    let leads = &config.reminders.lead_days;
    let mut after = None;
    loop {
        let page =
            crate::repo::compliance_report::gaps_due_after(conn, until, after.clone(), PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.target_date.map(|d| (d, last.id.clone()));
        let full = page.len() as i64 == PAGE;
        write_tx(conn, |conn| {
            let systems: Vec<String> = page.iter().map(|g| g.system_id.clone()).collect();
            let owners: Vec<String> = page
                .iter()
                .filter_map(|g| g.responsible_id.clone())
                .collect();
            let contacts = by_key(repo::contacts_of(conn, &systems)?);
            let owners = by_key(repo::active_users(conn, &owners)?);
            let none = Vec::new();
            for g in page.iter().cloned() {
                let who = match g.responsible_id.as_ref().and_then(|u| owners.get(u)) {
                    Some(owner) if owner.iter().any(|o| !o.3.is_empty()) => owner.clone(),
                    _ => people(&[contacts.get(&g.system_id).unwrap_or(&none)]),
                };
                let Some(d) = gap_deadline(calendar, registry, g, today) else {
                    continue;
                };
                let Some(t) = threshold(days_left(&d, today), leads) else {
                    continue;
                };
                for to in who.iter().filter(|w| !w.3.is_empty()) {
                    let key = format!("compliance:{}:{}:{t}:{}", d.id, d.due_on, to.1);
                    if send_once(conn, &key, &to.1, reminder(config, &d, to, today))? {
                        report.reminders += 1;
                    } else {
                        report.already_sent += 1;
                    }
                }
            }
            Ok::<_, AppError>(())
        })?;
        if !full {
            break;
        }
    }
    Ok(())
}
