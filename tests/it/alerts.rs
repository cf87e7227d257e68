//! Security warnings through the API on a real database: drafts and validation, audience
//! targeting with merged duplicates, sending through the outbox (file transport here; the
//! SMTP paths are in `mail`), acknowledgement links, resend, closing report, scoping.

use std::time::Duration;

use capdo::domain::Role;
use capdo::services::alert_send::{self, AckError};
use serde_json::{json, Value};

use crate::support::{error_code, json as json_of, TestApp};

fn warning(org: &str) -> Value {
    json!({
        "organization_id": org,
        "title": "Lỗ hổng nghiêm trọng trong Apache HTTP Server",
        "severity": "high",
        "source_authority": "Cục An toàn thông tin",
        "source_document": "Văn bản số 936/SCT-VP ngày 01/3/2021",
        "body": "Lỗ hổng cho phép **thực thi mã từ xa**. <script>alert(1)</script>",
        "cve_ids": ["cve-2024-38476"],
        "affected_products": [{ "name": "Apache HTTP Server", "versions": ">=2.4.0, <2.4.60" }],
        "required_action": "Cập nhật lên phiên bản 2.4.60 trở lên và báo cáo kết quả",
        "action_due_on": "2020-01-01",
        "tlp": "amber",
        "audience": { "organization_ids": [], "roles": ["security_officer"], "user_ids": [], "systems_with_affected_products": true }
    })
}

async fn system_with(
    app: &TestApp,
    token: &str,
    name: &str,
    product: &str,
    version: &str,
    contact: &str,
) {
    let body = json!({
        "name": name, "owner_name": "UBND tỉnh Đồng Nai", "kind": "portal",
        "contact_ids": [contact],
        "products": [{ "name": product, "vendor": "Apache", "version": version }],
        "facts": { "function": "citizen_business", "kind": "portal", "information": ["public"], "public_service_level": 2 }
    });
    let (status, created) = json_of(app.post("/api/v1/systems", token, &body).await).await;
    assert_eq!(status, 201, "{created}");
}

