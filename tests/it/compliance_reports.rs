//! Compliance across a subtree: summary totals and groups against a hand count, isolation
//! between subtrees, the gap list (filters, order), the XLSX gap report, gaps on the deadline
//! list and the home page, and one reminder per gap and threshold.

use std::io::Read;

use capdo::domain::Role;
use capdo::services::reminders::run;
use chrono::{Duration, NaiveDate, Utc};
use serde_json::{json, Value};

use crate::compliance::{answer, filing, item, items, start, system};
use crate::support::{json as json_of, TestApp, PASSWORD};
use crate::web_dossiers::csrf_from;

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// Answers the first non-special requirements with `statuses`; returns the last view.
async fn answer_all(app: &TestApp, token: &str, s: &Value, c: &Value, plan: &[Value]) -> Value {
    let codes: Vec<String> = items(c)
        .iter()
        .filter(|i| !i["special"].is_string())
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect();
    let mut last = c.clone();
    for (code, body) in codes.iter().zip(plan) {
        let (status, v) = answer(app, token, s, code, body.clone()).await;
        assert_eq!(status, 200, "{code}: {v}");
        last = v;
    }
    last
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, v) = json_of(app.get(path, token).await).await;
    assert_eq!(status, 200, "{path}: {v}");
    v
}

