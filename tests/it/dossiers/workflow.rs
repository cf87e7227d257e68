//! The dossier workflow end to end: appraisal and approval by level, the refused moves and
//! their reasons, returns for completion, audit.

use serde_json::json;

use super::{
    complete, dossier_for, filing, ok_step, open, patch_component, portal, step, submission,
};
use crate::support::{json as json_of, TestApp};

#[tokio::test]
async fn a_level_3_dossier_goes_through_appraisal_to_approval_and_sets_the_systems_level() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    complete(&app, &token, &d, "proposal").await;
    let d = ok_step(&app, &token, &d, submission()).await;
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    assert_eq!(d["next"], json!(["under_appraisal", "returned"]));
    let (status, err) = step(
        &app,
        &token,
        &d,
        json!({ "to": "approved", "document_number": "88/QĐ-UBND", "document_date": "2026-11-20" }),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ý kiến thẩm định"),
        "{err}"
    );
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "under_appraisal", "date": "2026-11-06" }),
    )
    .await;
    let d = ok_step(&app, &token, &d, json!({ "to": "appraised", "opinion": "favourable", "document_number": "45/CAT-ANM", "document_date": "2026-11-16" })).await;
    let opinion = d["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == "appraisal_opinion")
        .unwrap();
    assert_eq!(opinion["status"], "complete");
    assert_eq!(opinion["document_number"], "45/CAT-ANM");
    let approve =
        json!({ "to": "approved", "document_number": "88/QĐ-UBND", "document_date": "2026-11-20" });
    let (status, err) = step(&app, &token, &d, approve.clone()).await;
    assert_eq!(status, 409, "the approval dossier is incomplete");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("(proposal)"),
        "{err}"
    );
    complete(&app, &token, &d, "approval").await;
    let d = ok_step(&app, &token, &d, approve).await;
    assert_eq!(d["status"], "approved");
    assert_eq!(d["approved_level"], 3);
    assert_eq!(d["next"], json!([]));
    let timeline: Vec<&str> = d["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        timeline,
        [
            "draft",
            "submitted",
            "received",
            "under_appraisal",
            "appraised",
            "approved"
        ]
    );
    assert_eq!(d["steps"][4]["document_number"], "45/CAT-ANM");

    let (_, s) = json_of(
        app.get(
            &format!("/api/v1/systems/{}", d["system_id"].as_str().unwrap()),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(s["approved_level"], 3);
    assert_eq!(s["approval_decision_number"], "88/QĐ-UBND");
    assert_eq!(s["redetermination_required"], false);

    let (_, audit) = json_of(
        app.get(
            &format!(
                "/api/v1/audit?entity_type=dossier&entity_id={}&per_page=50",
                d["id"].as_str().unwrap()
            ),
            &token,
        )
        .await,
    )
    .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    for action in [
        "create",
        "update_component",
        "submitted",
        "received",
        "under_appraisal",
        "appraised",
        "approved",
    ] {
        assert!(actions.contains(&action), "{action} audited: {actions:?}");
    }
    assert_eq!(audit["items"][0]["actor_label"], "admin@sct.gov.vn");
    assert_eq!(audit["items"][0]["after"]["status"], "approved");

    // A new dossier for an approved system is a re-determination, and the approved one is final.
    let (status, again) = open(&app, &token, &s).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again["kind"], "redetermination");
    let (status, err) = step(&app, &token, &d, json!({ "to": "returned", "note": "x" })).await;
    assert_eq!(status, 409);
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("xác định lại"));
}