/// Waits until the outbox worker has handled every message of the warning.
async fn delivered(app: &TestApp, token: &str, id: &str, expected: i64) -> Value {
    for _ in 0..100 {
        let (_, alert) = json_of(app.get(&format!("/api/v1/alerts/{id}"), token).await).await;
        if alert["progress"]["sent"].as_i64() == Some(expected) {
            return alert;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("messages of {id} not delivered in time");
}

async fn outbox_bodies(app: &TestApp) -> Vec<(String, String, String)> {
    use capdo::db::schema::outbox;
    use diesel::{QueryDsl, RunQueryDsl};
    app.state
        .db
        .run(|conn| {
            Ok(outbox::table
                .select((outbox::to_address, outbox::subject, outbox::text_body))
                .load::<(String, String, String)>(conn)?)
        })
        .await
        .unwrap()
}

fn token_in(body: &str) -> String {
    let start = body.find("/ack/").expect("ack link") + 5;
    body[start..].split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn a_warning_reaches_the_right_people_once_and_tracks_their_answers() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let officer = app
        .add_user(
            "attt@sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let contact = app
        .add_user("kythuat@sct.gov.vn", Role::Operator, &app.tree.tech.id)
        .await;
    let bystander = app
        .add_user("khac@sct.gov.vn", Role::Viewer, &app.tree.tech.id)
        .await;
    system_with(
        &app,
        &admin,
        "Cổng thông tin",
        "Apache HTTP Server",
        "2.4.57",
        &contact.id,
    )
    .await;
    // The officer is both a security officer and a contact: one message, two reasons.
    system_with(
        &app,
        &admin,
        "Cổng dịch vụ công",
        "Apache HTTP Server",
        "2.4.41",
        &officer.id,
    )
    .await;
    system_with(
        &app,
        &admin,
        "Trang đã vá",
        "Apache HTTP Server",
        "2.4.62",
        &bystander.id,
    )
    .await;

    let (status, draft) = json_of(
        app.post("/api/v1/alerts", &admin, &warning(&app.tree.root.id))
            .await,
    )
    .await;
    assert_eq!(status, 201, "{draft}");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["cve_ids"], json!(["CVE-2024-38476"]));
    assert!(!draft["body_html"].as_str().unwrap().contains("<script>"));
    let id = draft["id"].as_str().unwrap();

    let (_, preview) = json_of(
        app.post(
            &format!("/api/v1/alerts/{id}/send"),
            &admin,
            &json!({ "dry_run": true }),
        )
        .await,
    )
    .await;
    let emails: Vec<&str> = preview["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        vec!["attt@sct.gov.vn", "kythuat@sct.gov.vn"],
        "{preview}"
    );
    assert_eq!(preview["count"], 2);
    let officer_reasons = preview["recipients"][0]["reasons"].to_string();
    assert!(officer_reasons.contains("Vai trò") && officer_reasons.contains("Cổng dịch vụ công"));

    let (status, sent) = json_of(
        app.post(&format!("/api/v1/alerts/{id}/send"), &admin, &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["progress"]["recipients"], 2);
    let again = app
        .post(&format!("/api/v1/alerts/{id}/send"), &admin, &json!({}))
        .await;
    assert_eq!(again.status(), 409, "sent once");
    let edit = app
        .client
        .put(app.url(&format!("/api/v1/alerts/{id}")))
        .bearer_auth(&admin)
        .json(&warning(&app.tree.root.id))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 409, "a sent warning is immutable");

    let alert = delivered(&app, &admin, id, 2).await;
    assert_eq!(
        alert["progress"]["overdue"], 2,
        "due date passed, nobody answered"
    );
    let messages = outbox_bodies(&app).await;
    assert_eq!(messages.len(), 2);
    let (_, subject, body) = messages
        .iter()
        .find(|m| m.0 == "kythuat@sct.gov.vn")
        .unwrap();
    assert_eq!(
        subject,
        "[Cảnh báo ATTT][Cao] Lỗ hổng nghiêm trọng trong Apache HTTP Server"
    );
    assert!(body.starts_with("Kính gửi"));
    assert!(body.contains("VIỆC CẦN LÀM: Cập nhật lên phiên bản 2.4.60"));
    let token = token_in(body);

    // The recipient answers through the link; a changed link is refused.
    let signer = app.state.ack.clone();
    let tampered = format!("x{}", &token[1..]);
    let answered = app
        .state
        .db
        .run(move |conn| {
            assert!(matches!(
                alert_send::answer(conn, &signer, &tampered, "fixed", None),
                Err(AckError::Token(_))
            ));
            match alert_send::answer(conn, &signer, &token, "fixed", Some("Đã cập nhật 2.4.62"))
            {
                Ok(page) => Ok(page),
                Err(e) => panic!("{e:?}"),
            }
        })
        .await
        .unwrap();
    assert_eq!(answered.answer.unwrap().label(), "Đã khắc phục");

    let (_, list) = json_of(
        app.get(&format!("/api/v1/alerts/{id}/deliveries"), &admin)
            .await,
    )
    .await;
    let answered_row = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["email"] == "kythuat@sct.gov.vn")
        .unwrap();
    assert_eq!(answered_row["answer"], "fixed");
    assert_eq!(answered_row["note"], "Đã cập nhật 2.4.62");
    assert_eq!(answered_row["status"], "sent");

    let (status, resent) = json_of(
        app.post(&format!("/api/v1/alerts/{id}/resend"), &admin, &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{resent}");
    assert_eq!(resent["recipients"], 1, "only the one who did not answer");

    let csv = app
        .get(
            &format!("/api/v1/alerts/{id}/deliveries?format=csv"),
            &admin,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("kythuat@sct.gov.vn") && csv.contains("Đã khắc phục"));
    assert!(csv.contains("attt@sct.gov.vn") && csv.contains("Chưa trả lời"));
    let xlsx = app
        .get(
            &format!("/api/v1/alerts/{id}/deliveries?format=xlsx"),
            &admin,
        )
        .await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
}

#[tokio::test]
async fn warnings_are_validated_and_scoped() {
    let app = TestApp::spawn().await;
    let office_officer = app
        .add_user("vp@sct.gov.vn", Role::SecurityOfficer, &app.tree.office.id)
        .await;
    let tech_officer = app
        .add_user("kt@sct.gov.vn", Role::SecurityOfficer, &app.tree.tech.id)
        .await;
    let viewer = app
        .add_user("xem@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let office = app.token_for(&office_officer);

    let mut bad = warning(&app.tree.office.id);
    bad["cve_ids"] = json!(["CVE-24-1"]);
    bad["affected_products"] = json!([{ "name": "OpenSSL", "versions": "<" }]);
    bad["title"] = json!("");
    let response = app.post("/api/v1/alerts", &office, &bad).await;
    assert_eq!(response.status(), 422);
    let (_, error) = json_of(response).await;
    assert_eq!(error_code(&error), "validation_failed");
    for field in ["cve_ids", "affected_products", "title"] {
        assert!(
            error["error"]["fields"][field].is_array(),
            "{field}: {error}"
        );
    }
    let outside = app
        .post("/api/v1/alerts", &office, &warning(&app.tree.tech.id))
        .await;
    assert_eq!(outside.status(), 422, "cannot issue for another subtree");

    let (status, draft) = json_of(
        app.post("/api/v1/alerts", &office, &warning(&app.tree.office.id))
            .await,
    )
    .await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_str().unwrap();
    let other = app.token_for(&tech_officer);
    assert_eq!(
        app.get(&format!("/api/v1/alerts/{id}"), &other)
            .await
            .status(),
        404
    );
    let (_, list) = json_of(app.get("/api/v1/alerts", &other).await).await;
    assert_eq!(list["total"], 0);
    let viewer_token = app.token_for(&viewer);
    let forbidden = app
        .post(
            "/api/v1/alerts",
            &viewer_token,
            &warning(&app.tree.office.id),
        )
        .await;
    assert_eq!(forbidden.status(), 403);

    // An audience nobody matches is refused with a clear reason, and nothing is sent.
    let mut empty = warning(&app.tree.office.id);
    empty["audience"] = json!({ "user_ids": [], "roles": [], "organization_ids": [] , "systems_with_affected_products": false });
    let (_, draft) = json_of(app.post("/api/v1/alerts", &office, &empty).await).await;
    let id = draft["id"].as_str().unwrap();
    let response = app
        .post(&format!("/api/v1/alerts/{id}/send"), &office, &json!({}))
        .await;
    assert_eq!(response.status(), 422);
    let (_, still) = json_of(app.get(&format!("/api/v1/alerts/{id}"), &office).await).await;
    assert_eq!(still["status"], "draft");
}
