//! The agency's own assessment intervals: set where the pack allows it (with a reason, audited), inherited by the subtree, used when planning on approval and on completion; fixed defaults refused.

use capdo::domain::Role;
use serde_json::{json, Value};

use super::{filing, under_appraisal};
use crate::dossiers::{complete, ok_step};
use crate::support::{json as json_of, TestApp};

async fn put(app: &TestApp, token: &str, org: &str, body: Value) -> (u16, Value) {
    json_of(
        app.client
            .put(app.url(&format!("/api/v1/organizations/{org}/assessment-intervals")))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn agency_intervals_apply_to_the_subtree_where_the_pack_allows_them() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let (root, office) = (app.tree.root.id.clone(), app.tree.office.id.clone());
    let reason = "Kết quả đánh giá rủi ro năm 2026: rủi ro cao";

    // Refused: the agency-wide review is fixed by Decree 85, a short reason, too many months.
    let (status, err) = put(
        &app,
        &token,
        &root,
        json!([{ "scope": "agency", "every_months": 12, "reason": reason }]),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["code"], "validation_failed");
    assert!(
        err["error"]["fields"]["items[0].every_months"][0]
            .as_str()
            .unwrap()
            .contains("không được điều chỉnh"),
        "{err}"
    );
    let (status, err) = put(
        &app,
        &token,
        &root,
        json!([{ "scope": "system", "level": 3, "every_months": 61, "reason": "ngắn" }]),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    let fields = &err["error"]["fields"];
    assert!(fields["items[0].every_months"].is_array() && fields["items[0].reason"].is_array());
    let viewer = app.add_user("xem@sct.gov.vn", Role::Viewer, &root).await;
    let (status, _) = put(&app, &app.token_for(&viewer), &root, json!([])).await;
    assert_eq!(status, 403);

    let (status, set) = put(
        &app,
        &token,
        &root,
        json!([
            { "scope": "system", "level": 3, "every_months": 4, "reason": reason },
            { "scope": "system", "level": 4, "every_months": 3, "reason": reason }
        ]),
    )
    .await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["items"].as_array().unwrap().len(), 2);
    assert_eq!(set["items"][0]["inherited"], false);
    let (status, below) = json_of(
        app.get(
            &format!("/api/v1/organizations/{office}/assessment-intervals"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{below}");
    assert_eq!(below["items"][0]["inherited"], true, "{below}");
    assert_eq!(below["items"][0]["organization_id"], root.as_str());
    assert!(below["defaults"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["regime_id"] == "nd85-2016" && d["adjustable"] == false));

    // A level-3 dossier of the office under Decree 331, approved on 20/11/2026: four months.
    let d = under_appraisal(
        &app,
        &token,
        filing(&office, "Hệ thống một cửa"),
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
    let (_, list) = json_of(app.get("/api/v1/assessments", &token).await).await;
    assert_eq!(list["total"], 1, "{list}");
    let a = &list["items"][0];
    assert_eq!(a["due_on"], "2027-03-20", "{a}");
    assert_eq!(a["interval_months"], 4);
    assert_eq!(
        a["interval_source"],
        format!("do cơ quan điều chỉnh: {reason}")
    );
    assert!(a["citation"].as_str().unwrap().contains("Điều 28 khoản 5"));
    // Completion plans the next one with the same interval.
    let path = format!("/api/v1/assessments/{}/complete", a["id"].as_str().unwrap());
    let body = json!({ "done_on": "2026-11-30", "assessor": "Trung tâm Công nghệ thông tin và Truyền thông", "result": "Đạt" });
    let (status, done) = json_of(app.post(&path, &token, &body).await).await;
    assert_eq!(status, 200, "{done}");
    let (_, open) = json_of(app.get("/api/v1/assessments?status=open", &token).await).await;
    assert_eq!(open["items"][0]["due_on"], "2027-03-30", "{open}");

    // The web page says which interval applied.
    crate::web_dossiers::sign_in(&app).await;
    let html = crate::web_dossiers::page(&app, "/assessments").await;
    assert!(
        html.contains(&format!("Chu kỳ 4 tháng, do cơ quan điều chỉnh: {reason}")),
        "{html}"
    );

    // Decree 85 fixes level 4 at a year: the agency's setting does not apply.
    let (status, s) = json_of(
        app.post(
            "/api/v1/systems",
            &token,
            &filing(&office, "Cơ sở dữ liệu doanh nghiệp"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{s}");
    let approval = json!({ "level": 4, "decision_number": "2559/QĐ-UBND", "decision_date": "2026-06-15", "regime": "nd85-2016" });
    let (status, v) = json_of(
        app.post(
            &format!("/api/v1/systems/{}/approval", s["id"].as_str().unwrap()),
            &token,
            &approval,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (_, open) = json_of(app.get("/api/v1/assessments?status=open", &token).await).await;
    let fixed = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["system_id"] == s["id"])
        .expect("planned");
    assert_eq!(fixed["due_on"], "2027-06-15", "{fixed}");
    assert_eq!(fixed["interval_source"], "theo bộ quy tắc");

    // The office's own setting hides the inherited one; an empty list goes back to it.
    let own = "Đơn vị vận hành tự đánh giá rủi ro thấp hơn";
    let (status, v) = put(
        &app,
        &token,
        &office,
        json!([{ "scope": "system", "level": 3, "every_months": 8, "reason": own }]),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let level3 = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["level"] == 3)
        .unwrap();
    assert_eq!(
        (level3["every_months"].as_i64(), &level3["inherited"]),
        (Some(8), &json!(false))
    );
    let (status, _) = put(&app, &token, &office, json!([])).await;
    assert_eq!(status, 200);

    let (_, audit) = json_of(
        app.get("/api/v1/audit?entity_type=assessment_intervals", &token)
            .await,
    )
    .await;
    assert_eq!(audit["total"], 3, "{audit}");
}
