//! The dossier's clock at each transition, Decree 85's calendar days against Decree 331's working days.

use serde_json::json;

use super::{filing, received, with_db};
use crate::dossiers::{complete, ok_step};
use crate::support::{json as json_of, TestApp};

#[tokio::test]
async fn the_clock_moves_at_each_transition_and_stops_at_approval() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = received(
        &app,
        &token,
        filing(&app.tree.root.id, "Hệ thống một cửa"),
        "2026-11-05",
    )
    .await;
    // Thursday 05/11: five working days → Thursday 12/11.
    let c = &d["clock"];
    assert_eq!(c["step"], "validity_check", "{d}");
    assert_eq!(c["started_on"], "2026-11-05");
    assert_eq!(c["counted_from"], "2026-11-06");
    assert_eq!(c["due_on"], "2026-11-12");
    assert_eq!(c["unit"], "working");
    assert_eq!(c["unit_label"], "ngày làm việc");
    assert!(
        c["citation"].as_str().unwrap().contains("Điều 23 khoản 2"),
        "{c}"
    );
    assert!(c["trigger"].as_str().unwrap().contains("05/11/2026"));
    assert_eq!(c["overdue"], true, "today is after 12/11/2026");
    assert!(c["working_days_left"].as_i64().unwrap() < 0);

    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "under_appraisal", "date": "2026-11-06" }),
    )
    .await;
    let c = &d["clock"];
    assert_eq!(c["step"], "appraisal");
    assert_eq!(
        c["started_on"], "2026-11-05",
        "from the receipt of the valid dossier"
    );
    assert_eq!(c["length"], 15);
    assert_eq!(c["due_on"], "2026-11-26");
    assert!(c["citation"]
        .as_str()
        .unwrap()
        .contains("Điều 23 khoản 3 điểm a"));

    let d = ok_step(&app, &token, &d, json!({ "to": "appraised", "opinion": "favourable", "document_number": "45/CAT-ANM", "document_date": "2026-11-16" })).await;
    let c = &d["clock"];
    assert_eq!(c["step"], "approval");
    assert_eq!(c["started_on"], "2026-11-16");
    assert_eq!(c["due_on"], "2026-11-25");
    assert_eq!(c["length"], 7);

    complete(&app, &token, &d, "approval").await;
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "approved", "document_number": "88/QĐ-UBND", "document_date": "2026-11-20" }),
    )
    .await;
    assert!(d["clock"].is_null(), "{}", d["clock"]);
    let id = d["id"].as_str().unwrap().to_string();
    let stored = with_db(&app, move |conn| {
        Ok(capdo::repo::dossiers::find(conn, &id)?.unwrap())
    })
    .await;
    assert_eq!(
        (
            stored.clock_step,
            stored.clock_started_on,
            stored.clock_due_on
        ),
        (None, None, None)
    );
    let (_, got) = json_of(
        app.get(
            &format!("/api/v1/dossiers/{}", d["id"].as_str().unwrap()),
            &token,
        )
        .await,
    )
    .await;
    assert!(got["clock"].is_null());
}

#[tokio::test]
async fn a_return_stops_the_clock_and_a_new_receipt_starts_it_again() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = received(
        &app,
        &token,
        filing(&app.tree.root.id, "Hệ thống một cửa"),
        "2026-11-05",
    )
    .await;
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "returned", "note": "Bổ sung phương án", "date": "2026-11-06" }),
    )
    .await;
    assert!(d["clock"].is_null());
    let d = ok_step(&app, &token, &d, json!({ "to": "submitted", "document_number": "2600/SCT-VP", "document_date": "2026-11-09", "recipient": "Công an tỉnh Đồng Nai" })).await;
    assert!(d["clock"].is_null(), "in the post: no clock");
    // Friday 13/11: the weekend is not counted → Friday 20/11.
    let d = ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "received", "date": "2026-11-13" }),
    )
    .await;
    assert_eq!(d["clock"]["due_on"], "2026-11-20");
}

#[tokio::test]
async fn decree_85_counts_appraisal_in_days_with_its_judgement_shown() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let mut body = filing(&app.tree.root.id, "Hệ thống chuyển tiếp");
    body["investment_before_law"] = json!(true);
    body["chosen_regime"] = json!("nd85-2016");
    body["proposed_level"] = json!(4);
    body["proposal_justification"] =
        json!("Đề xuất cao hơn do kết nối với hệ thống cấp độ 4 của Bộ.");
    let d = super::under_appraisal(&app, &token, body, "2026-11-05").await;
    assert_eq!(d["regime_id"], "nd85-2016");
    let c = &d["clock"];
    // 30 days from 05/11 → Saturday 05/12 → Monday 07/12 (Decree 331 would give 25 working days).
    assert_eq!(c["step"], "appraisal", "{d}");
    assert_eq!(c["length"], 30);
    assert_eq!(c["unit"], "calendar");
    assert_eq!(c["unit_label"], "ngày");
    assert_eq!(c["due_on"], "2026-12-07");
    assert!(c["judgement"].as_str().unwrap().contains("A12"), "{c}");
    assert!(c["citation"]
        .as_str()
        .unwrap()
        .contains("Điều 16 khoản 2 điểm b"));
}
