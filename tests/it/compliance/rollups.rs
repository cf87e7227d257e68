//! The roll-ups behind the subtree view stay equal to a recount from the answers through every
//! change: answers, level changes, a new year, a new owner and a deleted system.

use std::collections::BTreeMap;

use capdo::db::schema::{
    compliance_group_tallies as t, compliance_org_tallies as o, compliance_reviews as r, systems,
};
use diesel::prelude::*;
use serde_json::json;

use super::{answer, filing, filing_nd85, start, system};
use crate::support::{json as json_of, TestApp};

type Counts = [i64; 6];
type OrgRow = (String, String, String, i32, i32, i32, i32, i32, i32);
type GroupRow = (String, String, String, String, i32, i32, i32, i32, i32, i32);

/// (organisation, catalogue, group) → counts, from the roll-up and from a recount; and each
/// current review's stored totals against the sum of its groups.
async fn assert_consistent(app: &TestApp, step: &str) {
    let (stored, recount, reviews) = app
        .state
        .db
        .run(|conn| {
            let rows: Vec<OrgRow> = o::table
                .select((
                    o::organization_id,
                    o::baseline_id,
                    o::group_code,
                    o::total,
                    o::met,
                    o::partial,
                    o::not_met,
                    o::not_applicable,
                    o::to_review,
                ))
                .load(conn)?;
            let mut stored: BTreeMap<(String, String, String), Counts> = BTreeMap::new();
            for (org, b, g, a, m, p, n, na, tr) in rows {
                let c = [a, m, p, n, na, tr].map(i64::from);
                if c.iter().any(|v| *v != 0) {
                    stored.insert((org, b, g), c);
                }
            }
            let rows: Vec<GroupRow> = t::table
                .inner_join(r::table.inner_join(systems::table))
                .filter(r::is_current.eq(true))
                .select((
                    r::id,
                    systems::organization_id,
                    r::baseline_id,
                    t::group_code,
                    t::total,
                    t::met,
                    t::partial,
                    t::not_met,
                    t::not_applicable,
                    t::to_review,
                ))
                .load(conn)?;
            let mut recount: BTreeMap<(String, String, String), Counts> = BTreeMap::new();
            let mut by_review: BTreeMap<String, Counts> = BTreeMap::new();
            for (review, org, b, g, a, m, p, n, na, tr) in rows {
                let c = [a, m, p, n, na, tr].map(i64::from);
                let e = recount.entry((org, b, g)).or_default();
                let f = by_review.entry(review).or_default();
                for i in 0..6 {
                    e[i] += c[i];
                    f[i] += c[i];
                }
            }
            let totals: Vec<(String, i32, i32, i32, i32, i32, i32)> = r::table
                .select((
                    r::id,
                    r::total,
                    r::met,
                    r::partial,
                    r::not_met,
                    r::not_applicable,
                    r::to_review,
                ))
                .load(conn)?;
            let mut reviews = Vec::new();
            for (id, a, m, p, n, na, tr) in totals {
                let c = [a, m, p, n, na, tr].map(i64::from);
                if let Some(f) = by_review.get(&id) {
                    reviews.push((id, c, *f));
                }
            }
            Ok::<_, capdo::error::AppError>((stored, recount, reviews))
        })
        .await
        .unwrap();
    assert!(!recount.is_empty(), "{step}: nothing to compare");
    assert_eq!(stored, recount, "{step}: organisation roll-up");
    for (id, stored, counted) in reviews {
        assert_eq!(stored, counted, "{step}: totals of review {id}");
    }
}

#[tokio::test]
async fn the_roll_ups_follow_every_change() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let root = app.tree.root.id.clone();
    let sub = app
        .add_org_external("Chi cục Quản lý thị trường", "QLTT", &root)
        .await;
    let old = system(&app, &token, filing_nd85(&root)).await;
    let mut body = filing(&sub);
    body["name"] = json!("Cổng thông tin điện tử Chi cục");
    let new = system(&app, &token, body).await;

    assert_eq!(start(&app, &token, &old, json!({})).await.0, 201);
    let (s, c) = start(
        &app,
        &token,
        &old,
        json!({ "baseline": "nd331-2026-baseline" }),
    )
    .await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(start(&app, &token, &new, json!({})).await.0, 201);
    assert_consistent(&app, "started").await;

    for (code, status) in [("M1.1", "met"), ("M5.4", "partial"), ("C2.1", "not_met")] {
        let (s, v) = answer(&app, &token, &old, code, json!({ "status": status })).await;
        assert_eq!(s, 200, "{v}");
    }
    assert_consistent(&app, "answered").await;

    let path = format!("/api/v1/systems/{}", old["id"].as_str().unwrap());
    let level2 = json!({ "proposed_level": 2, "proposal_justification": "Điều chỉnh đề xuất cấp độ theo ý kiến của đơn vị chuyên trách." });
    assert_eq!(
        json_of(app.patch(&path, &token, &level2).await).await.0,
        200
    );
    assert_consistent(&app, "level change").await;

    let year = chrono::Datelike::year(&capdo::rules::today_in_vietnam()) + 1;
    let (s, v) = start(&app, &token, &old, json!({ "year": year })).await;
    assert_eq!(s, 201, "{v}");
    assert_consistent(&app, "new year").await;
    // The count comes from the roll-ups, the rows from the answers: last year's answers are
    // history and appear in neither.
    let (s, gaps) = json_of(
        app.get("/api/v1/compliance/gaps?per_page=200", &token)
            .await,
    )
    .await;
    assert_eq!(s, 200, "{gaps}");
    assert_eq!(
        gaps["items"].as_array().unwrap().len() as i64,
        gaps["total"].as_i64().unwrap(),
        "{gaps}"
    );

    let moved = json!({ "organization_id": sub });
    let (s, v) = json_of(app.patch(&path, &token, &moved).await).await;
    assert_eq!(s, 200, "{v}");
    assert_consistent(&app, "new owner").await;

    let res = app
        .client
        .delete(app.url(&format!("/api/v1/systems/{}", new["id"].as_str().unwrap())))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert_consistent(&app, "deleted").await;
}
