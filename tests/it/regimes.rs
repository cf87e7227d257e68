//! Two regimes side by side: which one a determination follows (by date, approval and
//! transitional project), the comparison of one system, and the regime-change report as JSON
//! and XLSX, on whichever database the run uses.

use std::io::Read;

use chrono::NaiveDate;
use serde_json::{json, Value};

use capdo::rules::transition::{Route, Situation};
use capdo::rules::Registry;

use crate::support::{error_code, json as json_of, TestApp};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An online service (not a public service) processing personal data of 50.000 people.
fn online_service(name: &str) -> Value {
    json!({
        "name": name,
        "owner_name": "UBND tỉnh Đồng Nai",
        "kind": "online_service",
        "facts": {
            "function": "citizen_business", "kind": "online_service",
            "information": ["public", "personal"], "online_services": true,
            "conditional_business_service": false, "handles_administrative_procedures": false,
            "personal_data_subjects": 50000, "sensitive_personal_data_subjects": 0
        }
    })
}

async fn classify_on(app: &TestApp, token: &str, facts: &Value, day: Option<&str>) -> Value {
    let mut body = json!({ "facts": facts });
    if let Some(day) = day {
        body["date"] = json!(day);
    }
    let (status, result) = json_of(app.post("/api/v1/classify", token, &body).await).await;
    assert_eq!(status, 200, "{result}");
    result
}

#[tokio::test]
async fn the_regime_follows_the_date_of_the_determination_including_the_gap() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let facts = online_service("x")["facts"].clone();

    let before = classify_on(&app, &token, &facts, Some("2026-06-15")).await;
    assert_eq!(before["regime"]["id"], "nd85-2016");
    assert_eq!(
        before["level"], 3,
        "50.000 users ≥ 10.000 under Decree 85: {before}"
    );
    assert_eq!(before["status"], "determined");

    // 01/07/2026 – 18/08/2026: Decree 85 has lapsed and Decree 331 is not yet in force.
    let gap = classify_on(&app, &token, &facts, Some("2026-07-15")).await;
    assert_eq!(gap["regime"]["id"], "nd85-2016");
    assert_eq!(gap["status"], "needs_review", "{gap}");
    let warnings = gap["warnings"].to_string();
    assert!(warnings.contains("15/07/2026"), "{warnings}");
    assert!(warnings.contains("19/08/2026"), "{warnings}");

    let first_day = classify_on(&app, &token, &facts, Some("2026-08-19")).await;
    assert_eq!(first_day["regime"]["id"], "nd331-2026");
    assert_eq!(
        first_day["level"], 2,
        "50.000 < 100.000 subjects: {first_day}"
    );

    let today = classify_on(&app, &token, &facts, None).await;
    assert_eq!(today["regime"]["id"], "nd331-2026");
    let eve = classify_on(&app, &token, &facts, Some("2026-08-18")).await;
    assert_eq!(eve["regime"]["id"], "nd85-2016");
    assert_eq!(eve["status"], "needs_review");
}

