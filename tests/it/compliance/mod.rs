//! The compliance checklist over the JSON API on a real database: catalogues, starting a
//! review, answers and percentages (level changes, copy forward, approval, evidence and access
//! in the submodules).

use serde_json::{json, Value};

mod approval;
mod evidence;
mod levels;
mod rollups;
mod transition;

use crate::support::{json as json_of, TestApp};

/// Level 3 under Decree 331 (online administrative filing).
pub(super) fn filing(org: &str) -> Value {
    json!({
        "organization_id": org, "name": "Hệ thống đăng ký khuyến mại",
        "owner_name": "UBND tỉnh Đồng Nai", "kind": "public_service_system",
        "facts": { "function": "citizen_business", "information": ["private", "personal"],
                   "public_service_mode": "full_process", "online_filing": true }
    })
}

/// The same system kept under Decree 85 (TT 12/2022 catalogue), proposed at level 3.
pub(super) fn filing_nd85(org: &str) -> Value {
    let mut body = filing(org);
    body["investment_before_law"] = json!(true);
    body["chosen_regime"] = json!("nd85-2016");
    body["proposed_level"] = json!(3);
    body
}

pub(super) async fn system(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, s) = json_of(app.post("/api/v1/systems", token, &body).await).await;
    assert_eq!(status, 201, "{s}");
    s
}

pub(super) fn base(s: &Value) -> String {
    format!("/api/v1/systems/{}/compliance", s["id"].as_str().unwrap())
}

pub(super) async fn start(app: &TestApp, token: &str, s: &Value, body: Value) -> (u16, Value) {
    json_of(app.post(&base(s), token, &body).await).await
}

pub(super) async fn answer(
    app: &TestApp,
    token: &str,
    s: &Value,
    code: &str,
    body: Value,
) -> (u16, Value) {
    let path = format!("{}/items/{code}", base(s));
    json_of(app.patch(&path, token, &body).await).await
}

/// Every item of a checklist view, in order.
pub(super) fn items(c: &Value) -> Vec<Value> {
    c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap().clone())
        .collect()
}

pub(super) fn item(c: &Value, code: &str) -> Option<Value> {
    items(c).into_iter().find(|i| i["code"] == code)
}

/// (met + ½ partial) / (total − N/A), in per cent with one decimal, from the answers.
fn expected_percent(statuses: &[&str]) -> Option<f64> {
    let count = |s: &str| statuses.iter().filter(|x| **x == s).count() as f64;
    let applicable = statuses.len() as f64 - count("not_applicable");
    (applicable > 0.0)
        .then(|| ((count("met") + count("partial") / 2.0) / applicable * 1000.0).round() / 10.0)
}

#[tokio::test]
async fn the_catalogue_api_reports_the_tt12_counts_per_level() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let (status, list) = json_of(app.get("/api/v1/requirements", &token).await).await;
    assert_eq!(status, 200, "{list}");
    let tt12 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "tt12-2022")
        .expect("tt12-2022 listed");
    assert_eq!(tt12["regime"], "nd85-2016");
    let per_level = |part: &str| -> Vec<u64> {
        (1..=5)
            .map(|l| tt12["counts"][part][l.to_string()].as_u64().unwrap())
            .collect()
    };
    assert_eq!(per_level("management"), [15, 18, 22, 22, 22]);
    assert_eq!(per_level("zone"), [3, 5, 7, 8, 8]);
    assert_eq!(per_level("design"), [3, 6, 16, 17, 19]);
    assert_eq!(per_level("configuration"), [13, 17, 21, 21, 21]);
    let nd331 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "nd331-2026-baseline");
    assert!(nd331.is_some(), "{list}");

    let (status, all) = json_of(app.get("/api/v1/requirements/tt12-2022", &token).await).await;
    assert_eq!(status, 200);
    let (_, l3) = json_of(
        app.get(
            "/api/v1/requirements/tt12-2022?level=3&hosting=cloud",
            &token,
        )
        .await,
    )
    .await;
    let count = |v: &Value| -> usize {
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["requirements"].as_array().unwrap().len())
            .sum()
    };
    let b = app.state.rules.baseline("tt12-2022").unwrap();
    assert_eq!(count(&all), b.requirements.len());
    assert_eq!(count(&l3), b.applicable(3, Some("cloud")).count());
    assert_eq!(
        app.get("/api/v1/requirements/khong-co", &token)
            .await
            .status(),
        404
    );
    for bad in ["7", "ba", "0"] {
        let (status, err) = json_of(
            app.get(
                &format!("/api/v1/requirements/tt12-2022?level={bad}"),
                &token,
            )
            .await,
        )
        .await;
        assert_eq!(status, 422, "{bad}: {err}");
        assert!(err["error"]["fields"]["level"].is_array(), "{err}");
    }
}

