//! Legal clocks, deadlines, periodic assessments and reminders on a real database (and a real SMTP server for delivery).

use chrono::NaiveDate;
use serde_json::{json, Value};

mod alerts;
mod assessments;
mod clocks;
mod intervals;
mod listing;
mod reminders;

use crate::dossiers::{complete, dossier_for, ok_step, submission};
use crate::support::TestApp;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Level 3 under Decree 331 (online filing) in `org`, with its own name.
pub(super) fn filing(org: &str, name: &str) -> Value {
    let mut body = crate::dossiers::filing(org);
    body["name"] = json!(name);
    body
}

/// A dossier for `body`, submitted on 03/11/2026 and received on `received`.
pub(super) async fn received(app: &TestApp, token: &str, body: Value, received: &str) -> Value {
    let d = dossier_for(app, token, body).await;
    complete(app, token, &d, "proposal").await;
    let d = ok_step(app, token, &d, submission()).await;
    ok_step(
        app,
        token,
        &d,
        json!({ "to": "received", "date": received }),
    )
    .await
}

/// The same, then under appraisal from the day after the receipt.
pub(super) async fn under_appraisal(app: &TestApp, token: &str, body: Value, on: &str) -> Value {
    let d = received(app, token, body, on).await;
    ok_step(
        app,
        token,
        &d,
        json!({ "to": "under_appraisal", "date": on }),
    )
    .await
}

/// Runs a closure on the app's database.
pub(super) async fn with_db<T: Send + 'static>(
    app: &TestApp,
    f: impl FnOnce(&mut capdo::db::AnyConn) -> Result<T, capdo::error::AppError> + Send + 'static,
) -> T {
    app.state.db.run(f).await.expect("database call")
}

/// The materialised path of an organisation (the scope of its users).
pub(super) async fn path_of(app: &TestApp, id: &str) -> String {
    let id = id.to_string();
    with_db(app, move |conn| {
        Ok(capdo::repo::organizations::find(conn, &id)?.unwrap().path)
    })
    .await
}
