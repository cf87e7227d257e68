//! Every role sees only its organisation subtree; another subtree's record answers 404.

use capdo::domain::Role;
use serde_json::json;

use crate::support::{error_code, json, TestApp, PASSWORD};

fn ids(body: &serde_json::Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn admin_at_the_root_sees_the_whole_tree() {
    let app = TestApp::spawn().await;
    let (status, body) = json(app.get("/api/v1/organizations", &app.admin_token()).await).await;
    assert_eq!(status, 200);
    let found = ids(&body);
    for org in [&app.tree.root, &app.tree.office, &app.tree.tech] {
        assert!(found.contains(&org.id), "{} missing", org.code);
    }
    assert_eq!(
        body["items"][0]["id"],
        app.tree.root.id.as_str(),
        "parents come first"
    );
}

#[tokio::test]
async fn every_non_root_role_is_confined_to_its_subtree() {
    let app = TestApp::spawn().await;
    let tech_user = app
        .add_user("kt@sct.gov.vn", Role::Viewer, &app.tree.tech.id)
        .await;
    for (email, role) in [
        ("admin-vp@sct.gov.vn", Role::Admin),
        ("attt-vp@sct.gov.vn", Role::SecurityOfficer),
        ("vh-vp@sct.gov.vn", Role::Operator),
        ("xem-vp@sct.gov.vn", Role::Viewer),
    ] {
        let user = app.add_user(email, role, &app.tree.office.id).await;
        let token = app.token_for(&user);

        let (status, body) = json(app.get("/api/v1/organizations", &token).await).await;
        assert_eq!(status, 200);
        assert_eq!(
            ids(&body),
            vec![app.tree.office.id.clone()],
            "{role:?} sees only its unit"
        );

        for path in [
            format!("/api/v1/organizations/{}", app.tree.tech.id),
            format!("/api/v1/organizations/{}", app.tree.root.id),
            format!("/api/v1/users/{}", tech_user.id),
            format!("/api/v1/users/{}", app.tree.admin.id),
        ] {
            let (status, body) = json(app.get(&path, &token).await).await;
            assert_eq!(status, 404, "{role:?} must not see {path}");
            assert_eq!(error_code(&body), "not_found");
        }
        // The same answer as for an id that does not exist at all.
        let (status, _) = json(app.get("/api/v1/users/khong-ton-tai", &token).await).await;
        assert_eq!(status, 404);

        let (status, body) = json(app.get("/api/v1/users", &token).await).await;
        assert_eq!(status, 200);
        for item in body["items"].as_array().unwrap() {
            assert_eq!(
                item["organization_id"],
                app.tree.office.id.as_str(),
                "{role:?} listed an outside user"
            );
        }
        let patched = app
            .patch(
                &format!("/api/v1/users/{}", tech_user.id),
                &token,
                &json!({ "full_name": "Đổi tên" }),
            )
            .await;
        assert_eq!(
            patched.status(),
            404,
            "{role:?} must not change an outside user"
        );
    }
}

#[tokio::test]
async fn viewers_and_operators_cannot_manage_organisations_or_accounts() {
    let app = TestApp::spawn().await;
    for (email, role) in [
        ("xem@sct.gov.vn", Role::Viewer),
        ("vh@sct.gov.vn", Role::Operator),
    ] {
        let user = app.add_user(email, role, &app.tree.office.id).await;
        let token = app.token_for(&user);
        let org = json!({ "name": "Nhà cung cấp", "code": "NCC", "kind": "external", "parent_id": app.tree.office.id });
        let (status, body) = json(app.post("/api/v1/organizations", &token, &org).await).await;
        assert_eq!(status, 403, "{role:?}");
        assert_eq!(error_code(&body), "forbidden");
        let account = json!({ "email": "moi@sct.gov.vn", "full_name": "Mới", "role": "viewer", "organization_id": app.tree.office.id, "password": PASSWORD });
        assert_eq!(
            app.post("/api/v1/users", &token, &account).await.status(),
            403,
            "{role:?}"
        );
        assert_eq!(
            app.get("/api/v1/audit", &token).await.status(),
            403,
            "{role:?}"
        );
    }
}

#[tokio::test]
async fn security_officers_manage_operators_and_outside_companies_in_their_subtree_only() {
    let app = TestApp::spawn().await;
    let officer = app
        .add_user(
            "attt@sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let token = app.token_for(&officer);

    let hosting = json!({ "name": "Công ty Cổ phần Dữ liệu Số", "code": "DLS", "kind": "external", "parent_id": app.tree.office.id });
    let (status, created) = json(app.post("/api/v1/organizations", &token, &hosting).await).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["kind"], "external");
    assert_eq!(created["depth"], 2);

    let unit = json!({ "name": "Tổ Tin học", "code": "SCT-TH", "kind": "unit", "parent_id": app.tree.office.id });
    assert_eq!(
        app.post("/api/v1/organizations", &token, &unit)
            .await
            .status(),
        403
    );

    let operator = json!({ "email": "vanhanh@dls.vn", "full_name": "Lê Văn Vận", "role": "operator", "organization_id": created["id"], "password": PASSWORD });
    assert_eq!(
        app.post("/api/v1/users", &token, &operator).await.status(),
        201
    );

    let admin = json!({ "email": "qt2@sct.gov.vn", "full_name": "Quản trị 2", "role": "admin", "organization_id": app.tree.office.id, "password": PASSWORD });
    assert_eq!(
        app.post("/api/v1/users", &token, &admin).await.status(),
        403,
        "no escalation"
    );

    let elsewhere = json!({ "email": "kt2@sct.gov.vn", "full_name": "Kỹ thuật", "role": "viewer", "organization_id": app.tree.tech.id, "password": PASSWORD });
    let (status, body) = json(app.post("/api/v1/users", &token, &elsewhere).await).await;
    assert_eq!(
        status, 422,
        "an outside organisation is as unknown as a missing one"
    );
    assert!(body["error"]["fields"]["organization_id"].is_array());

    let outside_parent = json!({ "name": "Nhà thầu", "code": "NT", "kind": "external", "parent_id": app.tree.tech.id });
    let (status, body) = json(
        app.post("/api/v1/organizations", &token, &outside_parent)
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["parent_id"].is_array());
}

#[tokio::test]
async fn admins_build_and_reshape_the_tree() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let (status, team) = json(
        app.post("/api/v1/organizations", &token, &json!({ "name": "Tổ Hạ tầng", "code": "sct-ht", "kind": "unit", "parent_id": app.tree.tech.id }))
            .await,
    )
    .await;
    assert_eq!(status, 201, "{team}");
    assert_eq!(team["code"], "SCT-HT", "codes are upper-cased");
    let team_id = team["id"].as_str().unwrap();

    // Move Phòng Kỹ thuật (with its team) under Văn phòng; a user there follows.
    let user = app.add_user("ht@sct.gov.vn", Role::Viewer, team_id).await;
    let moved = app
        .patch(
            &format!("/api/v1/organizations/{}", app.tree.tech.id),
            &token,
            &json!({ "parent_id": app.tree.office.id }),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let office_admin = app
        .add_user("qt-vp@sct.gov.vn", Role::Admin, &app.tree.office.id)
        .await;
    let office_token = app.token_for(&office_admin);
    assert_eq!(
        app.get(&format!("/api/v1/organizations/{team_id}"), &office_token)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{}", user.id), &office_token)
            .await
            .status(),
        200
    );

    // A cycle is refused.
    let (status, body) = json(
        app.patch(
            &format!("/api/v1/organizations/{}", app.tree.office.id),
            &token,
            &json!({ "parent_id": team_id }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["parent_id"][0]
        .as_str()
        .unwrap()
        .contains("cấp dưới"));
    // An outside company cannot hold units.
    let (_, ext) = json(
        app.post("/api/v1/organizations", &token, &json!({ "name": "Nhà cung cấp", "code": "NCC", "kind": "external", "parent_id": app.tree.root.id }))
            .await,
    )
    .await;
    let (status, _) = json(
        app.post("/api/v1/organizations", &token, &json!({ "name": "Chi nhánh", "code": "NCC-CN", "kind": "unit", "parent_id": ext["id"] }))
            .await,
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn search_ignores_diacritics() {
    let app = TestApp::spawn().await;
    let (_, body) = json(
        app.get("/api/v1/organizations?q=van%20phong", &app.admin_token())
            .await,
    )
    .await;
    assert_eq!(ids(&body), vec![app.tree.office.id.clone()]);
    app.add_user(
        "tran.thi.binh@sct.gov.vn",
        Role::Viewer,
        &app.tree.office.id,
    )
    .await;
    let (_, body) = json(
        app.get("/api/v1/users?q=nguoi%20dung%20tran", &app.admin_token())
            .await,
    )
    .await;
    assert_eq!(body["total"], 1, "{body}");
}

#[tokio::test]
async fn nobody_can_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let (status, body) = json(
        app.patch(
            &format!("/api/v1/users/{}", app.tree.admin.id),
            &app.admin_token(),
            &json!({ "active": false }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(error_code(&body), "conflict");
}
