//! The system register on a real database: classification on every change, justified
//! proposals, approvals and re-determination, components, history, scoping, search.

use capdo::domain::Role;
use serde_json::{json, Value};

use crate::support::{error_code, json as json_of, TestApp};

fn portal(name: &str) -> Value {
    json!({
        "name": name,
        "owner_name": "UBND tỉnh Đồng Nai",
        "kind": "portal",
        "urls": ["https://sct.dongnai.gov.vn"],
        "hosting_kind": "provincial_data_center",
        "facts": { "function": "citizen_business", "information": ["public"], "public_service_level": 2 }
    })
}

fn filing_system(name: &str) -> Value {
    json!({
        "name": name,
        "owner_name": "UBND tỉnh Đồng Nai",
        "kind": "public_service_system",
        "facts": { "function": "citizen_business", "information": ["private", "personal"], "public_service_mode": "full_process", "online_filing": true }
    })
}

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    let (status, created) = json_of(app.post("/api/v1/systems", token, body).await).await;
    assert_eq!(status, 201, "{created}");
    created
}

#[tokio::test]
async fn a_new_system_is_classified_and_proposes_its_computed_level() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let body = json!({
        "name": "Cổng thông tin điện tử Sở Công Thương",
        "description": "Cổng thông tin của Sở",
        "owner_name": "UBND tỉnh Đồng Nai",
        "kind": "portal",
        "urls": ["sct.dongnai.gov.vn"],
        "hosting_kind": "provincial_data_center",
        "data_in_vietnam": true,
        "status": "in_operation",
        "go_live_on": "2019-05-01",
        "contact_ids": [app.tree.admin.id],
        "products": [{ "name": "Liferay Portal", "vendor": "Liferay", "version": "7.4" }],
        "facts": { "function": "citizen_business", "information": ["public"], "public_service_level": 2 }
    });
    let system = create(&app, &token, &body).await;
    assert_eq!(system["classification"]["level"], 2);
    // Registered today (after 19/08/2026): Decree 331 is the regime in force.
    assert_eq!(system["classification"]["regime_id"], "nd331-2026");
    assert_eq!(
        system["classification"]["result"]["transition"]["route"],
        "in_force"
    );
    assert!(
        system["classification"]["regime_version"]
            .as_str()
            .unwrap()
            .len()
            >= 12
    );
    assert!(system["classification"]["result"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["rule"] == "nd331.d12.k2.a"));
    assert_eq!(system["proposed_level"], 2);
    assert_eq!(system["below_criteria"], false);
    assert_eq!(
        system["facts"]["kind"], "portal",
        "the record's kind is the facts' kind"
    );
    assert_eq!(system["contacts"][0]["email"], "admin@sct.gov.vn");
    assert_eq!(system["products"][0]["name"], "Liferay Portal");
    assert_eq!(system["urls"][0], "sct.dongnai.gov.vn");

    let id = system["id"].as_str().unwrap();
    let (status, fetched) = json_of(app.get(&format!("/api/v1/systems/{id}"), &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(fetched["name"], "Cổng thông tin điện tử Sở Công Thương");
}

#[tokio::test]
async fn a_lower_proposal_needs_a_written_justification_and_is_marked() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let mut body = filing_system("Hệ thống đăng ký khuyến mại");
    body["proposed_level"] = json!(2);
    let before = app.audit_count().await;
    let (status, err) = json_of(app.post("/api/v1/systems", &token, &body).await).await;
    assert_eq!(status, 422);
    assert!(err["error"]["fields"]["proposal_justification"][0]
        .as_str()
        .unwrap()
        .contains("thấp hơn cấp độ 3"));
    assert_eq!(app.audit_count().await, before, "nothing written");

    body["proposal_justification"] =
        json!("Hệ thống chỉ tiếp nhận hồ sơ thử nghiệm nội bộ trong năm 2026.");
    let system = create(&app, &token, &body).await;
    assert_eq!(system["classification"]["level"], 3);
    assert_eq!(system["proposed_level"], 2);
    assert_eq!(system["below_criteria"], true);
    assert_eq!(
        system["below_criteria_label"],
        "Thấp hơn cấp độ xác định theo tiêu chí"
    );
    let (_, list) = json_of(app.get("/api/v1/systems?below_criteria=true", &token).await).await;
    assert_eq!(list["total"], 1);

    // A higher proposal is allowed, with a note.
    let mut higher = portal("Cổng thông tin Trung tâm Xúc tiến");
    higher["proposed_level"] = json!(3);
    higher["proposal_justification"] = json!("Đề xuất cao hơn do kết nối với hệ thống cấp độ 3.");
    let system = create(&app, &token, &higher).await;
    assert_eq!(system["proposed_level"], 3);
    assert_eq!(system["below_criteria"], false);
}

