//! The one error contract: status, code and Vietnamese message for every kind of bad input.

use capdo::domain::Role;
use serde_json::json;

use crate::support::{error_code, json, TestApp, PASSWORD};

#[tokio::test]
async fn malformed_json_is_400() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(app.admin_token())
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = json(res).await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "bad_request");
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .body("email=a")
        .send()
        .await
        .unwrap();
    let (status, body) = json(res).await;
    assert_eq!(status, 415);
    assert_eq!(error_code(&body), "unsupported_media_type");
}

#[tokio::test]
async fn oversized_body_is_413() {
    let app = TestApp::spawn().await;
    let huge = json!({ "email": "a@b.vn", "password": "x".repeat(2 * 1024 * 1024) });
    let (status, body) = json(app.login_raw(&huge).await).await;
    assert_eq!(status, 413);
    assert_eq!(error_code(&body), "payload_too_large");
}

#[tokio::test]
async fn unknown_fields_are_rejected_by_name() {
    let app = TestApp::spawn().await;
    let body = json!({ "name": "Tổ Tin học", "code": "SCT-TH", "kind": "unit", "parent_id": app.tree.root.id, "colour": "đỏ" });
    let (status, body) = json(
        app.post("/api/v1/organizations", &app.admin_token(), &body)
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["colour"][0]
        .as_str()
        .unwrap()
        .contains("không được hỗ trợ"));
}

#[tokio::test]
async fn invalid_values_get_per_field_vietnamese_messages() {
    let app = TestApp::spawn().await;
    let before = app.audit_count().await;
    let bad = json!({ "email": "khong-phai-thu", "full_name": "", "role": "viewer", "organization_id": app.tree.office.id, "password": "ngan" });
    let (status, body) = json(app.post("/api/v1/users", &app.admin_token(), &bad).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_code(&body), "validation_failed");
    let fields = &body["error"]["fields"];
    assert!(fields["email"][0]
        .as_str()
        .unwrap()
        .contains("không hợp lệ"));
    assert!(fields["full_name"].is_array());
    assert!(fields["password"][0].as_str().unwrap().contains("10"));
    assert_eq!(app.audit_count().await, before, "nothing written");

    let bad_org =
        json!({ "name": "Tổ", "code": "1/2", "kind": "unit", "parent_id": app.tree.root.id });
    let (status, body) = json(
        app.post("/api/v1/organizations", &app.admin_token(), &bad_org)
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["code"].is_array());

    let bad_kind =
        json!({ "name": "Tổ", "code": "TO", "kind": "galaxy", "parent_id": app.tree.root.id });
    assert_eq!(
        app.post("/api/v1/organizations", &app.admin_token(), &bad_kind)
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn duplicates_are_409_and_email_ignores_case() {
    let app = TestApp::spawn().await;
    app.add_user("trung@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let dup = json!({ "email": "TRUNG@sct.gov.vn", "full_name": "Trùng", "role": "viewer", "organization_id": app.tree.office.id, "password": PASSWORD });
    let (status, body) = json(app.post("/api/v1/users", &app.admin_token(), &dup).await).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("đã được dùng"));

    let dup_org = json!({ "name": "Văn phòng 2", "code": "sct-vp", "kind": "unit", "parent_id": app.tree.root.id });
    let (status, body) = json(
        app.post("/api/v1/organizations", &app.admin_token(), &dup_org)
            .await,
    )
    .await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("SCT-VP"));
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_json() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/khong-co", "/api/khong-co", "/api/v2/me"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let (_, body) = json(res).await;
        assert_eq!(error_code(&body), "not_found");
    }
    let res = app
        .client
        .delete(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    let (status, body) = json(res).await;
    assert_eq!(status, 405);
    assert_eq!(error_code(&body), "method_not_allowed");
}

#[tokio::test]
async fn bad_query_parameters_are_400_or_422() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get("/api/v1/users?per_page=abc", &app.admin_token())
            .await
            .status(),
        400
    );
    assert_eq!(
        app.get("/api/v1/users?per_page=5000", &app.admin_token())
            .await
            .status(),
        422
    );
    assert_eq!(
        app.get("/api/v1/users?unknown=1", &app.admin_token())
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn concurrent_read_then_write_requests_never_hit_database_is_locked() {
    let app = TestApp::spawn().await;
    let user = app
        .add_user("dongthoi@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let token = app.admin_token();
    let path = format!("/api/v1/users/{}", user.id);
    let requests = (0..16).map(|i| {
        let body = json!({ "full_name": format!("Tên lần {i}") });
        let (app, token, path) = (&app, token.clone(), path.clone());
        async move { app.patch(&path, &token, &body).await.status().as_u16() }
    });
    let statuses = futures_util::future::join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}