#[test]
fn the_transition_rules_choose_the_regime_of_a_system() {
    let registry = Registry::load(None).expect("shipped packs");
    let today = date("2026-12-01");

    let new = registry.plan(Situation::default(), today).unwrap();
    assert_eq!(new.pack.meta.id, "nd331-2026");
    assert_eq!(new.route, Route::InForce);

    let kept = Situation {
        approved_regime: Some("nd85-2016"),
        approved: true,
        ..Default::default()
    };
    let plan = registry.plan(kept, today).unwrap();
    assert_eq!(plan.pack.meta.id, "nd85-2016");
    assert_eq!(plan.route, Route::KeepsApproved);
    assert_eq!(
        plan.as_of,
        date("2026-06-30"),
        "as the lapsed regime last stood"
    );
    assert_eq!(plan.deadlines[0].kind, "comply_by");
    assert_eq!(plan.deadlines[0].due, date("2027-07-01"));

    let project = Situation {
        investment_before_law: true,
        chosen_regime: Some("nd85-2016"),
        ..Default::default()
    };
    let plan = registry.plan(project, today).unwrap();
    assert_eq!(plan.route, Route::InvestmentProject);
    assert_eq!(plan.pack.meta.id, "nd85-2016");
    let dues: Vec<_> = plan.deadlines.iter().map(|d| (d.kind, d.due)).collect();
    assert_eq!(
        dues,
        vec![
            ("approve_by", date("2027-01-01")),
            ("comply_by", date("2027-07-01"))
        ]
    );
    // After 01/01/2027 the window is closed: the regime in force applies, and the user is told.
    let late = registry.plan(project, date("2027-01-02")).unwrap();
    assert_eq!(late.route, Route::InForce);
    assert_eq!(late.pack.meta.id, "nd331-2026");
    assert!(
        late.notes.iter().any(|n| n.contains("01/01/2027")),
        "{:?}",
        late.notes
    );
    // Only a transitional project may choose the old regime.
    assert_eq!(registry.choosable(Situation::default(), today).len(), 1);
    assert_eq!(registry.choosable(project, today).len(), 2);

    assert!(registry.gap_on(date("2026-07-01")).is_some());
    assert!(registry.gap_on(date("2026-08-18")).is_some());
    assert!(registry.gap_on(date("2026-06-30")).is_none());
    assert!(registry.gap_on(date("2026-08-19")).is_none());
}

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    let (status, created) = json_of(app.post("/api/v1/systems", token, body).await).await;
    assert_eq!(status, 201, "{created}");
    created
}

