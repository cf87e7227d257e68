//! List totals come from trigger-kept tallies: after creates, updates that move a system
//! between filters, and deletes, every total equals the rows the list really returns.

use capdo::domain::Role;
use serde_json::{json, Value};

use crate::support::{json as json_of, TestApp};

fn system(name: &str, org: &str, kind: &str, facts: Value) -> Value {
    json!({
        "name": name,
        "organization_id": org,
        "owner_name": "UBND tỉnh Đồng Nai",
        "kind": kind,
        "facts": facts,
    })
}

fn level2() -> Value {
    json!({ "function": "citizen_business", "information": ["public"], "public_service_level": 2 })
}

fn level3() -> Value {
    json!({ "function": "citizen_business", "information": ["private", "personal"],
            "public_service_mode": "full_process", "online_filing": true })
}

async fn create(app: &TestApp, token: &str, body: Value) -> String {
    let (status, created) = json_of(app.post("/api/v1/systems", token, &body).await).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_string()
}

/// The total of a list and the number of rows it returns on one large page.
async fn total_and_rows(app: &TestApp, token: &str, query: &str) -> (i64, i64) {
    let (status, list) = json_of(
        app.get(&format!("/api/v1/systems?per_page=100&{query}"), token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{query}: {list}");
    (
        list["total"].as_i64().unwrap(),
        list["items"].as_array().unwrap().len() as i64,
    )
}

#[tokio::test]
async fn list_totals_follow_creates_moves_and_deletes() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let office = app.tree.office.id.clone();
    let tech = app.tree.tech.id.clone();
    let host = app
        .add_org_external("Công ty Lưu trữ Số", "LTS", &office)
        .await;

    let kept = create(&app, &admin, system("Cổng A", &office, "portal", level2())).await;
    let gone = create(&app, &admin, system("Cổng B", &office, "portal", level2())).await;
    create(
        &app,
        &admin,
        system("Trang C", &office, "website", level2()),
    )
    .await;
    let moved = create(
        &app,
        &admin,
        system("Dịch vụ D", &tech, "public_service_system", level3()),
    )
    .await;
    create(
        &app,
        &admin,
        system("Dịch vụ E", &tech, "public_service_system", level3()),
    )
    .await;
    // Owned by the technical centre, operated by the office's hosting company: the office's
    // subtree sees it although no tally of the office holds it.
    let mut operated = system("Cổng F", &tech, "portal", level2());
    operated["operator_id"] = json!(host);
    create(&app, &admin, operated).await;

    // Moves between filters: level 3 → 2, in operation → retired, office → tech; one deleted.
    let (status, _) = json_of(
        app.patch(
            &format!("/api/v1/systems/{moved}"),
            &admin,
            &json!({ "facts": level2() }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = json_of(
        app.patch(
            &format!("/api/v1/systems/{kept}"),
            &admin,
            &json!({ "status": "retired" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/systems/{gone}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);

    let officer = app
        .add_user("ct-vp@sct.gov.vn", Role::SecurityOfficer, &office)
        .await;
    let officer = app.token_for(&officer);
    let queries = [
        String::new(),
        "level=2".into(),
        "level=3".into(),
        "status=in_operation".into(),
        "status=retired".into(),
        "kind=portal".into(),
        "kind=public_service_system".into(),
        format!("organization_id={office}"),
        format!("organization_id={tech}"),
        format!("organization_id={tech}&kind=portal"),
        "redetermination_required=false".into(),
        "below_criteria=false&level=2".into(),
    ];
    for (who, token) in [("root admin", &admin), ("office officer", &officer)] {
        for query in &queries {
            let (total, rows) = total_and_rows(&app, token, query).await;
            assert_eq!(
                total, rows,
                "{who}, ?{query}: total {total} but {rows} rows"
            );
        }
    }
    assert_eq!(total_and_rows(&app, &admin, "").await.0, 5);
    assert_eq!(total_and_rows(&app, &admin, "level=3").await.0, 1);
    assert_eq!(total_and_rows(&app, &admin, "status=retired").await.0, 1);
    // A, C and the operated F.
    assert_eq!(total_and_rows(&app, &officer, "").await.0, 3);
    assert_eq!(total_and_rows(&app, &officer, "kind=portal").await.0, 2);
    // An unknown organisation holds nothing.
    assert_eq!(
        total_and_rows(&app, &admin, "organization_id=khong-co")
            .await
            .0,
        0
    );
}