#[tokio::test]
async fn a_level_2_dossier_is_approved_by_the_security_unit_after_receipt() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, portal(&app.tree.root.id)).await;
    complete(&app, &token, &d, "proposal").await;
    complete(&app, &token, &d, "approval").await;
    let d = ok_step(&app, &token, &d, submission()).await;
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    assert!(d["next"].as_array().unwrap().contains(&json!("approved")));
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "approved", "document_number": "12/QĐ-SCT", "document_date": "2026-11-25" }),
    )
    .await;
    assert_eq!(d["approved_level"], 2);
    let (_, s) = json_of(
        app.get(
            &format!("/api/v1/systems/{}", d["system_id"].as_str().unwrap()),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(s["approved_level"], 2);
}

#[tokio::test]
async fn invalid_transitions_answer_409_with_what_is_missing() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    for to in [
        "received",
        "under_appraisal",
        "appraised",
        "approved",
        "returned",
    ] {
        let (status, err) = step(&app, &token, &d, json!({ "to": to })).await;
        assert_eq!(status, 409, "draft → {to}: {err}");
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("cần được gửi đi trước"),
            "{err}"
        );
    }
    let (status, _) = step(&app, &token, &d, json!({ "to": "draft" })).await;
    assert_eq!(status, 409);
    complete(&app, &token, &d, "proposal").await;
    let d = ok_step(&app, &token, &d, submission()).await;
    let (status, err) = step(&app, &token, &d, submission()).await;
    assert_eq!(status, 409);
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("đã ở trạng thái"));
    let (status, err) = step(
        &app,
        &token,
        &d,
        json!({ "to": "appraised", "opinion": "favourable" }),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tiếp nhận"),
        "{err}"
    );
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "under_appraisal", "date": "2026-11-06" }),
    )
    .await;
    let (status, err) = step(
        &app,
        &token,
        &d,
        json!({ "to": "approved", "document_number": "1/QĐ-UBND", "document_date": "2026-11-20" }),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("đang thẩm định"),
        "{err}"
    );
    // An unfavourable opinion cannot be approved; the dossier goes back for completion.
    let d = ok_step(&app, &token, &d, json!({ "to": "appraised", "opinion": "unfavourable", "document_number": "46/CAT-ANM", "document_date": "2026-11-18" })).await;
    let (status, err) = step(
        &app,
        &token,
        &d,
        json!({ "to": "approved", "document_number": "1/QĐ-UBND", "document_date": "2026-11-20" }),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("chưa thống nhất"),
        "{err}"
    );
    let (status, err) = step(&app, &token, &d, json!({ "to": "returned" })).await;
    assert_eq!(status, 422, "a return says what to complete");
    assert!(err["error"]["fields"]["note"].is_array());
    let d = ok_step(&app, &token, &d, json!({ "to": "returned", "note": "Bổ sung phương án bảo đảm an ninh mạng", "document_number": "47/CAT-ANM", "document_date": "2026-11-19" })).await;
    assert_eq!(d["status"], "returned");
    assert!(d["appraisal_opinion"].is_null() && d["received_on"].is_null());
    let opinion = d["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == "appraisal_opinion")
        .unwrap();
    assert_eq!(
        opinion["status"], "missing",
        "a new round needs a new opinion"
    );
    let (status, _) = patch_component(
        &app,
        &token,
        &d,
        "security_plan",
        json!({ "note": "Đã bổ sung" }),
    )
    .await;
    assert_eq!(status, 200, "a returned dossier can be completed");
    let d = ok_step(&app, &token, &d, submission()).await;
    assert_eq!(d["status"], "submitted");
}

#[tokio::test]
async fn a_decision_dated_before_the_dossiers_regime_is_refused_on_its_date() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, portal(&app.tree.root.id)).await;
    assert_eq!(d["regime_id"], "nd331-2026");
    complete(&app, &token, &d, "proposal").await;
    complete(&app, &token, &d, "approval").await;
    let early = json!({ "to": "submitted", "document_number": "2559/SCT-VP", "document_date": "2026-07-01", "recipient": "Sở Thông tin và Truyền thông" });
    let d = ok_step(&app, &token, &d, early).await;
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "received", "date": "2026-07-02" }),
    )
    .await;
    let (status, err) = step(
        &app,
        &token,
        &d,
        json!({ "to": "approved", "document_number": "12/QĐ-SCT", "document_date": "2026-07-10" }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(
        err["error"]["fields"]["document_date"][0]
            .as_str()
            .unwrap()
            .contains("19/08/2026"),
        "{err}"
    );
    let (_, again) = json_of(
        app.get(
            &format!("/api/v1/dossiers/{}", d["id"].as_str().unwrap()),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(again["status"], "received", "nothing written");
}

#[tokio::test]
async fn an_unfavourable_opinion_stops_a_level_2_approval_too() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, portal(&app.tree.root.id)).await;
    complete(&app, &token, &d, "proposal").await;
    complete(&app, &token, &d, "approval").await;
    let d = ok_step(&app, &token, &d, submission()).await;
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "under_appraisal", "date": "2026-11-06" }),
    )
    .await;
    let d = ok_step(&app, &token, &d, json!({ "to": "appraised", "opinion": "unfavourable", "document_number": "3/SCT-ATTT", "document_date": "2026-11-10" })).await;
    let (status, err) = step(
        &app,
        &token,
        &d,
        json!({ "to": "approved", "document_number": "12/QĐ-SCT", "document_date": "2026-11-12" }),
    )
    .await;
    assert_eq!(status, 409, "{err}");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("chưa thống nhất"));
}
