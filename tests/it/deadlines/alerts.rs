//! Actions due on sent warnings in the deadline list and on the home page: drafts left out, the acknowledgement rate in the note, the link to the warning.

use capdo::domain::Role;
use capdo::services::deadlines::{for_actor, DeadlineKind, DeadlineQuery};
use capdo::services::Actor;
use chrono::Duration;
use serde_json::{json, Value};

use super::{path_of, with_db};
use crate::support::{json as json_of, TestApp};

fn warning(org: &str, title: &str, due: chrono::NaiveDate) -> Value {
    json!({
        "organization_id": org,
        "title": title,
        "severity": "high",
        "source_authority": "Cục An toàn thông tin",
        "body": "Lỗ hổng cho phép thực thi mã từ xa.",
        "cve_ids": [],
        "affected_products": [],
        "required_action": "Cập nhật bản vá và báo cáo kết quả",
        "action_due_on": due.to_string(),
        "audience": { "organization_ids": [], "roles": ["security_officer"], "user_ids": [], "systems_with_affected_products": false }
    })
}

async fn create(app: &TestApp, token: &str, body: Value) -> String {
    let (status, v) = json_of(app.post("/api/v1/alerts", token, &body).await).await;
    assert_eq!(status, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn sent_warnings_with_an_action_due_are_deadlines_of_their_subtree() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let today = capdo::rules::today_in_vietnam();
    app.add_user("attt1@sct.gov.vn", Role::SecurityOfficer, &app.tree.root.id)
        .await;
    let officer = app
        .add_user(
            "attt2@sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let root = app.tree.root.id.clone();
    let sent = create(
        &app,
        &admin,
        warning(&root, "Lỗ hổng Apache", today + Duration::days(5)),
    )
    .await;
    let draft = create(
        &app,
        &admin,
        warning(&root, "Bản nháp", today + Duration::days(3)),
    )
    .await;
    let (status, v) = json_of(
        app.post(&format!("/api/v1/alerts/{sent}/send"), &admin, &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    // One of the two recipients answers.
    let id = sent.clone();
    with_db(&app, move |conn| {
        use capdo::db::schema::alert_deliveries as ad;
        use diesel::prelude::*;
        let first: String = ad::table
            .filter(ad::alert_id.eq(&id))
            .select(ad::id)
            .order(ad::id.asc())
            .first(conn)?;
        diesel::update(ad::table.find(first))
            .set(ad::answer.eq(Some("received")))
            .execute(conn)?;
        Ok(())
    })
    .await;

    let registry = app.state.rules.clone();
    let root_path = path_of(&app, &root).await;
    let page = with_db(&app, move |conn| {
        let actor = Actor {
            user_id: None,
            label: "thử".into(),
            role: Role::SecurityOfficer,
            scope_path: root_path,
        };
        for_actor(conn, &registry, &actor, today, DeadlineQuery::default())
    })
    .await;
    let alerts: Vec<_> = page
        .items
        .iter()
        .filter(|d| d.kind == DeadlineKind::AlertAction)
        .collect();
    assert_eq!(alerts.len(), 1, "drafts are left out: {:?}", page.items);
    let a = alerts[0];
    assert_eq!(a.id, sent);
    assert_ne!(a.id, draft);
    assert_eq!(a.path, format!("/alerts/{sent}"));
    assert_eq!(a.due_on, today + Duration::days(5));
    assert!(!a.overdue);
    assert_eq!(a.note.as_deref(), Some("1/2 người đã xác nhận"));
    assert_eq!(a.kind_label, "Xử lý theo cảnh báo");

    // Overdue later, and still listed.
    let registry = app.state.rules.clone();
    let root_path = path_of(&app, &root).await;
    let later = with_db(&app, move |conn| {
        let actor = Actor {
            user_id: None,
            label: "thử".into(),
            role: Role::Admin,
            scope_path: root_path,
        };
        for_actor(
            conn,
            &registry,
            &actor,
            today + Duration::days(60),
            DeadlineQuery::default(),
        )
    })
    .await;
    assert!(later
        .items
        .iter()
        .any(|d| d.kind == DeadlineKind::AlertAction && d.overdue));

    // The API lists it; the office's officer, below the issuer, does not see it.
    let (status, list) = json_of(app.get("/api/v1/deadlines", &admin).await).await;
    assert_eq!(status, 200, "{list}");
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "alert_action")
        .expect("alert deadline");
    assert_eq!(item["kind_label"], "Xử lý theo cảnh báo");
    assert_eq!(item["note"], "1/2 người đã xác nhận");
    let (_, theirs) = json_of(app.get("/api/v1/deadlines", &app.token_for(&officer)).await).await;
    assert!(
        !theirs["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "alert_action"),
        "{theirs}"
    );

    // The home page labels it.
    crate::web_dossiers::sign_in(&app).await;
    let html = crate::web_dossiers::page(&app, "/").await;
    assert!(html.contains(r#"data-kind="alert_action""#), "{html}");
    assert!(html.contains("Xử lý theo cảnh báo"), "{html}");
    assert!(html.contains(&format!("/alerts/{sent}")), "{html}");
}