async fn approve(app: &TestApp, token: &str, id: &str, level: u8, day: &str) -> Value {
    let body = json!({ "level": level, "decision_number": "88/QĐ-UBND", "decision_date": day });
    let (status, approved) = json_of(
        app.post(&format!("/api/v1/systems/{id}/approval"), token, &body)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    approved
}

#[tokio::test]
async fn an_approval_under_decree_85_keeps_its_level_and_regime_with_a_deadline() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let system = create(&app, &token, &online_service("Cổng dịch vụ trực tuyến")).await;
    assert_eq!(system["classification"]["regime_id"], "nd331-2026");
    assert_eq!(system["classification"]["level"], 2);
    let id = system["id"].as_str().unwrap();

    let approved = approve(&app, &token, id, 3, "2025-11-20").await;
    assert_eq!(approved["transition"]["approved_regime_id"], "nd85-2016");
    assert!(approved["transition"]["approved_regime_version"].is_string());
    assert_eq!(approved["classification"]["regime_id"], "nd85-2016");
    assert_eq!(approved["classification"]["level"], 3);
    let transition = &approved["classification"]["result"]["transition"];
    assert_eq!(transition["route"], "keeps_approved", "{transition}");
    assert_eq!(transition["deadlines"][0]["due"], "2027-07-01");
    assert_eq!(approved["redetermination_required"], false);

    // The comparison shows the level going down under Decree 331, with what to do.
    let (status, cmp) = json_of(
        app.get(&format!("/api/v1/systems/{id}/regimes"), &token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{cmp}");
    assert_eq!(cmp["results"][0]["regime"]["id"], "nd85-2016");
    assert_eq!(cmp["results"][1]["regime"]["id"], "nd331-2026");
    assert_eq!(cmp["change"]["from"], 3);
    assert_eq!(cmp["change"]["to"], 2);
    assert_eq!(cmp["change"]["direction"], "down");
    let causes: Vec<&str> = cmp["change"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert!(causes.contains(&"nd85.d9.k2.c"), "{causes:?}");
    let actions = cmp["row"]["actions"].to_string();
    assert!(actions.contains("Giữ cấp độ 3"), "{actions}");
    assert!(actions.contains("xác định lại cấp độ"), "{actions}");
    assert!(actions.contains("2027-07-01"), "{actions}");

    // An approval dated under Decree 331 is recorded under it.
    let other = create(&app, &token, &online_service("Hệ thống khác")).await;
    let other_id = other["id"].as_str().unwrap();
    let approved = approve(&app, &token, other_id, 2, "2026-10-01").await;
    assert_eq!(approved["transition"]["approved_regime_id"], "nd331-2026");
    assert_eq!(approved["classification"]["regime_id"], "nd331-2026");
}

#[tokio::test]
async fn only_a_transitional_project_may_choose_decree_85() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let mut body = online_service("Dự án chưa có cờ chuyển tiếp");
    body["chosen_regime"] = json!("nd85-2016");
    let response = app.post("/api/v1/systems", &token, &body).await;
    assert_eq!(response.status(), 422);
    let (_, error) = json_of(response).await;
    assert_eq!(error_code(&error), "validation_failed");
    assert!(error["error"]["fields"]["chosen_regime"][0]
        .as_str()
        .unwrap()
        .contains("dự án đầu tư"));

    body["investment_before_law"] = json!(true);
    body["name"] = json!("Dự án đầu tư từ 2025");
    let project = create(&app, &token, &body).await;
    assert_eq!(project["classification"]["regime_id"], "nd85-2016");
    assert_eq!(project["classification"]["level"], 3);
    let transition = &project["classification"]["result"]["transition"];
    assert_eq!(transition["route"], "investment_project");
    assert_eq!(transition["deadlines"][0]["kind"], "approve_by");
    assert_eq!(transition["deadlines"][0]["due"], "2027-01-01");
    // Back to the regime in force: the result follows at once.
    let id = project["id"].as_str().unwrap();
    let (status, changed) = json_of(
        app.patch(
            &format!("/api/v1/systems/{id}"),
            &token,
            &json!({ "chosen_regime": null }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["classification"]["regime_id"], "nd331-2026");
    assert_eq!(changed["classification"]["level"], 2);
}

#[tokio::test]
async fn the_report_says_which_systems_change_level_and_what_to_do() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let down = create(&app, &token, &online_service("Dịch vụ 50.000 người")).await;
    let mut tthc = online_service("Hệ thống giải quyết TTHC nhỏ");
    tthc["facts"]["handles_administrative_procedures"] = json!(true);
    tthc["facts"]["personal_data_subjects"] = json!(800);
    let up = create(&app, &token, &tthc).await;
    let mut portal = online_service("Cổng thông tin");
    portal["kind"] = json!("portal");
    portal["facts"] = json!({ "function": "citizen_business", "kind": "portal", "information": ["public"], "public_service_level": 2, "conditional_business_service": false });
    create(&app, &token, &portal).await;

    let (status, report) = json_of(app.get("/api/v1/reports/regime-change", &token).await).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["header"]["old_regime"], "nd85-2016");
    assert_eq!(report["header"]["new_regime"], "nd331-2026");
    assert_eq!(report["totals"]["systems"], 3);
    assert_eq!(report["totals"]["down"], 1, "{report:#}");
    let row = |id: &Value| {
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| &r["system_id"] == id)
            .cloned()
            .unwrap()
    };
    let d = row(&down["id"]);
    assert_eq!(
        (d["old_level"].as_u64(), d["new_level"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(d["direction"], "down");
    assert!(d["actions"].to_string().contains("giảm"), "{d}");
    let u = row(&up["id"]);
    assert_eq!(
        u["new_level"], 3,
        "every TTHC system is level 3 under Decree 331: {u}"
    );

    let (_, only_down) = json_of(
        app.get("/api/v1/reports/regime-change?direction=down", &token)
            .await,
    )
    .await;
    assert_eq!(only_down["totals"]["systems"], 1);
    assert_eq!(only_down["items"][0]["system_id"], down["id"]);

    let bad = app
        .get("/api/v1/reports/regime-change?direction=sideways", &token)
        .await;
    assert_eq!(bad.status(), 422);

    let response = app
        .get("/api/v1/reports/regime-change?format=xlsx", &token)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap();
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("xlsx is a zip");
    let mut sheet = String::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().map(|n| n.to_string()).unwrap_or_default();
        if name.starts_with("xl/") && name.ends_with(".xml") {
            file.read_to_string(&mut sheet).unwrap();
        }
    }
    assert!(
        sheet.contains("Dịch vụ 50.000 người"),
        "names are in the workbook"
    );
    assert!(sheet.contains("Giảm"));
    assert!(sheet.contains("Nghị định 331/2026/NĐ-CP"));
}

#[tokio::test]
async fn compare_gives_one_result_per_regime_and_the_cli_agrees() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let facts = online_service("x")["facts"].clone();
    let body =
        json!({ "facts": facts, "regimes": ["nd85-2016", "nd331-2026"], "date": "2026-12-01" });
    let (status, cmp) = json_of(app.post("/api/v1/classify/compare", &token, &body).await).await;
    assert_eq!(status, 200, "{cmp}");
    let levels: Vec<_> = cmp["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["regime"]["id"].clone(), r["level"].clone()))
        .collect();
    assert_eq!(
        levels,
        vec![
            (json!("nd85-2016"), json!(3)),
            (json!("nd331-2026"), json!(2))
        ]
    );
    for (regime, level) in [("nd85-2016", 3), ("nd331-2026", 2)] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_capdo"))
            .args(["classify", "--regime", regime, "--date", "2026-12-01", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(facts.to_string().as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        assert!(output.status.success());
        let result: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(result["regime"]["id"], regime);
        assert_eq!(result["level"], level);
    }
}

#[tokio::test]
async fn stored_classifications_follow_new_pack_versions_and_passed_deadlines() {
    use capdo::db::schema::systems;
    use capdo::services::system_refresh::refresh;
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};

    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let fresh = create(&app, &token, &online_service("Hệ thống hiện hành")).await;
    let mut body = online_service("Dự án chuyển tiếp");
    body["investment_before_law"] = json!(true);
    body["chosen_regime"] = json!("nd85-2016");
    let project = create(&app, &token, &body).await;
    assert_eq!(project["classification"]["regime_id"], "nd85-2016");
    // Classified under the pack in force at its current version: not even read again.
    create(&app, &token, &online_service("Hệ thống không đổi")).await;

    let registry = app.state.rules.clone();

    let fresh_id = fresh["id"].as_str().unwrap().to_string();
    let outcome = app
        .state
        .db
        .run(move |conn| {
            // As if the row had been classified by an older text of the pack.
            diesel::update(systems::table.find(&fresh_id))
                .set(systems::regime_version.eq("000000000000"))
                .execute(conn)?;
            refresh(conn, &registry, date("2026-12-01"))
        })
        .await
        .unwrap();
    assert_eq!((outcome.checked, outcome.reclassified), (2, 1));
    let (_, again) = json_of(
        app.get(
            &format!("/api/v1/systems/{}", fresh["id"].as_str().unwrap()),
            &token,
        )
        .await,
    )
    .await;
    assert_ne!(again["classification"]["regime_version"], "000000000000");
    assert_eq!(again["classification"]["level"], 2);

    // After 01/01/2027 the project can no longer finish under Decree 85.
    let registry = app.state.rules.clone();
    let outcome = app
        .state
        .db
        .run(move |conn| refresh(conn, &registry, date("2027-01-02")))
        .await
        .unwrap();
    assert_eq!(outcome.reclassified, 1);
    let id = project["id"].as_str().unwrap();
    let (_, moved) = json_of(app.get(&format!("/api/v1/systems/{id}"), &token).await).await;
    assert_eq!(moved["classification"]["regime_id"], "nd331-2026");
    assert_eq!(moved["classification"]["level"], 2);
    let (_, history) = json_of(
        app.get(&format!("/api/v1/systems/{id}/history"), &token)
            .await,
    )
    .await;
    assert_eq!(history["items"][0]["action"], "reclassify", "{history}");
}
