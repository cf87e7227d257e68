//! The weekly digest: on Mondays, each security officer and administrator gets the open deadlines of their subtree, once per ISO week.

use chrono::{Datelike, NaiveDate};

use super::deadlines::{for_actor, DeadlineQuery};
use super::reminders::{link, send_once, when, ReminderReport};
use super::Actor;
use crate::config::Config;
use crate::db::{write_tx, AnyConn};
use crate::domain::Role;
use crate::error::AppError;
use crate::mail::NewMessage;
use crate::repo::deadlines as repo;
use crate::repo::reminders::reminder_exists;
use crate::repo::Page;
use crate::rules::Registry;

/// Users read per page.
const PAGE: i64 = 200;
/// Deadlines listed in one digest (overdue ones come first, so all of them are counted
/// unless there are more than this).
const LISTED: i64 = 100;

/// One message per active security officer or administrator with open deadlines in their
/// subtree, keyed by user and ISO week.
pub(super) fn digests(
    conn: &mut AnyConn,
    registry: &Registry,
    config: &Config,
    today: NaiveDate,
    report: &mut ReminderReport,
) -> Result<(), AppError> {
    let week = today.iso_week();
    let roles = [Role::Admin.as_str(), Role::SecurityOfficer.as_str()];
    let mut after: Option<String> = None;
    loop {
        let users = repo::users_after(conn, &roles, after.as_deref(), PAGE)?;
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
                        size: LISTED,
                    },
                    ..DeadlineQuery::default()
                },
            )?;
            if list.items.is_empty() {
                continue;
            }
            let overdue = list.items.iter().filter(|d| d.overdue).count() as i64;
            let upcoming = list.total - overdue;
            let mut body = format!(
                "Kính gửi {name},\n\nTrong phạm vi của anh/chị có {upcoming} việc đến hạn đến hết ngày {} và {overdue} việc quá hạn.\n\n",
                list.until.format("%d/%m/%Y"),
            );
            for (i, d) in list.items.iter().enumerate() {
                body.push_str(&format!(
                    "{}. [{}] {} — {}.\n   {}\n",
                    i + 1,
                    d.kind_label,
                    d.title,
                    when(d, today),
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
            body.push_str(&format!(
                "\nThư tổng hợp tuần {} năm {} do capdo gửi tự động vào thứ Hai hằng tuần.\n",
                week.week(),
                week.year()
            ));
            let subject = format!("capdo: {upcoming} việc đến hạn, {overdue} việc quá hạn");
            let msg = NewMessage::new("digest", email, subject, body)
                .with_name(name)
                .with_ref(id.clone());
            if write_tx(conn, |conn| send_once(conn, &key, &id, msg))? {
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