#[tokio::test]
async fn subtree_compliance_gaps_export_deadlines_and_reminders() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let vp = app
        .add_user("vp@sct.gov.vn", Role::SecurityOfficer, &app.tree.office.id)
        .await;
    let kt = app
        .add_user("kt@sct.gov.vn", Role::SecurityOfficer, &app.tree.tech.id)
        .await;
    let a = system(&app, &admin, filing(&app.tree.office.id)).await;
    let mut body_b = filing(&app.tree.tech.id);
    body_b["name"] = json!("Hệ thống quản lý văn bản");
    let b = system(&app, &admin, body_b).await;
    let (st, ca) = start(&app, &admin, &a, json!({})).await;
    assert_eq!(st, 201, "{ca}");
    let (st, cb) = start(&app, &admin, &b, json!({})).await;
    assert_eq!(st, 201, "{cb}");
    let soon = today() + Duration::days(3);
    let later = today() + Duration::days(10);
    let plan_a = [
        json!({ "status": "met", "how_met": "=Đã ban hành quy chế" }),
        json!({ "status": "partial", "target_date": later.to_string() }),
        json!({ "status": "not_met", "responsible_id": vp.id, "target_date": soon.to_string() }),
        json!({ "status": "not_applicable", "na_reason": "Không có thành phần này" }),
        json!({ "status": "met" }),
    ];
    let va = answer_all(&app, &admin, &a, &ca, &plan_a).await;
    let vb = answer_all(&app, &admin, &b, &cb, &[json!({ "status": "met" })]).await;

    // Hand count of system A: every item, 2 met, 1 partial, 1 not met, 1 N/A, rest to review.
    let n_a = items(&va).len() as i64;
    let n_b = items(&vb).len() as i64;
    let hand_a = ((2.0 + 0.5) / (n_a - 1) as f64 * 1000.0).round() / 10.0;
    let vp_token = app.token_for(&vp);
    let s = get(&app, &vp_token, "/api/v1/compliance/summary").await;
    assert_eq!(s["tally"]["total"], n_a, "{s}");
    assert_eq!(s["tally"]["met"], 2);
    assert_eq!(s["tally"]["partial"], 1);
    assert_eq!(s["tally"]["not_met"], 1);
    assert_eq!(s["tally"]["not_applicable"], 1);
    assert_eq!(s["tally"]["to_review"], n_a - 5);
    assert_eq!(s["percent"].as_f64(), Some(hand_a));
    assert_eq!(s["percent"], va["percent"]);
    let systems = s["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 1, "the other subtree is out of sight: {s}");
    assert_eq!(systems[0]["system_id"], a["id"]);
    assert_eq!(systems[0]["gaps"], n_a - 3);
    // Per group: the summed groups give the total, and each matches the checklist's group.
    let groups = s["by_group"].as_array().unwrap();
    let sum: i64 = groups
        .iter()
        .map(|g| g["tally"]["total"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, n_a);
    for g in va["groups"].as_array().unwrap() {
        let mine = groups
            .iter()
            .find(|x| x["group_code"] == g["code"])
            .unwrap();
        assert_eq!(mine["percent"], g["percent"], "group {}", g["code"]);
        assert_eq!(mine["tally"], g["tally"], "group {}", g["code"]);
    }
    let kt_token = app.token_for(&kt);
    let s = get(&app, &kt_token, "/api/v1/compliance/summary").await;
    assert_eq!(s["tally"]["total"], n_b);
    assert_eq!(s["systems"].as_array().unwrap().len(), 1);
    assert_eq!(s["systems"][0]["system_id"], b["id"]);
    // The whole tree, worst first.
    let s = get(&app, &admin, "/api/v1/compliance/summary").await;
    assert_eq!(s["tally"]["total"], n_a + n_b);
    assert_eq!(s["systems"][0]["system_id"], b["id"], "B is worse: {s}");
    assert_eq!(s["systems_without_checklist"], 0);
    let s = get(
        &app,
        &admin,
        &format!(
            "/api/v1/compliance/summary?organization_id={}",
            app.tree.tech.id
        ),
    )
    .await;
    assert_eq!(s["tally"]["total"], n_b);

    // Gaps: dated first by target date, then the rest; filters.
    let g = get(&app, &vp_token, "/api/v1/compliance/gaps?per_page=200").await;
    assert_eq!(g["total"], n_a - 3, "{g}");
    assert_eq!(g["items"][0]["status"], "not_met");
    assert_eq!(g["items"][0]["responsible_name"], vp.full_name.as_str());
    assert_eq!(g["items"][1]["status"], "partial");
    assert!(g["items"][2]["target_date"].is_null());
    let code = g["items"][0]["requirement_code"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(item(&va, &code).is_some());
    assert!(g["items"][0]["path"]
        .as_str()
        .unwrap()
        .starts_with(&format!(
            "/systems/{}/compliance?baseline=",
            a["id"].as_str().unwrap()
        )));
    let by_owner = get(
        &app,
        &admin,
        &format!("/api/v1/compliance/gaps?responsible_id={}", vp.id),
    )
    .await;
    assert_eq!(by_owner["total"], 1);
    let not_met = get(&app, &admin, "/api/v1/compliance/gaps?status=not_met").await;
    assert_eq!(not_met["total"], 1);
    let overdue = get(&app, &admin, "/api/v1/compliance/gaps?overdue_only=true").await;
    assert_eq!(overdue["total"], 0);
    let all = get(&app, &admin, "/api/v1/compliance/gaps").await;
    assert_eq!(all["total"], (n_a - 3) + (n_b - 1));
    let kt_gaps = get(&app, &kt_token, "/api/v1/compliance/gaps").await;
    assert_eq!(kt_gaps["total"], n_b - 1);

    // The XLSX report: two sheets, one row per gap under the header.
    let res = app.get("/api/v1/compliance/gaps/export", &vp_token).await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    assert!(
        workbook.contains("Tồn tại") && workbook.contains("Tổng hợp"),
        "{workbook}"
    );
    let gaps_sheet = read("xl/worksheets/sheet1.xml");
    assert_eq!(gaps_sheet.matches("<row ").count() as i64, n_a - 3 + 1);
    assert!(gaps_sheet.contains(&code));
    let summary_sheet = read("xl/worksheets/sheet2.xml");
    assert!(summary_sheet.contains("Hệ thống đăng ký khuyến mại"));

    // Deadlines and the home page.
    let d = get(&app, &vp_token, "/api/v1/deadlines").await;
    let gaps: Vec<&Value> = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "compliance_gap")
        .collect();
    assert_eq!(gaps.len(), 2, "{d}");
    assert!(gaps[0]["title"].as_str().unwrap().contains(&code), "{d}");
    assert!(gaps[0]["citation"].is_string());
    assert!(d["total"].as_i64().unwrap() >= 2);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let login = client.get(app.url("/login")).send().await.unwrap();
    let csrf = csrf_from(&login.text().await.unwrap());
    let res = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "vp@sct.gov.vn"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let home = client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Khắc phục tồn tại đáp ứng yêu cầu"), "{home}");
    let page = client.get(app.url("/compliance")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Đáp ứng yêu cầu cơ bản") && page.contains(&code),
        "{page}"
    );

    // Reminders: the not-met item goes to its responsible officer, once.
    let day = today();
    for _ in 0..2 {
        let (registry, config) = (app.state.rules.clone(), app.state.config.clone());
        app.state
            .db
            .run(move |conn| run(conn, &registry, &config, day))
            .await
            .unwrap();
    }
    let to_vp: i64 = app
        .state
        .db
        .run(|conn| {
            use capdo::db::schema::outbox;
            use diesel::prelude::*;
            Ok(outbox::table
                .filter(outbox::kind.eq("reminder"))
                .filter(outbox::to_address.eq("vp@sct.gov.vn"))
                .count()
                .get_result(conn)?)
        })
        .await
        .unwrap();
    assert_eq!(to_vp, 1);
}
