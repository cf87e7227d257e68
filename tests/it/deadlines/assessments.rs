//! Periodic assessments: planned on approval with the pack's interval, the next one planned on completion, audited.

use serde_json::json;

use super::{filing, under_appraisal};
use crate::dossiers::{complete, ok_step};
use crate::support::{json as json_of, TestApp};

#[tokio::test]
async fn approval_plans_the_assessment_and_completion_plans_the_next() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = under_appraisal(
        &app,
        &token,
        filing(&app.tree.root.id, "Hệ thống một cửa"),
        "2026-11-05",
    )
    .await;
    let d = ok_step(&app, &token, &d, json!({ "to": "appraised", "opinion": "favourable", "document_number": "45/CAT-ANM", "document_date": "2026-11-16" })).await;
    complete(&app, &token, &d, "approval").await;
    ok_step(
        &app,
        &token,
        &d,
        json!({ "to": "approved", "document_number": "88/QĐ-UBND", "document_date": "2026-11-20" }),
    )
    .await;

    let (status, list) = json_of(app.get("/api/v1/assessments", &token).await).await;
    assert_eq!(status, 200, "{list}");
    // Decree 331 sets no interval: the pack's default for level 3 is 6 months; no agency-wide entry.
    assert_eq!(list["total"], 1, "{list}");
    let a = &list["items"][0];
    assert_eq!(a["scope"], "system");
    assert_eq!(a["system_id"], d["system_id"]);
    assert_eq!(a["due_on"], "2027-05-20");
    assert_eq!(a["regime_id"], "nd331-2026");
    assert!(a["citation"].as_str().unwrap().contains("Điều 28 khoản 5"));
    assert!(a["title"].as_str().unwrap().contains("Hệ thống một cửa"));

    let path = format!("/api/v1/assessments/{}/complete", a["id"].as_str().unwrap());
    let (status, err) = json_of(
        app.post(
            &path,
            &token,
            &json!({ "done_on": "2099-01-01", "assessor": "", "result": "Đạt" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(
        err["error"]["fields"]["done_on"].is_array()
            && err["error"]["fields"]["assessor"].is_array()
    );
    let body = json!({ "done_on": "2026-11-30", "assessor": "Trung tâm Công nghệ thông tin và Truyền thông", "result": "Không phát hiện lỗ hổng nghiêm trọng", "document_number": "15/BC-TTCNTT", "document_date": "2026-11-30" });
    let (status, done) = json_of(app.post(&path, &token, &body).await).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["state"], "done");
    assert_eq!(done["document_number"], "15/BC-TTCNTT");
    let (status, _) = json_of(app.post(&path, &token, &body).await).await;
    assert_eq!(status, 409, "recorded once");

    let (_, open) = json_of(app.get("/api/v1/assessments?status=open", &token).await).await;
    assert_eq!(open["total"], 1);
    assert_eq!(
        open["items"][0]["due_on"], "2027-05-30",
        "six months after it was done"
    );
    let (_, done_list) = json_of(app.get("/api/v1/assessments?status=done", &token).await).await;
    assert_eq!(done_list["total"], 1);
    let (_, all) = json_of(app.get("/api/v1/assessments?status=all", &token).await).await;
    assert_eq!(all["total"], 2);
    let (status, _) = json_of(app.get("/api/v1/assessments?status=whenever", &token).await).await;
    assert_eq!(status, 422);

    let (_, audit) = json_of(
        app.get("/api/v1/audit?entity_type=assessment&per_page=50", &token)
            .await,
    )
    .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "plan").count(),
        2,
        "{actions:?}"
    );
    assert!(actions.contains(&"complete"));

    // A viewer of another unit neither sees nor completes it.
    let viewer = app
        .add_user(
            "xem.kt@sct.gov.vn",
            capdo::domain::Role::Viewer,
            &app.tree.tech.id,
        )
        .await;
    let (_, none) = json_of(
        app.get("/api/v1/assessments", &app.token_for(&viewer))
            .await,
    )
    .await;
    assert_eq!(none["total"], 0);
    let next = format!(
        "/api/v1/assessments/{}/complete",
        open["items"][0]["id"].as_str().unwrap()
    );
    let (status, _) = json_of(app.post(&next, &app.token_for(&viewer), &body).await).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_decree_85_approval_plans_the_yearly_check_and_the_agency_review() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let (status, s) = json_of(
        app.post(
            "/api/v1/systems",
            &token,
            &filing(&app.tree.office.id, "Cơ sở dữ liệu doanh nghiệp"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{s}");
    let path = format!("/api/v1/systems/{}/approval", s["id"].as_str().unwrap());
    let approval = json!({ "level": 4, "decision_number": "2559/QĐ-UBND", "decision_date": "2026-06-15", "regime": "nd85-2016" });
    let (status, v) = json_of(app.post(&path, &token, &approval).await).await;
    assert_eq!(status, 200, "{v}");
    let (_, list) = json_of(app.get("/api/v1/assessments", &token).await).await;
    assert_eq!(list["total"], 2, "{list}");
    let by_scope = |scope: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["scope"] == scope)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        by_scope("system")["due_on"],
        "2027-06-15",
        "level 4: yearly (Đ20 k2 c)"
    );
    assert_eq!(
        by_scope("agency")["due_on"],
        "2028-06-15",
        "the agency: every 2 years"
    );
    assert_eq!(
        by_scope("agency")["organization_id"],
        app.tree.office.id.as_str()
    );
    // A second approval re-plans the system's check and leaves the agency's cycle alone.
    let again = json!({ "level": 4, "decision_number": "2600/QĐ-UBND", "decision_date": "2026-08-01", "regime": "nd85-2016" });
    let (status, _) = json_of(app.post(&path, &token, &again).await).await;
    assert_eq!(status, 200);
    let (_, list) = json_of(app.get("/api/v1/assessments?status=all", &token).await).await;
    assert_eq!(list["total"], 2);
    let dues: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["due_on"].as_str().unwrap())
        .collect();
    assert_eq!(dues, ["2027-08-01", "2028-06-15"]);
}