#[tokio::test]
async fn changed_facts_after_approval_flag_re_determination() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let system = create(&app, &token, &portal("Cổng thông tin điện tử")).await;
    let id = system["id"].as_str().unwrap();
    let approval =
        json!({ "level": 2, "decision_number": "125/QĐ-SCT", "decision_date": "2025-03-10" });
    let (status, approved) = json_of(
        app.post(&format!("/api/v1/systems/{id}/approval"), &token, &approval)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["approved_level"], 2);
    assert_eq!(approved["approval_decision_number"], "125/QĐ-SCT");

    // The portal starts taking files online: level 3 under the criteria.
    let facts = json!({ "facts": { "function": "citizen_business", "information": ["public", "personal"], "public_service_level": 3 } });
    let (status, changed) = json_of(
        app.patch(&format!("/api/v1/systems/{id}"), &token, &facts)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["classification"]["level"], 3);
    assert_eq!(
        changed["proposed_level"], 3,
        "an implicit proposal follows the computed level"
    );
    assert_eq!(changed["redetermination_required"], true);
    assert!(changed["redetermination_reason"]
        .as_str()
        .unwrap()
        .contains("khác cấp độ 2 đã được phê duyệt"));
    let (_, flagged) = json_of(
        app.get("/api/v1/systems?redetermination_required=true", &token)
            .await,
    )
    .await;
    assert_eq!(flagged["total"], 1);

    // An unrelated change keeps the flag; approving the new level clears it.
    let (_, renamed) = json_of(
        app.patch(
            &format!("/api/v1/systems/{id}"),
            &token,
            &json!({ "name": "Cổng dịch vụ công Sở" }),
        )
        .await,
    )
    .await;
    assert_eq!(renamed["redetermination_required"], true);
    let approval =
        json!({ "level": 3, "decision_number": "301/QĐ-UBND", "decision_date": "2026-01-05" });
    let (_, approved) = json_of(
        app.post(&format!("/api/v1/systems/{id}/approval"), &token, &approval)
            .await,
    )
    .await;
    assert_eq!(approved["redetermination_required"], false);

    // History: every change with who, when, before and after.
    let (status, history) = json_of(
        app.get(&format!("/api/v1/systems/{id}/history"), &token)
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let actions: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec!["approve", "update", "update", "approve", "create"]
    );
    let facts_change = &history["items"][2];
    assert_eq!(facts_change["actor_label"], "admin@sct.gov.vn");
    assert_eq!(facts_change["before"]["classification"]["level"], 2);
    assert_eq!(facts_change["after"]["classification"]["level"], 3);
    assert_eq!(facts_change["after"]["redetermination_required"], true);
}

