//! Who may do what with a dossier: another subtree sees nothing, viewers only read, the
//! operating unit prepares and submits, the security unit records what comes back.

use capdo::domain::Role;
use serde_json::json;

use super::{
    complete, dossier_for, filing, ok_step, open, patch_component, portal, step, submission, system,
};
use crate::support::TestApp;

#[tokio::test]
async fn another_subtree_gets_404_and_viewers_only_read() {
    let app = TestApp::spawn().await;
    let office_officer = app
        .add_user(
            "attt@vp.sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let officer = app.token_for(&office_officer);
    let d = dossier_for(&app, &officer, filing(&app.tree.office.id)).await;
    let path = format!("/api/v1/dossiers/{}", d["id"].as_str().unwrap());

    let other = app
        .add_user(
            "attt@kt.sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.tech.id,
        )
        .await;
    let other = app.token_for(&other);
    assert_eq!(app.get(&path, &other).await.status(), 404);
    assert_eq!(step(&app, &other, &d, submission()).await.0, 404);
    assert_eq!(
        patch_component(
            &app,
            &other,
            &d,
            "overview",
            json!({ "status": "complete" })
        )
        .await
        .0,
        404
    );

    let viewer = app
        .add_user("xem@vp.sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let viewer = app.token_for(&viewer);
    assert_eq!(app.get(&path, &viewer).await.status(), 200);
    let (status, err) = patch_component(
        &app,
        &viewer,
        &d,
        "overview",
        json!({ "status": "complete" }),
    )
    .await;
    assert_eq!(status, 403, "{err}");
    assert_eq!(step(&app, &viewer, &d, submission()).await.0, 403);
    let s = json!({ "id": d["system_id"] });
    assert_eq!(open(&app, &viewer, &s).await.0, 403);
    assert_eq!(
        app.get(&path, &app.admin_token()).await.status(),
        200,
        "the root sees its subtree"
    );
}
#[tokio::test]
async fn the_operating_unit_prepares_and_submits_but_does_not_record_receipt() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let company = app
        .add_org_external("Công ty Vận hành ABC", "ABC", &app.tree.root.id)
        .await;
    let operator = app
        .add_user("vanhanh@abc.vn", Role::Operator, &company)
        .await;
    let operator = app.token_for(&operator);
    let mut body = portal(&app.tree.office.id);
    body["operator_id"] = json!(company);
    let s = system(&app, &admin, body).await;
    let (status, d) = open(&app, &operator, &s).await;
    assert_eq!(status, 201, "the operating unit prepares the dossier: {d}");
    complete(&app, &operator, &d, "proposal").await;
    let d = ok_step(&app, &operator, &d, submission()).await;
    assert_eq!(d["steps"][1]["actor_label"], "vanhanh@abc.vn");
    let (status, _) = step(
        &app,
        &operator,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    assert_eq!(status, 403, "receipt is recorded by the security unit");
    ok_step(
        &app,
        &admin,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
}
