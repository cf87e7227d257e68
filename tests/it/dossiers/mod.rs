//! Level-proposal dossiers on a real database: the checklist of the regime pack, completing
//! components, what submission waits for, document numbers and dates (workflow and access in
//! the submodules).

use capdo::rules::dossier::DossierStep;
use serde_json::{json, Value};

mod access;
mod appraiser;
mod by_system;
mod files;
mod multi;
mod routing;
mod workflow;

use crate::support::{error_code, json as json_of, record_regulation_for_dossier, TestApp};

/// Level 2 under Decree 331 (a portal of public information).
pub(super) fn portal(org: &str) -> Value {
    json!({
        "organization_id": org, "name": "Cổng thông tin điện tử Sở Công Thương",
        "owner_name": "UBND tỉnh Đồng Nai", "kind": "portal",
        "facts": { "function": "citizen_business", "information": ["public"], "public_service_level": 2 }
    })
}

/// Level 3 (online administrative filing).
pub(super) fn filing(org: &str) -> Value {
    json!({
        "organization_id": org, "name": "Hệ thống đăng ký khuyến mại",
        "owner_name": "UBND tỉnh Đồng Nai", "kind": "public_service_system",
        "facts": { "function": "citizen_business", "information": ["private", "personal"],
                   "public_service_mode": "full_process", "online_filing": true }
    })
}

pub(super) async fn system(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, s) = json_of(app.post("/api/v1/systems", token, &body).await).await;
    assert_eq!(status, 201, "{s}");
    s
}

pub(super) async fn open(app: &TestApp, token: &str, system: &Value) -> (u16, Value) {
    let path = format!(
        "/api/v1/systems/{}/dossiers",
        system["id"].as_str().unwrap()
    );
    json_of(app.post(&path, token, &json!({})).await).await
}

pub(super) async fn dossier_for(app: &TestApp, token: &str, body: Value) -> Value {
    let s = system(app, token, body).await;
    let (status, d) = open(app, token, &s).await;
    assert_eq!(status, 201, "{d}");
    d
}

pub(super) async fn step(app: &TestApp, token: &str, d: &Value, body: Value) -> (u16, Value) {
    if body["to"] == "approved" {
        // Approval requires the systems' security regulation on their checklists.
        record_regulation_for_dossier(app, d["id"].as_str().unwrap()).await;
    }
    let path = format!("/api/v1/dossiers/{}/transitions", d["id"].as_str().unwrap());
    json_of(app.post(&path, token, &body).await).await
}

pub(super) async fn ok_step(app: &TestApp, token: &str, d: &Value, body: Value) -> Value {
    let (status, v) = step(app, token, d, body).await;
    assert_eq!(status, 200, "{v}");
    v
}

pub(super) async fn patch_component(
    app: &TestApp,
    token: &str,
    d: &Value,
    c: &str,
    body: Value,
) -> (u16, Value) {
    let path = format!(
        "/api/v1/dossiers/{}/components/{c}",
        d["id"].as_str().unwrap()
    );
    json_of(app.patch(&path, token, &body).await).await
}

/// Marks every required component of `step` complete.
pub(super) async fn complete(app: &TestApp, token: &str, d: &Value, step: &str) {
    for c in d["components"].as_array().unwrap() {
        if c["step"] == step && c["required"] == true {
            let body = json!({ "status": "complete", "document_number": "936/SCT-VP", "document_date": "2026-11-02" });
            let (status, v) =
                patch_component(app, token, d, c["component"].as_str().unwrap(), body).await;
            assert_eq!(status, 200, "{v}");
            // The answer is the whole view, with the regime's authorities like a GET.
            assert!(v["authority"]["roles"].is_object(), "{v}");
        }
    }
}

pub(super) fn submission() -> Value {
    json!({ "to": "submitted", "document_number": "2559/SCT-VP", "document_date": "2026-11-03", "recipient": "Công an tỉnh Đồng Nai" })
}

