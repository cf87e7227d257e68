//! The audit trail: written with each change, rolled back with it, never altered.

use capdo::domain::Role;
use diesel::RunQueryDsl;
use serde_json::json;

use crate::support::{json, TestApp, PASSWORD};

#[tokio::test]
async fn every_change_leaves_an_audit_row_without_secrets() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let account = json!({ "email": "moi@sct.gov.vn", "full_name": "Phạm Thị Mới", "role": "viewer", "organization_id": app.tree.office.id, "password": PASSWORD });
    let (status, created) = json(app.post("/api/v1/users", &token, &account).await).await;
    assert_eq!(status, 201);
    let id = created["id"].as_str().unwrap();
    let reset = json!({ "full_name": "Phạm Thị Mới Đổi", "password": "Mật-khẩu-đặt-lại-1" });
    assert_eq!(
        app.patch(&format!("/api/v1/users/{id}"), &token, &reset)
            .await
            .status(),
        200
    );

    let (status, body) = json(
        app.get(
            &format!("/api/v1/audit?entity_type=user&entity_id={id}"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{body}");
    assert_eq!(items[0]["action"], "update", "newest first");
    assert_eq!(items[0]["before"]["full_name"], "Phạm Thị Mới");
    assert_eq!(items[0]["after"]["full_name"], "Phạm Thị Mới Đổi");
    assert_eq!(items[0]["after"]["password_reset"], true);
    assert_eq!(items[1]["action"], "create");
    assert_eq!(items[1]["actor_id"], app.tree.admin.id.as_str());
    let text = body.to_string();
    assert!(
        !text.contains(PASSWORD)
            && !text.contains("Mật-khẩu-đặt-lại-1")
            && !text.contains("argon2"),
        "secrets in audit: {text}"
    );
}

#[tokio::test]
async fn a_failed_change_leaves_no_audit_row() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let before = app.audit_count().await;
    // The audit row is written first in the transaction; the unique code then fails the update.
    let res = app
        .patch(
            &format!("/api/v1/organizations/{}", app.tree.tech.id),
            &token,
            &json!({ "code": "SCT-VP" }),
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        app.audit_count().await,
        before,
        "the audit row must roll back with the change"
    );

    let res = app
        .patch(
            &format!("/api/v1/organizations/{}", app.tree.tech.id),
            &token,
            &json!({ "name": "Phòng Kỹ thuật số" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.audit_count().await, before + 1);
}

#[tokio::test]
async fn audit_is_filtered_by_actor_time_and_paged() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let start = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    for i in 0..3 {
        app.add_user(
            &format!("u{i}@sct.gov.vn"),
            Role::Viewer,
            &app.tree.office.id,
        )
        .await;
    }
    let (_, by_console) = json(app.get("/api/v1/audit?per_page=2&page=1", &token).await).await;
    assert_eq!(by_console["items"].as_array().unwrap().len(), 2);
    assert!(
        by_console["total"].as_i64().unwrap() >= 6,
        "init + units + 3 users"
    );

    let patch = json!({ "full_name": "Tên mới" });
    let target = app
        .add_user("doi@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    app.patch(&format!("/api/v1/users/{}", target.id), &token, &patch)
        .await;
    let (_, mine) = json(
        app.get(
            &format!("/api/v1/audit?actor_id={}", app.tree.admin.id),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(mine["total"], 1, "{mine}");

    let from = urlencode(&start.to_rfc3339());
    let (_, recent) = json(
        app.get(
            &format!("/api/v1/audit?from={from}&entity_type=user"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(recent["total"], 5, "3 + 1 created, 1 updated: {recent}");
    let to = urlencode(&start.to_rfc3339());
    let (_, older) = json(
        app.get(&format!("/api/v1/audit?to={to}&entity_type=user"), &token)
            .await,
    )
    .await;
    assert_eq!(older["total"], 1, "only the first admin: {older}");
    let (status, _) = json(
        app.get(&format!("/api/v1/audit?from={from}&to={from}"), &token)
            .await,
    )
    .await;
    assert_eq!(status, 422);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn the_database_refuses_to_alter_the_audit_trail() {
    let app = TestApp::spawn().await;
    let result = app
        .state
        .db
        .run(|conn| {
            Ok(diesel::sql_query("UPDATE audit_log SET action = 'forged'")
                .execute(conn)
                .is_err()
                && diesel::sql_query("DELETE FROM audit_log")
                    .execute(conn)
                    .is_err())
        })
        .await
        .unwrap();
    assert!(result, "UPDATE and DELETE on audit_log must fail");
}