#[tokio::test]
async fn a_level_3_system_gets_its_applicable_requirements_once_a_year() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let s = system(&app, &token, filing(&app.tree.root.id)).await;
    assert_eq!(
        app.get(&base(&s), &token).await.status(),
        404,
        "not started"
    );
    let (status, c) = start(&app, &token, &s, json!({})).await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["review"]["level"], 3);
    assert_eq!(c["baseline_id"], "nd331-2026-baseline");
    let b = app.state.rules.baseline("nd331-2026-baseline").unwrap();
    assert_eq!(items(&c).len(), b.applicable(3, None).count());
    assert!(items(&c).iter().all(|i| i["status"] == "to_review"));
    let (status, err) = start(&app, &token, &s, json!({})).await;
    assert_eq!(status, 409, "same year twice: {err}");
    let (status, got) = json_of(app.get(&base(&s), &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(items(&got).len(), items(&c).len());
    let (status, err) = start(&app, &token, &s, json!({ "colour": "đỏ" })).await;
    assert!(status == 422 || status == 400, "{err}");

    // A system whose level is not known (the register allows it while facts are missing).
    let s0 = system(&app, &token, filing(&app.tree.root.id)).await;
    let id = s0["id"].as_str().unwrap().to_string();
    app.state
        .db
        .run(move |conn| {
            use capdo::db::schema::systems::dsl as t;
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            diesel::update(t::systems.filter(t::id.eq(id)))
                .set((
                    t::computed_level.eq(None::<i32>),
                    t::proposed_level.eq(None::<i32>),
                ))
                .execute(conn)
                .map_err(Into::into)
        })
        .await
        .unwrap();
    let (status, err) = start(&app, &token, &s0, json!({})).await;
    assert_eq!(status, 409, "no level: {err} ({s0})");
}

#[tokio::test]
async fn statuses_score_by_the_percent_rule_per_group_and_in_total() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let s = system(&app, &token, filing(&app.tree.root.id)).await;
    let (_, c) = start(&app, &token, &s, json!({})).await;
    let codes: Vec<String> = items(&c)
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect();
    let (status, err) = answer(
        &app,
        &token,
        &s,
        &codes[0],
        json!({ "status": "not_applicable" }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["na_reason"].is_array(), "{err}");
    let cycle = [
        "met",
        "partial",
        "not_met",
        "not_applicable",
        "met",
        "partial",
    ];
    let mut last = Value::Null;
    for (n, code) in codes.iter().enumerate().take(12) {
        if item(&c, code).unwrap()["special"].is_string() {
            continue; // the regulation needs its document first (see approval)
        }
        let status = cycle[n % cycle.len()];
        let mut body = json!({ "status": status, "how_met": "Đã ban hành quy trình" });
        if status == "not_applicable" {
            body["na_reason"] = json!("Hệ thống không có thành phần này");
        }
        let (code_, v) = answer(&app, &token, &s, code, body).await;
        assert_eq!(code_, 200, "{code}: {v}");
        last = v;
    }
    let all: Vec<Value> = items(&last);
    let statuses: Vec<&str> = all.iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(
        last["percent"].as_f64(),
        expected_percent(&statuses),
        "{}",
        last["tally"]
    );
    for g in last["groups"].as_array().unwrap() {
        let st: Vec<&str> = g["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            g["percent"].as_f64(),
            expected_percent(&st),
            "group {}",
            g["code"]
        );
    }
    // An explicit null clears; an unknown field is refused.
    let (_, v) = answer(&app, &token, &s, &codes[0], json!({ "how_met": null })).await;
    assert!(item(&v, &codes[0]).unwrap()["how_met"].is_null());
    let (status, _) = answer(&app, &token, &s, &codes[0], json!({ "colour": "đỏ" })).await;
    assert!(status == 422 || status == 400);
}
