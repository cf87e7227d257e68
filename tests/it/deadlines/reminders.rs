//! The reminder pass: configured lead times with catch-up, each message once (a second run adds no outbox row), delivery to a real SMTP server, the digest on Mondays only.

use capdo::config::{Config, MailTransport, Secret};
use capdo::db::DatabaseTarget;
use capdo::domain::{OrgKind, Role};
use capdo::services::reminders::{run, ReminderReport};
use capdo::services::{self, Actor};
use capdo::startup::{AppState, Application, ServeOptions};
use serde_json::json;

use super::{d, filing, received};
use crate::support::{json as json_of, TestApp, TestDatabase, JWT_SECRET, PASSWORD};

// The same in-process SMTP server as the mail tests.
#[path = "../mail/sink.rs"]
#[allow(dead_code, clippy::duplicate_mod)]
mod sink;

async fn pass(state: &actix_web::web::Data<AppState>, today: chrono::NaiveDate) -> ReminderReport {
    let (registry, config) = (state.rules.clone(), state.config.clone());
    state
        .db
        .run(move |conn| run(conn, &registry, &config, today))
        .await
        .expect("reminder pass")
}

async fn outbox(
    state: &actix_web::web::Data<AppState>,
    kind: &'static str,
) -> Vec<(String, String)> {
    state
        .db
        .run(move |conn| {
            use capdo::db::schema::outbox;
            use diesel::prelude::*;
            Ok(outbox::table
                .filter(outbox::kind.eq(kind))
                .select((outbox::to_address, outbox::subject))
                .order(outbox::id.asc())
                .load(conn)?)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn dossier_reminders_go_once_to_the_creator_and_the_officers() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    app.add_user("ngoc@sct.gov.vn", Role::SecurityOfficer, &app.tree.root.id)
        .await;
    app.add_user("xem@sct.gov.vn", Role::Viewer, &app.tree.root.id)
        .await;
    // Received Thursday 05/11/2026: the validity check ends on Thursday 12/11.
    received(
        &app,
        &token,
        filing(&app.tree.root.id, "Hệ thống một cửa"),
        "2026-11-05",
    )
    .await;
    // Monday 02/11: no reminder yet, and the week's digest goes to the administrator and the
    // security officer only, not to the viewer.
    let early = pass(&app.state, d(2026, 11, 2)).await;
    assert_eq!(
        (early.reminders, early.digests),
        (0, 2),
        "more than seven days left"
    );
    let digests = outbox(&app.state, "digest").await;
    let mut to: Vec<&str> = digests.iter().map(|r| r.0.as_str()).collect();
    to.sort();
    assert_eq!(to, ["admin@sct.gov.vn", "ngoc@sct.gov.vn"], "{digests:?}");
    assert_eq!(digests[0].1, "capdo: 1 việc đến hạn, 0 việc quá hạn");
    // Friday 06/11, six days left: the seven-day reminder (caught up, the pass of 05/11 never
    // ran), to the creator and the officer, not to the viewer.
    let first = pass(&app.state, d(2026, 11, 6)).await;
    assert_eq!(first.digests, 0, "not a Monday");
    let rows = outbox(&app.state, "reminder").await;
    let mut to: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    to.sort();
    assert_eq!(to, ["admin@sct.gov.vn", "ngoc@sct.gov.vn"], "{rows:?}");
    assert!(
        rows[0].1.starts_with("[capdo] Còn 6 ngày:") && rows[0].1.contains("kiểm tra tính hợp lệ"),
        "{rows:?}"
    );
    let again = pass(&app.state, d(2026, 11, 6)).await;
    assert_eq!((again.reminders, again.already_sent), (0, 2));
    // Monday 09/11: no new reminder, the next week's digests, once.
    let monday = pass(&app.state, d(2026, 11, 9)).await;
    assert_eq!((monday.reminders, monday.digests), (0, 2));
    assert_eq!(pass(&app.state, d(2026, 11, 9)).await.digests, 0);
    let digests = outbox(&app.state, "digest").await;
    assert_eq!(digests.len(), 4);
    // Tuesday 10/11: nothing new; then one day left, the last day (the one-day reminder went
    // out already) and overdue, once each.
    pass(&app.state, d(2026, 11, 10)).await;
    assert_eq!(outbox(&app.state, "reminder").await.len(), 2);
    pass(&app.state, d(2026, 11, 11)).await;
    pass(&app.state, d(2026, 11, 12)).await;
    pass(&app.state, d(2026, 11, 13)).await;
    assert_eq!(pass(&app.state, d(2026, 11, 16)).await.digests, 2);
    let digests = outbox(&app.state, "digest").await;
    assert_eq!(digests[5].1, "capdo: 0 việc đến hạn, 1 việc quá hạn");
    pass(&app.state, d(2026, 11, 20)).await;
    let rows = outbox(&app.state, "reminder").await;
    assert_eq!(rows.len(), 6, "7, 1, overdue × 2 people: {rows:?}");
    assert!(rows.iter().any(|r| r.1.starts_with("[capdo] Còn 1 ngày:")));
    assert!(rows.iter().any(|r| r.1.starts_with("[capdo] Quá hạn")));
}

#[tokio::test]
async fn lead_times_follow_the_configuration() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    // The validity check ends on Thursday 12/11/2026.
    received(
        &app,
        &token,
        filing(&app.tree.root.id, "Hệ thống một cửa"),
        "2026-11-05",
    )
    .await;
    let mut config = (*app.state.config).clone();
    config.reminders.lead_days = vec![10, 3];
    let run_with = |today| {
        let (registry, config) = (app.state.rules.clone(), config.clone());
        app.state
            .db
            .run(move |conn| run(conn, &registry, &config, today))
    };
    assert_eq!(run_with(d(2026, 11, 1)).await.unwrap().reminders, 0);
    assert_eq!(
        run_with(d(2026, 11, 2)).await.unwrap().reminders,
        1,
        "ten days"
    );
    assert_eq!(run_with(d(2026, 11, 6)).await.unwrap().reminders, 0);
    assert_eq!(
        run_with(d(2026, 11, 10)).await.unwrap().reminders,
        1,
        "three days"
    );
    assert_eq!(run_with(d(2026, 11, 11)).await.unwrap().reminders, 0);
    let rows = outbox(&app.state, "reminder").await;
    assert!(rows[0].1.starts_with("[capdo] Còn 10 ngày:"), "{rows:?}");
    assert!(rows[1].1.starts_with("[capdo] Còn 2 ngày:"), "{rows:?}");
}

/// A server whose mail goes to `smtp_url`, with a root organisation, a unit and its administrator.
async fn smtp_app(
    smtp_url: String,
) -> (
    actix_web::web::Data<AppState>,
    String,
    String,
    String,
    TestDatabase,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(dir.path());
    let mut config = Config::with_data_dir(dir.path()).unwrap();
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.jwt_secret = Some(Secret::new(JWT_SECRET));
    config.database = DatabaseTarget::parse(&database.url()).unwrap();
    config.database_url = Secret::new(database.url());
    config.public_url = url::Url::parse("https://capdo.dongnai.gov.vn/").unwrap();
    config.mail.transport = MailTransport::Smtp;
    config.mail.smtp_url = Some(Secret::new(smtp_url));
    config.mail.pool_size = 1;
    let app = Application::build(
        config,
        ServeOptions {
            workers: 1,
            signals: false,
        },
    )
    .unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run());
    let (admin, unit) = state
        .db
        .run(|conn| {
            let (root, admin) = services::setup::init(
                conn,
                services::setup::InitInput {
                    org_name: "Sở Công Thương".into(),
                    org_code: "SCT".into(),
                    org_kind: OrgKind::Department,
                    admin_email: "admin@sct.gov.vn".into(),
                    admin_name: "Nguyễn Văn An".into(),
                    admin_password: PASSWORD.into(),
                },
            )?;
            let unit = services::organizations::create(
                conn,
                &Actor::console(),
                services::organizations::OrganizationInput {
                    name: "Văn phòng Sở".into(),
                    code: "SCT-VP".into(),
                    kind: OrgKind::Unit,
                    parent_id: Some(root.id),
                },
            )?;
            Ok((admin, unit))
        })
        .await
        .unwrap();
    let token = state.jwt.issue(&admin.id, 0).unwrap().0;
    (state, address, token, unit.id, database, dir)
}

