//! One dossier for several systems: allowed by Decree 331 (Đ22 k4 a), refused by Decree 85;
//! the checklist follows the highest level and the approval reaches every system.

use capdo::domain::Role;
use serde_json::{json, Value};

use super::{complete, filing, ok_step, open, portal, submission, system};
use crate::support::{json as json_of, TestApp};

async fn open_with(app: &TestApp, token: &str, first: &Value, others: &[&Value]) -> (u16, Value) {
    let path = format!("/api/v1/systems/{}/dossiers", first["id"].as_str().unwrap());
    let ids: Vec<&Value> = others.iter().map(|s| &s["id"]).collect();
    json_of(app.post(&path, token, &json!({ "systems": ids })).await).await
}

fn named(mut body: Value, name: &str) -> Value {
    body["name"] = json!(name);
    body
}

fn refusal(err: &Value) -> String {
    err["error"]["fields"]["systems"][0]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_decree_331_dossier_covers_several_systems_and_approves_them_all() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let office = app.tree.office.id.clone();
    let officer = app
        .add_user("attt@vp.sct.gov.vn", Role::SecurityOfficer, &office)
        .await;
    let officer = app.token_for(&officer);
    let first = system(&app, &officer, portal(&office)).await;
    let filing_system = system(&app, &officer, filing(&office)).await;
    let second_portal = system(
        &app,
        &officer,
        named(portal(&office), "Cổng dịch vụ công của Sở"),
    )
    .await;

    let (status, d) = open_with(&app, &officer, &first, &[&filing_system, &second_portal]).await;
    assert_eq!(status, 201, "{d}");
    assert_eq!(d["proposed_level"], 2, "the first system's proposal");
    assert_eq!(d["procedure_level"], 3, "the highest level of its systems");
    assert!(
        d["components"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["component"] == "appraisal_opinion"),
        "the level-3 checklist"
    );
    let systems: Vec<(&str, i64)> = d["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["proposed_level"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        systems,
        [
            ("Cổng thông tin điện tử Sở Công Thương", 2),
            ("Hệ thống đăng ký khuyến mại", 3),
            ("Cổng dịch vụ công của Sở", 2)
        ]
    );

    // A system in an open dossier cannot start or join another.
    let (status, err) = open(&app, &officer, &filing_system).await;
    assert_eq!(status, 409, "{err}");
    let spare = system(
        &app,
        &officer,
        named(portal(&office), "Hệ thống thư điện tử"),
    )
    .await;
    let (status, err) = open_with(&app, &officer, &spare, &[&second_portal]).await;
    assert_eq!(status, 422, "{err}");
    assert!(refusal(&err).contains("chưa được phê duyệt"), "{err}");

    complete(&app, &officer, &d, "proposal").await;
    let d = ok_step(&app, &officer, &d, submission()).await;
    let d = ok_step(
        &app,
        &officer,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    let d = ok_step(
        &app,
        &officer,
        &d,
        json!({ "to": "under_appraisal", "date": "2026-11-06" }),
    )
    .await;
    let d = ok_step(&app, &officer, &d, json!({ "to": "appraised", "opinion": "favourable", "document_number": "45/CAT-ANM", "document_date": "2026-11-16" })).await;
    complete(&app, &officer, &d, "approval").await;
    // `approved_level` is the first system's; the others get their proposed level.
    let d = ok_step(&app, &officer, &d, json!({ "to": "approved", "document_number": "88/QĐ-UBND", "document_date": "2026-11-20", "approved_level": 3 })).await;
    let approved: Vec<Option<i64>> = d["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["approved_level"].as_i64())
        .collect();
    assert_eq!(approved, [Some(3), Some(3), Some(2)]);
    for (s, level) in [(&first, 3), (&filing_system, 3), (&second_portal, 2)] {
        let (_, got) = json_of(
            app.get(
                &format!("/api/v1/systems/{}", s["id"].as_str().unwrap()),
                &admin,
            )
            .await,
        )
        .await;
        assert_eq!(got["approved_level"], level, "{got}");
        assert_eq!(got["approval_decision_number"], "88/QĐ-UBND");
        assert_eq!(got["redetermination_required"], false);
    }
    let (_, list) = json_of(
        app.get("/api/v1/dossiers?role=owner&status=approved", &officer)
            .await,
    )
    .await;
    assert_eq!(list["items"][0]["systems_count"], 3, "{list}");
    // Approved: the systems are free for a new dossier.
    assert_eq!(
        open_with(&app, &officer, &spare, &[&second_portal]).await.0,
        201
    );
}

#[tokio::test]
async fn systems_that_cannot_share_the_dossier_are_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let office = app.tree.office.id.clone();
    let officer = app
        .add_user("attt@vp.sct.gov.vn", Role::SecurityOfficer, &office)
        .await;
    let officer = app.token_for(&officer);
    let first = system(&app, &officer, portal(&office)).await;
    let tech_system = system(&app, &admin, filing(&app.tree.tech.id)).await;

    let (status, err) = open_with(&app, &officer, &first, &[&tech_system]).await;
    assert_eq!(status, 422, "{err}");
    assert!(
        refusal(&err).contains("Không tìm thấy"),
        "not visible to the office: {err}"
    );
    let (status, err) = open_with(&app, &admin, &first, &[&tech_system]).await;
    assert_eq!(status, 422);
    assert!(refusal(&err).contains("chủ quản khác"), "{err}");
    let (status, err) = open_with(&app, &officer, &first, &[&first]).await;
    assert_eq!(status, 422);
    assert!(refusal(&err).contains("hai lần"), "{err}");

    let mut nd85 = named(filing(&office), "Hệ thống một cửa điện tử");
    nd85["investment_before_law"] = json!(true);
    nd85["chosen_regime"] = json!("nd85-2016");
    let nd85 = system(&app, &officer, nd85).await;
    let (status, err) = open_with(&app, &officer, &first, &[&nd85]).await;
    assert_eq!(status, 422);
    assert!(
        refusal(&err).contains("văn bản khác"),
        "another regime: {err}"
    );

    // Decree 85 has no list of systems: one dossier per system.
    let mut other85 = named(filing(&office), "Hệ thống quản lý hồ sơ công việc");
    other85["investment_before_law"] = json!(true);
    other85["chosen_regime"] = json!("nd85-2016");
    let other85 = system(&app, &officer, other85).await;
    let (status, err) = open_with(&app, &officer, &nd85, &[&other85]).await;
    assert_eq!(status, 422, "{err}");
    let message = refusal(&err);
    assert!(
        message.contains("không cho phép") && message.contains("Điều 15 Nghị định 85/2016/NĐ-CP"),
        "{message}"
    );

    let viewer = app
        .add_user("xem@vp.sct.gov.vn", Role::Viewer, &office)
        .await;
    let viewer = app.token_for(&viewer);
    let mine = system(
        &app,
        &officer,
        named(portal(&office), "Hệ thống thư điện tử"),
    )
    .await;
    assert_eq!(open_with(&app, &viewer, &mine, &[&first]).await.0, 403);
    assert_eq!(
        open_with(&app, &officer, &first, &[]).await.0,
        201,
        "an empty list is one system"
    );

    let pack = app
        .state
        .rules
        .get("nd331-2026")
        .unwrap()
        .dossier
        .clone()
        .unwrap();
    assert!(pack.several_systems.allowed);
    assert_eq!(
        pack.several_systems.citation,
        "Điều 22 khoản 4 điểm a Nghị định 331/2026/NĐ-CP"
    );
    assert!(
        !app.state
            .rules
            .get("nd85-2016")
            .unwrap()
            .dossier
            .clone()
            .unwrap()
            .several_systems
            .allowed
    );
}
