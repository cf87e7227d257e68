//! The daily reminder pass: e-mails at 5 and 1 working days before a deadline, on its last day and once overdue, and a weekly digest on Mondays — each keyed in `reminders_sent`, so no run or instance sends it twice.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use super::deadlines::{assessment_deadline, clock_deadline, for_actor, Deadline, DeadlineQuery};
use super::Actor;
use crate::config::Config;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::Role;
use crate::error::AppError;
use crate::mail::{enqueue, NewMessage};
use crate::repo::assessments::{claim_reminder, reminder_exists, set_reminder_outbox};
use crate::repo::deadlines::{self as repo, Recipient};
use crate::repo::Page;
use crate::rules::calendar::Calendar;
use crate::rules::dossier::ClockStep;
use crate::rules::Registry;

/// Deadlines read per transaction (bounded memory).
const PAGE: i64 = 200;
/// Far enough ahead to hold 5 working days even across Tết.
const LOOKAHEAD_DAYS: i64 = 31;

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

/// The reminder a deadline has reached, from the working days left: `5` (five or fewer),
/// `1`, `0` (the last day), `overdue`; `None` while more than five are left.
pub fn threshold(days_left: i64) -> Option<&'static str> {
    match days_left {
        n if n < 0 => Some("overdue"),
        0 => Some("0"),
        1 => Some("1"),
        2..=5 => Some("5"),
        _ => None,
    }
}

fn when(d: &Deadline) -> String {
    let date = d.due_on.format("%d/%m/%Y");
    match d.working_days_left {
        Some(n) if n < 0 => format!("hạn {date}, đã quá hạn {} ngày làm việc", -n),
        Some(0) => format!("hôm nay ({date}) là ngày cuối cùng của thời hạn"),
        Some(n) => format!("hạn {date}, còn {n} ngày làm việc"),
        None => format!("hạn {date}"),
    }
}

fn link(config: &Config, path: &str) -> String {
    format!("{}{path}", config.public_url.as_str().trim_end_matches('/'))
}

fn reminder(config: &Config, d: &Deadline, to: &Recipient) -> NewMessage {
    let head = match d.working_days_left {
        Some(n) if n < 0 => "Quá hạn".to_string(),
        Some(0) => "Hôm nay đến hạn".to_string(),
        Some(n) => format!("Còn {n} ngày làm việc"),
        None => "Nhắc hạn".to_string(),
    };
    let mut body = format!(
        "Kính gửi {},\n\ncapdo nhắc việc có thời hạn:\n\n{}\n{}.\n",
        to.2,
        d.title,
        when(d)
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
fn send_once(
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
    let until = today + Duration::days(LOOKAHEAD_DAYS);
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
                let Some(t) = d.working_days_left.and_then(threshold) else {
                    continue;
                };
                let step = d.step.map_or("", ClockStep::id);
                for to in &who {
                    let key = format!("dossier:{}:{step}:{}:{t}:{}", d.id, d.due_on, to.1);
                    if send_once(conn, &key, &to.1, reminder(config, &d, to))? {
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
                let Some(t) = d.working_days_left.and_then(threshold) else {
                    continue;
                };
                for to in &who {
                    let key = format!("assessment:{}:{}:{t}:{}", d.id, d.due_on, to.1);
                    if send_once(conn, &key, &to.1, reminder(config, &d, to))? {
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
    if today.weekday() == Weekday::Mon {
        digests(conn, registry, config, today, &mut report)?;
    }
    Ok(report)
}

/// One message per active user with open deadlines in their subtree, once per ISO week.
fn digests(
    conn: &mut AnyConn,
    registry: &Registry,
    config: &Config,
    today: NaiveDate,
    report: &mut ReminderReport,
) -> Result<(), AppError> {
    let week = today.iso_week();
    let mut after: Option<String> = None;
    loop {
        let users = repo::users_after(conn, after.as_deref(), PAGE)?;
        let Some(last) = users.last() else { break };
        after = Some(last.0.clone());
        let full = users.len() as i64 == PAGE;
        for (id, name, email, role, path) in users {
            let key = format!("digest:{id}:{}-W{:02}", week.year(), week.week());
            if reminder_exists(conn, &key)? {
                report.already_sent += 1;
                continue;
            }
            let actor = Actor {
                user_id: Some(id.clone()),
                label: email.clone(),
                role: Role::parse(&role).unwrap_or(Role::Viewer),
                scope_path: path,
            };
            let list = for_actor(
                conn,
                registry,
                &actor,
                today,
                DeadlineQuery {
                    page: Page {
                        number: 1,
                        size: 50,
                    },
                    ..DeadlineQuery::default()
                },
            )?;
            if list.items.is_empty() {
                continue;
            }
            let mut body = format!(
                "Kính gửi {name},\n\nCác việc có thời hạn trong phạm vi của anh/chị (quá hạn và đến hạn đến hết ngày {}): {} việc.\n\n",
                list.until.format("%d/%m/%Y"),
                list.total
            );
            for (i, d) in list.items.iter().enumerate() {
                body.push_str(&format!(
                    "{}. {} — {}.\n   {}\n",
                    i + 1,
                    d.title,
                    when(d),
                    link(config, &d.path)
                ));
            }
            if list.total > list.items.len() as i64 {
                body.push_str(&format!(
                    "\n… và {} việc khác: {}\n",
                    list.total - list.items.len() as i64,
                    link(config, "/")
                ));
            }
            body.push_str("\nThư tổng hợp do capdo gửi tự động vào thứ Hai hằng tuần.\n");
            let overdue = list.items.iter().filter(|d| d.overdue).count();
            let subject = format!(
                "[capdo] Việc cần làm tuần {} năm {}: {} việc, {overdue} việc quá hạn",
                week.week(),
                week.year(),
                list.total
            );
            let msg = NewMessage::new("digest", email, subject, body)
                .with_name(name)
                .with_ref(id.clone());
            let sent = write_tx(conn, |conn| send_once(conn, &key, &id, msg))?;
            if sent {
                report.digests += 1;
            } else {
                report.already_sent += 1;
            }
        }
        if !full {
            break;
        }
    }
    Ok(())
}