pub(super) fn ids(d: &Value) -> Vec<String> {
    d["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["component"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_new_dossier_carries_the_checklist_of_its_regime_and_level() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let pack = app
        .state
        .rules
        .get("nd331-2026")
        .unwrap()
        .dossier
        .clone()
        .unwrap();
    let expected = |level: u8| -> Vec<String> {
        [
            DossierStep::Proposal,
            DossierStep::Appraisal,
            DossierStep::Approval,
        ]
        .iter()
        .flat_map(|s| {
            pack.components(level, *s)
                .map(|c| c.id.clone())
                .collect::<Vec<_>>()
        })
        .collect()
    };
    let d3 = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    assert_eq!(d3["regime_id"], "nd331-2026");
    assert_eq!(d3["proposed_level"], 3);
    assert_eq!(d3["procedure_level"], 3);
    assert_eq!(d3["status"], "draft");
    assert_eq!(d3["kind"], "first");
    assert_eq!(d3["next"], json!(["submitted"]));
    assert_eq!(ids(&d3), expected(3));
    assert!(ids(&d3).contains(&"appraisal_opinion".to_string()));
    assert!(d3["components"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "missing"));
    assert_eq!(
        d3["components"][0]["citation"],
        pack.components[0].citation.as_str()
    );
    assert_eq!(d3["steps"].as_array().unwrap().len(), 1);
    assert_eq!(d3["steps"][0]["to"], "draft");
    assert_eq!(d3["steps"][0]["actor_label"], "admin@sct.gov.vn");

    let d2 = dossier_for(&app, &token, portal(&app.tree.root.id)).await;
    assert_eq!(ids(&d2), expected(2));
    assert!(
        !ids(&d2).contains(&"appraisal_opinion".to_string()),
        "levels 1–2: no separate appraisal opinion"
    );

    let (status, got) = json_of(
        app.get(
            &format!("/api/v1/dossiers/{}", d2["id"].as_str().unwrap()),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(got["system_name"], "Cổng thông tin điện tử Sở Công Thương");
    assert_eq!(ids(&got), ids(&d2));
}

#[tokio::test]
async fn one_open_dossier_per_system_and_a_proposal_that_differs_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let s = system(&app, &token, portal(&app.tree.root.id)).await;
    let path = format!("/api/v1/systems/{}/dossiers", s["id"].as_str().unwrap());
    let (status, err) = json_of(
        app.post(&path, &token, &json!({ "proposed_level": 4 }))
            .await,
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["proposed_level"][0]
        .as_str()
        .unwrap()
        .contains("cấp độ 2"));
    assert_eq!(open(&app, &token, &s).await.0, 201);
    let (status, err) = open(&app, &token, &s).await;
    assert_eq!(status, 409);
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("chưa được phê duyệt"));
}

#[tokio::test]
async fn submission_waits_for_every_required_component() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    let (status, err) = step(&app, &token, &d, submission()).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(error_code(&err), "conflict");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("còn thiếu thành phần bắt buộc"),
        "{message}"
    );
    assert!(
        message.contains("(overview)") && message.contains("(security_plan)"),
        "{message}"
    );
    assert!(
        !message.contains("(appraisal_opinion)"),
        "the opinion comes later: {message}"
    );

    complete(&app, &token, &d, "proposal").await;
    let (_, d) = patch_component(
        &app,
        &token,
        &d,
        "design",
        json!({ "status": "in_progress" }),
    )
    .await;
    let (status, err) = step(&app, &token, &d, submission()).await;
    assert_eq!(status, 409);
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("(design)") && !message.contains("(overview)"),
        "{message}"
    );

    complete(&app, &token, &d, "proposal").await;
    let d = ok_step(&app, &token, &d, submission()).await;
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["submission_number"], "2559/SCT-VP");
    assert_eq!(d["submission_recipient"], "Công an tỉnh Đồng Nai");
    // Sent: the proposal documents are frozen until the dossier is returned.
    let (status, err) =
        patch_component(&app, &token, &d, "overview", json!({ "note": "sửa" })).await;
    assert_eq!(status, 409);
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("trả lại"));
}