#[tokio::test]
async fn assessment_reminders_and_the_monday_digest_reach_a_real_smtp_server_once() {
    let server = sink::SmtpServer::start(sink::SinkOptions::default());
    let (state, address, token, unit, _database, _dir) = smtp_app(server.url()).await;
    let client = reqwest::Client::new();
    let officer = state
        .db
        .run(move |conn| {
            services::users::create(
                conn,
                &Actor::console(),
                services::users::UserInput {
                    email: "ngoc.vp@sct.gov.vn".into(),
                    full_name: "Trần Thị Bích Ngọc".into(),
                    role: Role::SecurityOfficer,
                    organization_id: unit,
                    password: PASSWORD.into(),
                },
            )
        })
        .await
        .unwrap();
    let mut body = filing(&officer.organization_id, "Cơ sở dữ liệu doanh nghiệp");
    body["contact_ids"] = json!([officer.id]);
    let post = |path: String, body: serde_json::Value| {
        client
            .post(format!("{address}{path}"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let (status, s) = json_of(post("/api/v1/systems".into(), body).await.unwrap()).await;
    assert_eq!(status, 201, "{s}");
    let approval = json!({ "level": 4, "decision_number": "2559/QĐ-UBND", "decision_date": "2026-06-15", "regime": "nd85-2016" });
    let (status, v) = json_of(
        post(
            format!("/api/v1/systems/{}/approval", s["id"].as_str().unwrap()),
            approval,
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{v}");

    // The yearly check is due Tuesday 15/06/2027. Friday 11/06: four days left.
    let friday = pass(&state, d(2027, 6, 11)).await;
    assert_eq!(
        (friday.reminders, friday.digests),
        (1, 0),
        "the officer is contact and officer: one message"
    );
    assert_eq!(pass(&state, d(2027, 6, 11)).await.reminders, 0);
    // Monday 14/06: the one-day reminder, and the digests of the officer and the administrator.
    let monday = pass(&state, d(2027, 6, 14)).await;
    assert_eq!((monday.reminders, monday.digests), (1, 2));
    let again = pass(&state, d(2027, 6, 14)).await;
    assert_eq!((again.reminders, again.digests), (0, 0));
    assert_eq!(
        outbox(&state, "reminder").await.len() + outbox(&state, "digest").await.len(),
        4
    );

    state.mail.notify();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.received().len() < 4 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let received = server.received();
    assert_eq!(received.len(), 4, "each message once");
    let messages: Vec<sink::Parsed> = received.iter().map(|r| sink::parse(&r.data)).collect();
    let subjects: Vec<String> = messages
        .iter()
        .filter_map(|m| m.header("Subject"))
        .collect();
    assert!(
        subjects
            .iter()
            .any(|s| s.contains("Còn 4 ngày") && s.contains("Cơ sở dữ liệu doanh nghiệp")),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.contains("Còn 1 ngày")),
        "{subjects:?}"
    );
    assert_eq!(
        subjects
            .iter()
            .filter(|s| *s == "capdo: 1 việc đến hạn, 0 việc quá hạn")
            .count(),
        2,
        "{subjects:?}"
    );
    let reminder = messages
        .iter()
        .find(|m| m.header("Subject").is_some_and(|s| s.contains("Còn 1")))
        .unwrap();
    let text = reminder.text.as_deref().unwrap();
    assert!(text.contains("Kính gửi Trần Thị Bích Ngọc"), "{text}");
    assert!(
        text.contains(&format!(
            "https://capdo.dongnai.gov.vn/systems/{}",
            s["id"].as_str().unwrap()
        )),
        "{text}"
    );
    assert!(
        text.contains("còn 1 ngày (1 ngày làm việc), hạn 15/06/2027")
            && text.contains("Điều 20 khoản 2 điểm c"),
        "{text}"
    );
}
