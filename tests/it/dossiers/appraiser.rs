//! The appraising side in capdo: the unit a dossier was routed to sees only the dossiers sent
//! to it, records receipt, return and appraisal itself, and cannot approve or edit documents.

use capdo::domain::Role;
use serde_json::{json, Value};

use super::{complete, dossier_for, filing, ok_step, patch_component, portal, step, system};
use crate::support::{json as json_of, TestApp};

struct Setup {
    app: TestApp,
    owner: String,
    police: String,
    police_user: String,
    sent: Value,
    draft: Value,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let cat = app
        .add_org_external("Công an tỉnh", "CAT", &app.tree.root.id)
        .await;
    let path = format!("/api/v1/organizations/{}/authorities", app.tree.root.id);
    let body = json!({ "role": "appraiser", "min_level": 1, "max_level": 5, "unit_id": cat, "valid_from": "2025-03-01" });
    assert_eq!(app.post(&path, &admin, &body).await.status(), 201);
    let owner = app
        .add_user(
            "attt@vp.sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let owner = app.token_for(&owner);
    let police_user = app
        .add_user("pa05@cat.gov.vn", Role::SecurityOfficer, &cat)
        .await;
    let police = app.token_for(&police_user);

    let sent = dossier_for(&app, &owner, filing(&app.tree.office.id)).await;
    complete(&app, &owner, &sent, "proposal").await;
    let sent = ok_step(&app, &owner, &sent, json!({ "to": "submitted", "document_number": "2559/SCT-VP", "document_date": "2026-11-03" })).await;
    let mut other = filing(&app.tree.office.id);
    other["name"] = json!("Hệ thống quản lý văn bản");
    let draft = dossier_for(&app, &owner, other).await;
    Setup {
        app,
        owner,
        police,
        police_user: police_user.id,
        sent,
        draft,
    }
}

fn dossier_path(d: &Value) -> String {
    format!("/api/v1/dossiers/{}", d["id"].as_str().unwrap())
}

#[tokio::test]
async fn the_appraising_unit_sees_only_the_dossiers_sent_to_it() {
    let Setup {
        app,
        owner,
        police,
        sent,
        draft,
        ..
    } = setup().await;
    assert_eq!(sent["authority"]["appraiser"]["name"], "Công an tỉnh");

    let (status, got) = json_of(app.get(&dossier_path(&sent), &police).await).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["system_name"], "Hệ thống đăng ký khuyến mại");
    assert_eq!(
        app.get(&dossier_path(&draft), &police).await.status(),
        404,
        "a draft"
    );
    let system = format!("/api/v1/systems/{}", sent["system_id"].as_str().unwrap());
    assert_eq!(
        app.get(&system, &police).await.status(),
        404,
        "the owner's system"
    );
    let (_, systems) = json_of(app.get("/api/v1/systems", &police).await).await;
    assert_eq!(systems["total"], 0, "{systems}");