#[tokio::test]
async fn components_raise_the_level_refuse_cycles_and_propagate_changes() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let info = create(&app, &token, &portal("Phân hệ thông tin")).await;
    let filing = create(&app, &token, &filing_system("Phân hệ dịch vụ công")).await;
    let (info_id, filing_id) = (info["id"].as_str().unwrap(), filing["id"].as_str().unwrap());
    let mut whole = portal("Cổng dịch vụ công tích hợp");
    whole["component_ids"] = json!([info_id, filing_id]);
    let whole = create(&app, &token, &whole).await;
    let whole_id = whole["id"].as_str().unwrap();
    assert_eq!(
        whole["classification"]["level"], 3,
        "Đ5 k2: the highest component"
    );
    assert_eq!(
        whole["classification"]["result"]["components"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // No cycles, no self-reference.
    let (status, err) = json_of(
        app.patch(
            &format!("/api/v1/systems/{info_id}"),
            &token,
            &json!({ "component_ids": [whole_id] }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(err["error"]["fields"]["component_ids"][0]
        .as_str()
        .unwrap()
        .contains("vòng lặp"));
    let (status, _) = json_of(
        app.patch(
            &format!("/api/v1/systems/{whole_id}"),
            &token,
            &json!({ "component_ids": [whole_id] }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);

    // The filing module stops taking files online: the composite follows.
    let lower = json!({ "facts": { "function": "citizen_business", "information": ["public"], "public_service_level": 2 } });
    assert_eq!(
        app.patch(&format!("/api/v1/systems/{filing_id}"), &token, &lower)
            .await
            .status(),
        200
    );
    let (_, whole) = json_of(
        app.get(&format!("/api/v1/systems/{whole_id}"), &token)
            .await,
    )
    .await;
    assert_eq!(whole["classification"]["level"], 2);
    let (_, history) = json_of(
        app.get(&format!("/api/v1/systems/{whole_id}/history"), &token)
            .await,
    )
    .await;
    assert_eq!(history["items"][0]["action"], "reclassify");

    // Removing a component re-classifies its parents too.
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/systems/{info_id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.get(&format!("/api/v1/systems/{info_id}"), &token)
            .await
            .status(),
        404
    );
    let (_, whole) = json_of(
        app.get(&format!("/api/v1/systems/{whole_id}"), &token)
            .await,
    )
    .await;
    assert_eq!(whole["component_ids"].as_array().unwrap().len(), 1);
    // Put the filing module back to level 3, then delete it: the composite falls back to level 2.
    let filing_again = json!({ "facts": { "function": "citizen_business", "information": ["private", "personal"], "online_filing": true } });
    assert_eq!(
        app.patch(
            &format!("/api/v1/systems/{filing_id}"),
            &token,
            &filing_again
        )
        .await
        .status(),
        200
    );
    let (_, whole) = json_of(
        app.get(&format!("/api/v1/systems/{whole_id}"), &token)
            .await,
    )
    .await;
    assert_eq!(whole["classification"]["level"], 3);
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/systems/{filing_id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (_, whole) = json_of(
        app.get(&format!("/api/v1/systems/{whole_id}"), &token)
            .await,
    )
    .await;
    assert_eq!(
        whole["classification"]["level"], 2,
        "deleting a component re-classifies its parent"
    );
    assert!(whole["component_ids"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn systems_are_confined_to_the_subtree_for_every_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let hosting = app
        .add_org_external("Công ty Dữ liệu Số", "DLS", &app.tree.office.id)
        .await;
    let mut body = portal("Cổng thông tin Văn phòng");
    body["organization_id"] = json!(app.tree.office.id);
    body["operator_id"] = json!(hosting);
    let system = create(&app, &admin, &body).await;
    let id = system["id"].as_str().unwrap();

    for role in [
        Role::Admin,
        Role::SecurityOfficer,
        Role::Operator,
        Role::Viewer,
    ] {
        let outsider = app
            .add_user(
                &format!("kt-{}@sct.gov.vn", role.as_str()),
                role,
                &app.tree.tech.id,
            )
            .await;
        let token = app.token_for(&outsider);
        assert_eq!(
            app.get(&format!("/api/v1/systems/{id}"), &token)
                .await
                .status(),
            404,
            "{role:?}"
        );
        let (_, list) = json_of(app.get("/api/v1/systems", &token).await).await;
        assert_eq!(list["total"], 0, "{role:?}");
        assert_eq!(
            app.patch(
                &format!("/api/v1/systems/{id}"),
                &token,
                &json!({ "name": "x" })
            )
            .await
            .status(),
            404,
            "{role:?}"
        );
    }

    let viewer = app
        .add_user("xem-vp@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let viewer = app.token_for(&viewer);
    assert_eq!(
        app.get(&format!("/api/v1/systems/{id}"), &viewer)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.patch(
            &format!("/api/v1/systems/{id}"),
            &viewer,
            &json!({ "name": "x" })
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.post("/api/v1/systems", &viewer, &portal("Mới"))
            .await
            .status(),
        403
    );

    // The hosting company's operator sees and updates the system it operates, but cannot move it.
    let operator = app.add_user("vh@dls.vn", Role::Operator, &hosting).await;
    let operator = app.token_for(&operator);
    let (_, list) = json_of(app.get("/api/v1/systems", &operator).await).await;
    assert_eq!(list["total"], 1);
    assert_eq!(
        app.patch(
            &format!("/api/v1/systems/{id}"),
            &operator,
            &json!({ "description": "Máy chủ mới" })
        )
        .await
        .status(),
        200
    );
    let (status, _) = json_of(
        app.patch(
            &format!("/api/v1/systems/{id}"),
            &operator,
            &json!({ "operator_id": null }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    let delete = app
        .client
        .delete(app.url(&format!("/api/v1/systems/{id}")))
        .bearer_auth(&operator)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 403);

    // A security officer registers systems in the own subtree only.
    let officer = app
        .add_user(
            "attt-vp@sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let officer = app.token_for(&officer);
    let mut elsewhere = portal("Hệ thống phòng khác");
    elsewhere["organization_id"] = json!(app.tree.tech.id);
    let (status, err) = json_of(app.post("/api/v1/systems", &officer, &elsewhere).await).await;
    assert_eq!(status, 422);
    assert!(err["error"]["fields"]["organization_id"].is_array());
    let created = create(&app, &officer, &portal("Trang tin Văn phòng")).await;
    assert_eq!(
        created["organization_id"],
        app.tree.office.id.as_str(),
        "defaults to the officer's unit"
    );
}

#[tokio::test]
async fn bad_records_get_field_errors_and_write_nothing() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let before = app.audit_count().await;
    let bad = json!({
        "name": " ",
        "owner_name": "",
        "urls": ["không phải địa chỉ"],
        "facts": { "function": "internal", "information": ["state_secret"] }
    });
    let (status, err) = json_of(app.post("/api/v1/systems", &token, &bad).await).await;
    assert_eq!(status, 422);
    let fields = &err["error"]["fields"];
    for field in ["name", "owner_name", "urls"] {
        assert!(fields[field].is_array(), "{field}: {err}");
    }
    let (status, err) = json_of(app.post("/api/v1/systems", &token, &json!({ "name": "A", "owner_name": "B", "facts": { "function": "internal", "information": ["state_secret"] } })).await).await;
    assert_eq!(status, 422);
    assert!(
        err["error"]["fields"]["facts.state_secret_grade"].is_array(),
        "{err}"
    );
    let (status, err) = json_of(
        app.post(
            "/api/v1/systems",
            &token,
            &json!({ "name": "A", "owner_name": "B", "colour": "đỏ", "facts": {} }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_code(&err), "validation_failed");
    assert_eq!(app.audit_count().await, before);
}

#[tokio::test]
async fn search_ignores_diacritics_and_pages_with_a_total() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    create(
        &app,
        &token,
        &portal("Cổng thông tin điện tử Sở Công Thương"),
    )
    .await;
    let mut db = filing_system("Cơ sở dữ liệu ngành công thương");
    db["urls"] = json!(["https://dlct.dongnai.gov.vn"]);
    create(&app, &token, &db).await;
    for i in 0..7 {
        create(
            &app,
            &token,
            &portal(&format!("Trang thông tin đơn vị {i}")),
        )
        .await;
    }
    let (_, found) = json_of(
        app.get("/api/v1/systems?q=cong%20thong%20tin", &token)
            .await,
    )
    .await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(
        found["items"][0]["name"],
        "Cổng thông tin điện tử Sở Công Thương"
    );
    let (_, by_url) = json_of(app.get("/api/v1/systems?q=dlct.dongnai", &token).await).await;
    assert_eq!(by_url["total"], 1);
    let (_, upper) = json_of(
        app.get(
            "/api/v1/systems?q=C%C6%A0%20S%E1%BB%9E%20D%E1%BB%AE",
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(upper["total"], 1, "case and marks ignored: {upper}");
    // A search's total comes with its page: the same on every page, also past the end.
    let (_, all) = json_of(
        app.get("/api/v1/systems?q=dongnai&per_page=100", &token)
            .await,
    )
    .await;
    let matches = all["total"].as_i64().unwrap();
    assert!(matches >= 2, "{all}");
    assert_eq!(all["items"].as_array().unwrap().len() as i64, matches);
    for (page, items) in [(2, 1), (999, 0)] {
        let (_, one) = json_of(
            app.get(
                &format!("/api/v1/systems?q=dongnai&per_page=1&page={page}"),
                &token,
            )
            .await,
        )
        .await;
        assert_eq!(one["total"], matches, "page {page}: {one}");
        assert_eq!(one["items"].as_array().unwrap().len(), items, "page {page}");
    }

    let (_, page1) = json_of(
        app.get("/api/v1/systems?per_page=4&page=1&sort=name", &token)
            .await,
    )
    .await;
    let (_, page3) = json_of(
        app.get("/api/v1/systems?per_page=4&page=3&sort=name", &token)
            .await,
    )
    .await;
    assert_eq!(page1["total"], 9);
    assert_eq!(page1["items"].as_array().unwrap().len(), 4);
    assert_eq!(page3["items"].as_array().unwrap().len(), 1);
    let (_, by_level) = json_of(
        app.get("/api/v1/systems?sort=-level&per_page=1", &token)
            .await,
    )
    .await;
    assert_eq!(by_level["items"][0]["computed_level"], 3);
    let (_, level2) = json_of(app.get("/api/v1/systems?level=2", &token).await).await;
    assert_eq!(level2["total"], 8);
    assert_eq!(
        app.get("/api/v1/systems?sort=colour", &token)
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn the_list_filters_by_status_kind_and_subtree_searches_descriptions_and_sorts_by_name() {
    use capdo::domain::OrgKind;
    use capdo::services::organizations::{self, OrganizationInput};
    use capdo::services::Actor;

    let app = TestApp::spawn().await;
    let token = app.admin_token();
    // A unit below the office: the office's subtree holds both.
    let parent = app.tree.office.id.clone();
    let team = app
        .state
        .db
        .run(move |conn| {
            organizations::create(
                conn,
                &Actor::console(),
                OrganizationInput {
                    name: "Tổ Công nghệ thông tin".into(),
                    code: "SCT-VP-CNTT".into(),
                    kind: OrgKind::Unit,
                    parent_id: Some(parent),
                },
            )
        })
        .await
        .unwrap()
        .id;

    // Registered out of name order, so that sorting has something to do.
    let mut records = Vec::new();
    for (name, org, kind, status, description) in [
        (
            "Dịch vụ công trực tuyến",
            team.as_str(),
            "public_service_system",
            "planned",
            "Tiếp nhận hồ sơ thông báo khuyến mại",
        ),
        (
            "Bản đồ số ngành",
            app.tree.tech.id.as_str(),
            "portal",
            "retired",
            "Dữ liệu đường dây điện và trạm biến áp",
        ),
        (
            "Cổng thông tin Văn phòng",
            app.tree.office.id.as_str(),
            "portal",
            "in_operation",
            "Máy chủ đặt tại phòng họp tầng hai",
        ),
        (
            "An toàn thông tin nội bộ",
            app.tree.office.id.as_str(),
            "website",
            "in_operation",
            "",
        ),
    ] {
        let mut body = portal(name);
        body["organization_id"] = json!(org);
        body["kind"] = json!(kind);
        body["status"] = json!(status);
        body["description"] = json!(description);
        body["facts"]["kind"] = json!(kind);
        records.push(create(&app, &token, &body).await);
    }
    let names = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let list = |query: String| {
        let app = &app;
        let token = &token;
        async move {
            let (status, body) =
                json_of(app.get(&format!("/api/v1/systems?{query}"), token).await).await;
            assert_eq!(status, 200, "{query}: {body}");
            assert_eq!(
                body["total"].as_u64().unwrap() as usize,
                body["items"].as_array().unwrap().len(),
                "{query}"
            );
            body
        }
    };

    // Status.
    assert_eq!(
        names(&list("status=planned".into()).await),
        ["Dịch vụ công trực tuyến"]
    );
    assert_eq!(
        names(&list("status=retired".into()).await),
        ["Bản đồ số ngành"]
    );
    assert_eq!(
        names(&list("status=in_operation&sort=name".into()).await),
        ["An toàn thông tin nội bộ", "Cổng thông tin Văn phòng"]
    );
    // Kind.
    assert_eq!(
        names(&list("kind=portal&sort=name".into()).await),
        ["Bản đồ số ngành", "Cổng thông tin Văn phòng"]
    );
    assert_eq!(
        names(&list("kind=public_service_system".into()).await),
        ["Dịch vụ công trực tuyến"]
    );
    // Organisation: the whole subtree, not just the unit itself.
    assert_eq!(
        names(&list(format!("organization_id={}&sort=name", app.tree.office.id)).await),
        [
            "An toàn thông tin nội bộ",
            "Cổng thông tin Văn phòng",
            "Dịch vụ công trực tuyến"
        ]
    );
    assert_eq!(
        names(&list(format!("organization_id={team}")).await),
        ["Dịch vụ công trực tuyến"]
    );
    assert_eq!(
        names(&list(format!("organization_id={}", app.tree.tech.id)).await),
        ["Bản đồ số ngành"]
    );
    // Filters combine.
    assert_eq!(
        names(
            &list(format!(
                "organization_id={}&kind=portal&status=in_operation",
                app.tree.office.id
            ))
            .await
        ),
        ["Cổng thông tin Văn phòng"]
    );
    // Search reaches the description, without marks, with đ typed as d.
    assert_eq!(
        names(&list("q=phong%20hop%20tang%20hai".into()).await),
        ["Cổng thông tin Văn phòng"]
    );
    assert_eq!(
        names(&list("q=duong%20day%20dien".into()).await),
        ["Bản đồ số ngành"]
    );
    assert_eq!(
        names(&list("q=thong%20bao%20khuyen%20mai".into()).await),
        ["Dịch vụ công trực tuyến"]
    );
    // Sorting by name really orders, both ways.
    let ascending = [
        "An toàn thông tin nội bộ",
        "Bản đồ số ngành",
        "Cổng thông tin Văn phòng",
        "Dịch vụ công trực tuyến",
    ];
    assert_eq!(names(&list("sort=name".into()).await), ascending);
    let mut descending = ascending;
    descending.reverse();
    assert_eq!(names(&list("sort=-name".into()).await), descending);
    assert_eq!(
        app.get("/api/v1/systems?status=closed", &token)
            .await
            .status(),
        400,
        "an unknown status is refused"
    );
}

#[tokio::test]
async fn only_managers_of_the_subtree_record_an_approval() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let company = app
        .add_org_external("Công ty Vận hành", "CT-VH", &app.tree.office.id)
        .await;
    let mut body = portal("Cổng thông tin Văn phòng");
    body["organization_id"] = json!(app.tree.office.id);
    body["operator_id"] = json!(company);
    let system = create(&app, &admin, &body).await;
    let path = format!(
        "/api/v1/systems/{}/approval",
        system["id"].as_str().unwrap()
    );
    let approval =
        json!({ "level": 2, "decision_number": "88/QĐ-SCT", "decision_date": "2026-03-02" });

    let office = app.tree.office.id.clone();
    let tech = app.tree.tech.id.clone();
    for (email, role, org, expected) in [
        ("vh-vp@sct.gov.vn", Role::Operator, office.as_str(), 403),
        ("xem-vp@sct.gov.vn", Role::Viewer, office.as_str(), 403),
        ("vh@ctvh.vn", Role::Operator, company.as_str(), 403),
        (
            "attt-kt@sct.gov.vn",
            Role::SecurityOfficer,
            tech.as_str(),
            404,
        ),
        ("qt-kt@sct.gov.vn", Role::Admin, tech.as_str(), 404),
    ] {
        let user = app.add_user(email, role, org).await;
        let (status, err) = json_of(app.post(&path, &app.token_for(&user), &approval).await).await;
        assert_eq!(status, expected, "{email}: {err}");
        error_code(&err);
    }
    let (_, unchanged) = json_of(
        app.get(
            &format!("/api/v1/systems/{}", system["id"].as_str().unwrap()),
            &admin,
        )
        .await,
    )
    .await;
    assert!(
        unchanged["approved_level"].is_null(),
        "nothing recorded: {unchanged}"
    );

    let officer = app
        .add_user("attt-vp@sct.gov.vn", Role::SecurityOfficer, &office)
        .await;
    let (status, approved) =
        json_of(app.post(&path, &app.token_for(&officer), &approval).await).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["approved_level"], 2);
    assert_eq!(approved["approval_decision_number"], "88/QĐ-SCT");
}
