//! Authority routing: the units configured per organisation with a dated history, resolved on
//! the submission date (nearest ancestor wins) and kept on the dossier; the pack's role when
//! nothing is configured.

use capdo::domain::Role;
use serde_json::{json, Value};

use super::{complete, dossier_for, filing, ok_step, portal};
use crate::support::{error_code, json as json_of, TestApp};

async fn assign(app: &TestApp, token: &str, org: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/organizations/{org}/authorities");
    json_of(app.post(&path, token, &body).await).await
}

fn submitted_on(date: &str) -> Value {
    json!({ "to": "submitted", "document_number": "2559/SCT-VP", "document_date": date })
}

async fn submitted(app: &TestApp, token: &str, org: &str, date: &str) -> Value {
    let d = dossier_for(app, token, filing(org)).await;
    complete(app, token, &d, "proposal").await;
    ok_step(app, token, &d, submitted_on(date)).await
}

#[tokio::test]
async fn each_dossier_keeps_the_appraiser_in_force_on_its_submission_date() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let root = app.tree.root.id.clone();
    let stttt = app
        .add_org_external("Sở Thông tin và Truyền thông", "STTTT", &root)
        .await;
    let police = app.add_org_external("Công an tỉnh", "CAT", &root).await;
    let skhcn = app
        .add_org_external("Sở Khoa học và Công nghệ", "SKHCN", &root)
        .await;

    let (status, first) = assign(&app, &admin, &root, json!({ "role": "appraiser", "min_level": 1, "max_level": 3, "unit_id": stttt, "valid_from": "2020-01-01", "basis": "Quyết định 12/QĐ-UBND" })).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(
        first["assignment"]["unit_name"],
        "Sở Thông tin và Truyền thông"
    );
    let old = submitted(&app, &admin, &app.tree.office.id, "2025-02-20").await;

    // From 03/2025 the province's appraiser is the police; the Sở TT&TT ends the day before.
    let (status, second) = assign(&app, &admin, &root, json!({ "role": "appraiser", "min_level": 1, "max_level": 3, "unit_id": police, "valid_from": "2025-03-01" })).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["closed"][0]["id"], first["assignment"]["id"]);
    assert_eq!(second["closed"][0]["valid_until"], "2025-02-28");
    // Another part of the tree (as in another province) designates the Sở KH&CN.
    let tech = app.tree.tech.id.clone();
    let (status, third) = assign(&app, &admin, &tech, json!({ "role": "appraiser", "min_level": 1, "max_level": 5, "unit_id": skhcn, "valid_from": "2025-03-01" })).await;
    assert_eq!(status, 201, "{third}");

    let new = submitted(&app, &admin, &app.tree.office.id, "2026-11-03").await;
    let elsewhere = submitted(&app, &admin, &tech, "2026-11-03").await;

    let a = &old["authority"];
    assert_eq!(a["stored"], true);
    assert_eq!(a["appraiser"]["name"], "Sở Thông tin và Truyền thông");
    assert_eq!(a["appraiser"]["unit_id"], stttt.as_str());
    assert_eq!(a["appraiser"]["source"], "configuration");
    assert_eq!(
        old["submission_recipient"], "Sở Thông tin và Truyền thông",
        "recipient defaults to the appraiser"
    );
    // Level 3: the owner approves; nothing configured, so the pack's role names it.
    assert_eq!(a["approver"]["source"], "pack");
    assert_eq!(a["approver"]["name"], "UBND tỉnh Đồng Nai");
    assert_eq!(a["roles"]["appraiser"]["role"], "security_unit");
    assert!(a["roles"]["citations"][0]
        .as_str()
        .unwrap()
        .contains("331/2026/NĐ-CP"));

    assert_eq!(new["authority"]["appraiser"]["name"], "Công an tỉnh");
    assert_eq!(new["submission_recipient"], "Công an tỉnh");
    assert_eq!(
        elsewhere["authority"]["appraiser"]["name"],
        "Sở Khoa học và Công nghệ"
    );

    // A later assignment nearer the owner does not move a dossier already sent.
    let (status, _) = assign(&app, &admin, &app.tree.office.id, json!({ "role": "appraiser", "min_level": 1, "max_level": 5, "unit_name": "Phòng An ninh mạng, Công an tỉnh", "valid_from": "2026-11-01" })).await;
    assert_eq!(status, 201);
    for (d, name) in [
        (&old, "Sở Thông tin và Truyền thông"),
        (&new, "Công an tỉnh"),
    ] {
        let (_, got) = json_of(
            app.get(
                &format!("/api/v1/dossiers/{}", d["id"].as_str().unwrap()),
                &admin,
            )
            .await,
        )
        .await;
        assert_eq!(got["authority"]["appraiser"]["name"], name);
    }
    let later = submitted(&app, &admin, &app.tree.office.id, "2026-11-03").await;
    assert_eq!(
        later["authority"]["appraiser"]["name"],
        "Phòng An ninh mạng, Công an tỉnh"
    );
    assert_eq!(later["authority"]["appraiser"]["unit_id"], Value::Null);
    assert_eq!(later["authority"]["appraiser"]["source"], "configuration");

    let (status, history) = json_of(
        app.get(&format!("/api/v1/organizations/{root}/authorities"), &admin)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{history}");
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{history}");
    assert_eq!(items[0]["unit_name"], "Công an tỉnh");
    assert_eq!(items[0]["valid_until"], Value::Null);
    assert_eq!(items[1]["unit_name"], "Sở Thông tin và Truyền thông");
    assert_eq!(items[1]["valid_until"], "2025-02-28");
    assert_eq!(items[1]["basis"], "Quyết định 12/QĐ-UBND");
}