    let (status, list) = json_of(app.get("/api/v1/dossiers?role=appraiser", &police).await).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], 1);
    let row = &list["items"][0];
    assert_eq!(row["id"], sent["id"]);
    assert_eq!(row["system_name"], "Hệ thống đăng ký khuyến mại");
    assert_eq!(row["organization_name"], "Văn phòng Sở");
    assert_eq!(row["submission_date"], "2026-11-03");
    assert_eq!(row["appraiser_unit_name"], "Công an tỉnh");
    assert_eq!(row["procedure_level"], 3);
    let (_, none) = json_of(app.get("/api/v1/dossiers?role=owner", &police).await).await;
    assert_eq!(none["total"], 0);
    let (_, both) = json_of(
        app.get("/api/v1/dossiers?status=submitted,received", &police)
            .await,
    )
    .await;
    assert_eq!(both["total"], 1);

    let (_, mine) = json_of(app.get("/api/v1/dossiers?role=owner", &owner).await).await;
    assert_eq!(mine["total"], 2);
    let (_, drafts) = json_of(
        app.get(
            "/api/v1/dossiers?role=owner&status=draft&per_page=1",
            &owner,
        )
        .await,
    )
    .await;
    assert_eq!(drafts["total"], 1);
    assert_eq!(drafts["items"][0]["id"], draft["id"]);
    let (_, sent_to_owner) =
        json_of(app.get("/api/v1/dossiers?role=appraiser", &owner).await).await;
    assert_eq!(sent_to_owner["total"], 0, "the office appraises nothing");
    let (status, err) = json_of(app.get("/api/v1/dossiers?status=lost", &owner).await).await;
    assert_eq!(status, 422, "{err}");

    let viewer = app
        .add_user(
            "xem@cat.gov.vn",
            Role::Viewer,
            sent["authority"]["appraiser"]["unit_id"].as_str().unwrap(),
        )
        .await;
    let viewer = app.token_for(&viewer);
    assert_eq!(
        app.get(&dossier_path(&sent), &viewer).await.status(),
        404,
        "officers and admins only"
    );
    assert_eq!(
        app.get("/api/v1/dossiers?role=appraiser", &viewer)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_appraising_unit_records_its_steps_but_does_not_approve_or_edit() {
    let Setup {
        app,
        owner,
        police,
        police_user,
        sent,
        ..
    } = setup().await;
    let (status, _) =
        patch_component(&app, &police, &sent, "overview", json!({ "note": "sửa" })).await;
    assert_eq!(status, 403, "the documents stay the owner's");
    let d = ok_step(
        &app,
        &police,
        &sent,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    let d = ok_step(
        &app,
        &police,
        &d,
        json!({ "to": "under_appraisal", "date": "2026-11-06" }),
    )
    .await;
    let d = ok_step(&app, &police, &d, json!({ "to": "appraised", "opinion": "favourable", "document_number": "45/CAT-ANM", "document_date": "2026-11-16" })).await;
    assert_eq!(d["appraisal_number"], "45/CAT-ANM");
    let step_actors: Vec<&str> = d["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["actor_label"].as_str().unwrap())
        .collect();
    assert_eq!(step_actors[2..], ["pa05@cat.gov.vn"; 3]);

    complete(&app, &owner, &d, "approval").await;
    let approve =
        json!({ "to": "approved", "document_number": "88/QĐ-UBND", "document_date": "2026-11-20" });
    let (status, err) = step(&app, &police, &d, approve.clone()).await;
    assert_eq!(status, 403, "approval stays with the approver side: {err}");
    let d = ok_step(&app, &owner, &d, approve).await;
    assert_eq!(d["status"], "approved");

    let admin = app.admin_token();
    let path = format!(
        "/api/v1/audit?entity_type=dossier&entity_id={}",
        d["id"].as_str().unwrap()
    );
    let (status, audit) = json_of(app.get(&path, &admin).await).await;
    assert_eq!(status, 200, "{audit}");
    let by_action = |action: &str| -> Value {
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == action)
            .cloned()
            .unwrap_or(Value::Null)
    };
    for action in ["received", "under_appraisal", "appraised"] {
        assert_eq!(
            by_action(action)["actor_id"],
            police_user.as_str(),
            "{action}: {audit}"
        );
        assert_eq!(by_action(action)["actor_label"], "pa05@cat.gov.vn");
    }
    assert_ne!(by_action("approved")["actor_id"], police_user.as_str());
    assert_eq!(
        by_action("submitted")["after"]["appraiser_unit"],
        "Công an tỉnh"
    );
}

#[tokio::test]
async fn at_levels_1_2_the_configured_unit_that_appraises_also_approves() {
    let Setup {
        app,
        owner,
        police,
        police_user,
        ..
    } = setup().await;
    let d = dossier_for(&app, &owner, portal(&app.tree.office.id)).await;
    complete(&app, &owner, &d, "proposal").await;
    let d = ok_step(&app, &owner, &d, json!({ "to": "submitted", "document_number": "2560/SCT-VP", "document_date": "2026-11-03" })).await;
    assert_eq!(d["authority"]["approver"]["name"], "Công an tỉnh");
    assert_eq!(d["authority"]["approver"]["source"], "configuration");
    let d = ok_step(
        &app,
        &police,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    complete(&app, &owner, &d, "approval").await;
    let d = ok_step(
        &app,
        &police,
        &d,
        json!({ "to": "approved", "document_number": "12/QĐ-CAT", "document_date": "2026-11-10" }),
    )
    .await;
    assert_eq!(d["approved_level"], 2);
    let admin = app.admin_token();
    let (_, s) = json_of(
        app.get(
            &format!("/api/v1/systems/{}", d["system_id"].as_str().unwrap()),
            &admin,
        )
        .await,
    )
    .await;
    assert_eq!(s["approved_level"], 2);
    assert_eq!(s["approval_decision_number"], "12/QĐ-CAT");
    let path = format!(
        "/api/v1/audit?entity_type=system&entity_id={}",
        d["system_id"].as_str().unwrap()
    );
    let (_, audit) = json_of(app.get(&path, &admin).await).await;
    let approve = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "approve")
        .unwrap();
    assert_eq!(approve["actor_id"], police_user.as_str());
    // A system of the owner the police never received stays invisible.
    let mut body = portal(&app.tree.office.id);
    body["name"] = json!("Cổng dịch vụ công của Sở");
    let other = system(&app, &owner, body).await;
    assert_eq!(
        app.get(
            &format!("/api/v1/systems/{}", other["id"].as_str().unwrap()),
            &police
        )
        .await
        .status(),
        404
    );
}
