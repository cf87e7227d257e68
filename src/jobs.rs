//! Background workers: plain interval loops that stop when the server shuts down.

use std::time::Duration;

use actix_web::web;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::startup::AppState;

const MAINTENANCE_EVERY: Duration = Duration::from_secs(60);
/// How often the SQLite WAL is copied back into the database, outside any commit. Often
/// enough that at a thousand creates a second (about ten pages each) the WAL never reaches
/// SQLite's own backstop of 10,000 pages, which would make one commit copy all of it (a
/// half-second stall, measured); an idle pass costs one PRAGMA.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Starts the workers; they end once `stop` turns true.
pub fn spawn(state: web::Data<AppState>, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let mail = crate::mail::worker::spawn(
        state.db.clone(),
        state.mail.mailer.clone(),
        crate::mail::WorkerOptions::from_config(&state.config.mail),
        state.mail.notifier.clone(),
        stop.clone(),
    );
    let checkpoints = spawn_wal_checkpoints(state.clone(), stop.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(MAINTENANCE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut refreshed_on = None;
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    // Bounds the memory of the login limiter and the session cache.
                    state.login_limiter.prune();
                    state.principals.prune();
                    // Once a day (and at start): classifications follow new pack versions and
                    // transitional deadlines that passed.
                    let today = crate::rules::today_in_vietnam();
                    if refreshed_on != Some(today) {
                        refreshed_on = Some(today);
                        refresh_classifications(&state, today).await;
                        send_reminders(&state, today).await;
                    }
                }
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        break;
                    }
                }
            }
        }
        // The mail worker finishes its sends in flight and releases the rest.
        let _ = mail.await;
        let _ = checkpoints.await;
        tracing::debug!("background workers stopped");
    })
}

async fn refresh_classifications(state: &web::Data<AppState>, today: chrono::NaiveDate) {
    let registry = state.rules.clone();
    let result = state
        .db
        .run(move |conn| crate::services::system_refresh::refresh(conn, &registry, today))
        .await;
    match result {
        Ok(outcome) if outcome.reclassified > 0 => tracing::info!(
            checked = outcome.checked,
            reclassified = outcome.reclassified,
            "classifications refreshed"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "refreshing classifications failed"),
    }
}

/// Deadline reminders and, on Mondays, the weekly digests (each message once: `reminders_sent`).
async fn send_reminders(state: &web::Data<AppState>, today: chrono::NaiveDate) {
    let (registry, config) = (state.rules.clone(), state.config.clone());
    let result = state
        .db
        .run(move |conn| crate::services::reminders::run(conn, &registry, &config, today))
        .await;
    match result {
        Ok(report) => {
            if report.reminders + report.digests > 0 {
                state.mail.notify();
                tracing::info!(
                    reminders = report.reminders,
                    digests = report.digests,
                    "reminders enqueued"
                );
            }
        }
        Err(e) => tracing::warn!(error = %e, "the reminder pass failed"),
    }
}

/// Checkpoints the SQLite WAL every `CHECKPOINT_EVERY` on a pooled connection (PASSIVE: it never waits
/// for, nor blocks, readers and writers), so that no request's commit does it. Nothing to do
/// on PostgreSQL.
fn spawn_wal_checkpoints(
    state: web::Data<AppState>,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        if !state.db.target().is_sqlite() {
            return;
        }
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    let done = state.db.run(|conn| crate::db::checkpoint_wal(conn).map_err(Into::into)).await;
                    if let Err(e) = done {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                }
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        break;
                    }
                }
            }
        }
    })
}