#[tokio::test]
async fn bad_document_numbers_and_dates_answer_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    for bad in [
        "2559",
        "abc/SCT-VP",
        "2559/SCT VP",
        "15/24/TT-BTTTT",
        "2559/SCT--VP",
    ] {
        let (status, err) = patch_component(
            &app,
            &token,
            &d,
            "overview",
            json!({ "document_number": bad }),
        )
        .await;
        assert_eq!(status, 422, "{bad}: {err}");
        assert!(
            err["error"]["fields"]["document_number"][0].is_string(),
            "{err}"
        );
    }
    let (status, c) = patch_component(
        &app,
        &token,
        &d,
        "overview",
        json!({ "document_number": "85/2016/NĐ-CP", "document_date": "2026-11-01" }),
    )
    .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["components"][0]["document_number"], "85/2016/NĐ-CP");
    let (status, err) = patch_component(
        &app,
        &token,
        &d,
        "overview",
        json!({ "document_date": "2099-01-01" }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(err["error"]["fields"]["document_date"].is_array());
    let (status, _) = patch_component(
        &app,
        &token,
        &d,
        "no_such_part",
        json!({ "status": "complete" }),
    )
    .await;
    assert_eq!(status, 404);

    complete(&app, &token, &d, "proposal").await;
    let (status, err) = step(&app, &token, &d, json!({ "to": "submitted", "document_number": "SCT-VP", "document_date": "2026-11-03", "recipient": "" })).await;
    assert_eq!(status, 422, "{err}");
    let fields = &err["error"]["fields"];
    assert!(
        fields["document_number"][0].as_str().unwrap().contains("/"),
        "{err}"
    );
    assert!(fields["recipient"].is_array());
    let (status, err) = step(&app, &token, &d, json!({ "to": "submitted", "document_number": "2559/SCT-VP", "document_date": "2026-11-03", "recipient": "Công an tỉnh", "opinion": "favourable" })).await;
    assert_eq!(status, 422, "a field the step does not use");
    assert!(err["error"]["fields"]["opinion"].is_array());
    let d = ok_step(&app, &token, &d, submission()).await;
    let (status, err) = step(
        &app,
        &token,
        &d,
        json!({ "to": "received", "date": "2026-11-01" }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        err["error"]["fields"]["date"][0]
            .as_str()
            .unwrap()
            .contains("03/11/2026"),
        "{err}"
    );
}

#[tokio::test]
async fn a_transitional_project_under_decree_85_gets_the_level_4_checklist_of_decree_85() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let mut body = filing(&app.tree.root.id);
    body["investment_before_law"] = json!(true);
    body["chosen_regime"] = json!("nd85-2016");
    body["proposed_level"] = json!(4);
    body["proposal_justification"] =
        json!("Đề xuất cao hơn do kết nối với hệ thống cấp độ 4 của Bộ.");
    let d = dossier_for(&app, &token, body).await;
    assert_eq!(d["regime_id"], "nd85-2016");
    assert_eq!(d["proposed_level"], 4);
    let pack = app.state.rules.get("nd85-2016").unwrap();
    assert_eq!(
        d["regime_version"],
        pack.meta.version.as_str(),
        "frozen at creation"
    );
    let pack = pack.dossier.clone().unwrap();
    let expected: Vec<String> = [
        DossierStep::Proposal,
        DossierStep::Appraisal,
        DossierStep::Approval,
    ]
    .iter()
    .flat_map(|s| {
        pack.components(4, *s)
            .map(|c| c.id.clone())
            .collect::<Vec<_>>()
    })
    .collect();
    assert_eq!(ids(&d), expected);
    for id in [
        "professional_opinion",
        "extra_analysis",
        "appraisal_opinion",
    ] {
        assert!(ids(&d).contains(&id.to_string()), "{id} for level 4");
    }
    assert!(d["components"][0]["citation"]
        .as_str()
        .unwrap()
        .contains("85/2016/NĐ-CP"));
}
