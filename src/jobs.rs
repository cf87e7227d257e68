//! Background workers: plain interval loops that stop when the server shuts down.

use std::time::Duration;

use actix_web::web;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::startup::AppState;

const MAINTENANCE_EVERY: Duration = Duration::from_secs(60);

/// Starts the workers; they end once `stop` turns true.
pub fn spawn(state: web::Data<AppState>, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let mail = crate::mail::worker::spawn(
        state.db.clone(),
        state.mail.mailer.clone(),
        crate::mail::WorkerOptions::from_config(&state.config.mail),
        state.mail.notifier.clone(),
        stop.clone(),
    );
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
