//! The checklist follows the system: a level or hosting change adds and removes requirements
//! and keeps the answers; a new year starts from last year's answers.

use serde_json::json;

use super::{answer, base, filing_nd85, item, items, start, system};
use crate::support::{json as json_of, TestApp};

#[tokio::test]
async fn a_level_change_keeps_the_answers_of_requirements_that_stay() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let s = system(&app, &token, filing_nd85(&app.tree.root.id)).await;
    let (status, c) = start(&app, &token, &s, json!({})).await;
    assert_eq!(status, 201, "{c} ({s})");
    assert_eq!(c["baseline_id"], "tt12-2022");
    assert!(item(&c, "M5.4").is_some());
    let body = json!({ "status": "met", "how_met": "Chính sách ban hành năm 2025" });
    assert_eq!(answer(&app, &token, &s, "M1.1", body).await.0, 200);
    assert_eq!(
        answer(&app, &token, &s, "M5.4", json!({ "status": "partial" }))
            .await
            .0,
        200
    );

    let path = format!("/api/v1/systems/{}", s["id"].as_str().unwrap());
    let to = |level: u8| json!({ "proposed_level": level, "proposal_justification": "Điều chỉnh đề xuất cấp độ theo ý kiến của đơn vị chuyên trách." });
    let (status, v) = json_of(app.patch(&path, &token, &to(2)).await).await;
    assert_eq!(status, 200, "{v}");
    let (_, c2) = json_of(app.get(&base(&s), &token).await).await;
    assert_eq!(c2["review"]["level"], 2, "{}", c2["review"]);
    assert!(item(&c2, "M5.4").is_none(), "level 3 only");
    let m11 = item(&c2, "M1.1").unwrap();
    assert_eq!(m11["status"], "met");
    assert_eq!(m11["how_met"], "Chính sách ban hành năm 2025");
    let b = app.state.rules.baseline("tt12-2022").unwrap();
    assert_eq!(items(&c2).len(), b.applicable(2, None).count());

    let (status, v) = json_of(app.patch(&path, &token, &to(3)).await).await;
    assert_eq!(status, 200, "{v}");
    let (_, c3) = json_of(app.get(&base(&s), &token).await).await;
    assert_eq!(item(&c3, "M5.4").unwrap()["status"], "to_review");
    assert_eq!(item(&c3, "M1.1").unwrap()["status"], "met");

    let (status, v) = json_of(
        app.patch(&path, &token, &json!({ "hosting_kind": "cloud" }))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (_, cloud) = json_of(app.get(&base(&s), &token).await).await;
    let separation: Vec<_> = b
        .applicable(3, Some("cloud"))
        .filter(|r| !r.hosting.is_empty())
        .map(|r| r.code.clone())
        .collect();
    assert!(!separation.is_empty());
    for code in &separation {
        assert!(
            item(&cloud, code).is_some(),
            "{code} for a system in the cloud"
        );
    }
    assert_eq!(items(&cloud).len(), items(&c3).len() + separation.len());
}

#[tokio::test]
async fn a_new_year_starts_from_last_years_answers_to_review() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let me = app.tree.admin.id.clone();
    let s = system(&app, &token, filing_nd85(&app.tree.root.id)).await;
    let (status, c) = start(&app, &token, &s, json!({ "year": 2025 })).await;
    assert_eq!(status, 201, "{c}");
    let body = json!({ "status": "partial", "how_met": "Đang triển khai tường lửa", "responsible_id": me, "target_date": "2027-03-31" });
    let (status, v) = answer(&app, &token, &s, "M1.1", body).await;
    assert_eq!(status, 200, "{v}");
    let evidence = json!({ "title": "Chính sách ATTT", "document_number": "12/QĐ-SCT", "document_date": "2025-06-01" });
    let (status, e) = json_of(
        app.post(
            &format!("{}/items/M1.1/evidence", base(&s)),
            &token,
            &evidence,
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{e}");

    let (status, next) = start(&app, &token, &s, json!({ "year": 2026 })).await;
    assert_eq!(status, 201, "{next}");
    assert_eq!(next["review"]["year"], 2026);
    assert!(items(&next).iter().all(|i| i["status"] == "to_review"));
    let m11 = item(&next, "M1.1").unwrap();
    assert_eq!(m11["how_met"], "Đang triển khai tường lửa");
    assert_eq!(m11["responsible_id"], me.as_str());
    assert_eq!(m11["target_date"], "2027-03-31");
    assert_eq!(m11["evidence"][0]["document_number"], "12/QĐ-SCT");
    let (status, _) = start(&app, &token, &s, json!({ "year": 2025 })).await;
    assert_eq!(status, 409, "an earlier year after a later one");

    let (status, history) = json_of(app.get(&format!("{}/reviews", base(&s)), &token).await).await;
    assert_eq!(status, 200, "{history}");
    let h = history.as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["year"], 2026);
    assert_eq!(h[0]["is_current"], true);
    assert_eq!(h[1]["year"], 2025);
    assert_eq!(h[1]["is_current"], false);
    assert_eq!(h[1]["tally"]["partial"], 1);
    assert_eq!(h[0]["tally"]["to_review"], h[0]["tally"]["total"]);
}