#[tokio::test]
async fn overlapping_assignments_are_refused_and_only_admins_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let root = app.tree.root.id.clone();
    let (status, _) = assign(&app, &admin, &root, json!({ "role": "appraiser", "min_level": 1, "max_level": 3, "unit_name": "Sở Thông tin và Truyền thông", "valid_from": "2020-01-01", "valid_until": "2025-02-28" })).await;
    assert_eq!(status, 201);
    let (status, _) = assign(&app, &admin, &root, json!({ "role": "appraiser", "min_level": 1, "max_level": 3, "unit_name": "Công an tỉnh", "valid_from": "2025-03-01" })).await;
    assert_eq!(status, 201);
    // Starting before the open one would leave two units in force on the same days.
    for from in ["2025-01-15", "2025-03-01"] {
        let (status, err) = assign(&app, &admin, &root, json!({ "role": "appraiser", "min_level": 2, "max_level": 2, "unit_name": "Sở Khoa học và Công nghệ", "valid_from": from })).await;
        assert_eq!(status, 409, "{from}: {err}");
        assert_eq!(error_code(&err), "conflict");
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("cùng có hiệu lực trong một ngày"),
            "{err}"
        );
    }
    // Another role or other levels do not overlap.
    let (status, _) = assign(&app, &admin, &root, json!({ "role": "approver", "min_level": 1, "max_level": 2, "unit_name": "Công an tỉnh", "valid_from": "2025-03-01" })).await;
    assert_eq!(status, 201);
    let (status, _) = assign(&app, &admin, &root, json!({ "role": "appraiser", "min_level": 4, "max_level": 5, "unit_name": "Bộ Công an", "valid_from": "2025-03-01" })).await;
    assert_eq!(status, 201);
    let (status, err) = assign(
        &app,
        &admin,
        &root,
        json!({ "role": "appraiser", "min_level": 3, "max_level": 2, "valid_from": "2025-03-01" }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        err["error"]["fields"]["max_level"].is_array()
            && err["error"]["fields"]["unit_name"].is_array(),
        "{err}"
    );

    let officer = app
        .add_user("attt@sct.gov.vn", Role::SecurityOfficer, &root)
        .await;
    let officer = app.token_for(&officer);
    let path = format!("/api/v1/organizations/{root}/authorities");
    let (status, list) = json_of(app.get(&path, &officer).await).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 4);
    let (status, _) = assign(&app, &officer, &root, json!({ "role": "approver", "min_level": 3, "max_level": 3, "unit_name": "UBND tỉnh", "valid_from": "2026-01-01" })).await;
    assert_eq!(status, 403);
    let viewer = app.add_user("xem@sct.gov.vn", Role::Viewer, &root).await;
    assert_eq!(app.get(&path, &app.token_for(&viewer)).await.status(), 403);
    let office_admin = app
        .add_user("qt@vp.sct.gov.vn", Role::Admin, &app.tree.office.id)
        .await;
    assert_eq!(
        app.get(&path, &app.token_for(&office_admin)).await.status(),
        404,
        "the root is outside the office's subtree"
    );
}

#[tokio::test]
async fn without_configuration_the_pack_names_who_appraises() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let d2 = dossier_for(&app, &admin, portal(&app.tree.root.id)).await;
    let a = &d2["authority"];
    assert_eq!(a["stored"], false, "a draft shows where it would go today");
    assert_eq!(a["appraiser"]["source"], "pack");
    assert!(
        a["appraiser"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Đơn vị chuyên trách"),
        "{a}"
    );
    assert_eq!(a["roles"]["approvers"][0]["role"], "security_unit");

    let mut body = filing(&app.tree.root.id);
    body["proposed_level"] = json!(4);
    body["proposal_justification"] =
        json!("Đề xuất cao hơn do kết nối với hệ thống cấp độ 4 của Bộ.");
    let d4 = dossier_for(&app, &admin, body).await;
    complete(&app, &admin, &d4, "proposal").await;
    let d4 = ok_step(&app, &admin, &d4, submitted_on("2026-11-03")).await;
    let a = &d4["authority"];
    assert_eq!(a["stored"], true);
    assert_eq!(a["appraiser"]["name"], "Bộ Công an");
    assert_eq!(a["appraiser"]["source"], "pack");
    assert_eq!(a["roles"]["appraiser"]["role"], "national_appraiser");
    assert_eq!(d4["submission_recipient"], "Bộ Công an");
}
