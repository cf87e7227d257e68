//! Background workers: plain interval loops that stop when the server shuts down.

use std::time::Duration;

use actix_web::web;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::startup::AppState;

const MAINTENANCE_EVERY: Duration = Duration::from_secs(60);

/// Starts the workers; they end once `stop` turns true.
pub fn spawn(state: web::Data<AppState>, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(MAINTENANCE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    // Bounds the memory of the login limiter and the session cache.
                    state.login_limiter.prune();
                    state.principals.prune();
                }
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        break;
                    }
                }
            }
        }
        tracing::debug!("background workers stopped");
    })
}
