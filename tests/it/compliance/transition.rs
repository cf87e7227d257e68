//! A system classified under Decree 85 must meet the Decree 331 baseline by 01/07/2027: that
//! checklist carries the date as every requirement's target, so it shows among the deadlines.

use serde_json::json;

use super::{filing_nd85, items, start, system};
use crate::support::{json as json_of, TestApp};

#[tokio::test]
async fn the_nd331_baseline_of_a_nd85_system_is_due_on_1_july_2027() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let s = system(&app, &token, filing_nd85(&app.tree.root.id)).await;
    let (status, own) = start(&app, &token, &s, json!({})).await;
    assert_eq!(status, 201, "{own}");
    let other = &own["other_baselines"][0];
    assert_eq!(other["id"], "nd331-2026-baseline", "{own}");
    assert_eq!(other["due_on"], "2027-07-01");

    let (status, c) = start(
        &app,
        &token,
        &s,
        json!({ "baseline": "nd331-2026-baseline" }),
    )
    .await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["review"]["due_on"], "2027-07-01");
    assert!(!items(&c).is_empty());
    for i in items(&c) {
        assert_eq!(i["target_date"], "2027-07-01", "{i}");
    }
    // An earlier target set by the user wins over the legal date.
    let code = items(&c)[0]["code"].as_str().unwrap().to_string();
    let (status, v) = answer_in(
        &app,
        &token,
        &s,
        &code,
        json!({ "target_date": "2027-03-31" }),
    )
    .await;
    assert_eq!(status, 200, "{v}");

    // The checklist as the security-plan section: every requirement, still to be completed.
    let plan_path = format!(
        "/api/v1/systems/{}/compliance/plan?baseline=nd331-2026-baseline",
        s["id"].as_str().unwrap()
    );
    let (status, plan) = json_of(app.get(&plan_path, &token).await).await;
    assert_eq!(status, 200, "{plan}");
    let lines: usize = plan
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["lines"].as_array().unwrap().len())
        .sum();
    assert_eq!(lines, items(&c).len(), "{plan}");
    assert!(plan[0]["lines"][0]["how"]
        .as_str()
        .unwrap()
        .contains("Cần bổ sung"));

    // Overdue items are always listed, so this holds after the date too.
    let path = "/api/v1/deadlines?within_days=366&per_page=100";
    let (status, d) = json_of(app.get(path, &token).await).await;
    assert_eq!(status, 200, "{d}");
    let gaps: Vec<_> = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "compliance_gap")
        .collect();
    assert!(gaps.iter().any(|g| g["due_on"] == "2027-07-01"), "{d}");
    assert!(gaps.iter().any(|g| g["due_on"] == "2027-03-31"), "{d}");
}

async fn answer_in(
    app: &TestApp,
    token: &str,
    s: &serde_json::Value,
    code: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let path = format!(
        "/api/v1/systems/{}/compliance/items/{code}?baseline=nd331-2026-baseline",
        s["id"].as_str().unwrap()
    );
    json_of(app.patch(&path, token, &body).await).await
}
