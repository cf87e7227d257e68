//! The web UI shell: login page, home page, logout, security headers, CSRF, assets.

use crate::support::{TestApp, PASSWORD, ROOT_EMAIL};

fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

async fn login_page(app: &TestApp) -> String {
    let res = app.client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn submit_login(app: &TestApp, csrf: &str, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf),
            ("email", email),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap()
}

/// Signs in through the login form; returns the page's CSRF token.
async fn sign_in(app: &TestApp, email: &str) -> String {
    let csrf = csrf_from(&login_page(app).await);
    assert_eq!(
        submit_login(app, &csrf, email, PASSWORD).await.status(),
        303
    );
    csrf
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = TestApp::spawn().await;
    for path in [
        "/login",
        "/",
        "/api/v1/me",
        "/healthz",
        "/static/css/capdo.css",
        "/khong-co",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
    }
}

#[tokio::test]
async fn the_login_page_is_vietnamese_and_a_failed_login_keeps_the_email() {
    let app = TestApp::spawn().await;
    let html = login_page(&app).await;
    assert!(html.contains("<html lang=\"vi\""));
    assert!(html.contains("Đăng nhập"));
    assert!(!html.contains("<script>"), "no inline scripts");
    let csrf = csrf_from(&html);

    let res = submit_login(&app, &csrf, "An.Nguyen@SCT.gov.vn", "sai-mat-khau-roi").await;
    assert_eq!(res.status(), 401);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("value=\"An.Nguyen@SCT.gov.vn\""),
        "the typed email is kept"
    );
    assert!(html.contains("mật khẩu không đúng"));
    assert!(
        !html.contains("sai-mat-khau-roi"),
        "the password is never echoed"
    );
}

#[tokio::test]
async fn login_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    // No cookie yet and a made-up token.
    let res = submit_login(
        &app,
        "forged-token-forged-token-forged-token",
        ROOT_EMAIL,
        PASSWORD,
    )
    .await;
    assert_eq!(res.status(), 403);
    assert!(res
        .headers()
        .get("set-cookie")
        .is_none_or(|c| !c.to_str().unwrap().contains("capdo_session")));
    // With the page's cookie but a different token.
    login_page(&app).await;
    let res = submit_login(
        &app,
        "forged-token-forged-token-forged-token",
        ROOT_EMAIL,
        PASSWORD,
    )
    .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn login_home_and_logout_with_the_session_cookie() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));

    let csrf = csrf_from(&login_page(&app).await);
    let res = submit_login(&app, &csrf, ROOT_EMAIL, PASSWORD).await;
    assert_eq!(res.status(), 303);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("capdo_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let home = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(html.contains("Xin chào, Nguyễn Văn An"));
    assert!(html.contains("Sở Công Thương"));

    // The cookie also authenticates API reads…
    assert_eq!(
        app.client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // …but a state-changing API call through the cookie needs the CSRF header.
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // Logout without the form token is refused, with it the session ends.
    let res = app
        .client
        .post(app.url("/logout"))
        .form(&[("csrf_token", "sai")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let csrf = csrf_from(&html);
    let res = app
        .client
        .post(app.url("/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login");
    assert_eq!(
        app.client.get(app.url("/")).send().await.unwrap().status(),
        303
    );
}

#[tokio::test]
async fn cookie_authenticated_api_writes_pass_with_the_csrf_header() {
    let app = TestApp::spawn().await;
    let csrf = sign_in(&app, ROOT_EMAIL).await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn only_local_redirects_are_followed_after_login() {
    let app = TestApp::spawn().await;
    let csrf = csrf_from(&login_page(&app).await);
    let res = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", ROOT_EMAIL),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/");
}

#[tokio::test]
async fn assets_are_embedded_with_etags() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/static/js/htmx.min.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let again = app
        .client
        .get(app.url("/static/js/htmx.min.js"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(
        app.client
            .get(app.url("/static/khong-co.css"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn unknown_pages_get_a_vietnamese_html_404() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/khong-co-trang-nay"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(res.text().await.unwrap().contains("Không tìm thấy"));
}

#[tokio::test]
async fn a_signed_in_404_keeps_the_navigation() {
    let app = TestApp::spawn().await;
    sign_in(&app, ROOT_EMAIL).await;
    let res = app
        .client
        .get(app.url("/khong-co-trang-nay"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Nguyễn Văn An") && html.contains("Đăng xuất"),
        "{html}"
    );
}

#[tokio::test]
async fn api_docs_without_the_slash_redirect() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/api/docs/");
}

#[tokio::test]
async fn the_edit_page_follows_the_service_rule_on_who_may_edit() {
    use capdo::domain::Role;
    let app = TestApp::spawn().await;
    let body = serde_json::json!({ "name": "Cổng thông tin", "owner_name": "UBND tỉnh", "organization_id": app.tree.office.id,
        "facts": { "function": "citizen_business", "information": ["public"] } });
    let res = app.post("/api/v1/systems", &app.admin_token(), &body).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // An operator of the office, whose unit does not operate this system, may read but not edit.
    app.add_user("vh-vp@sct.gov.vn", Role::Operator, &app.tree.office.id)
        .await;
    sign_in(&app, "vh-vp@sct.gov.vn").await;
    let detail = app
        .client
        .get(app.url(&format!("/systems/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(detail.status(), 200);
    assert!(
        !detail
            .text()
            .await
            .unwrap()
            .contains(&format!("/systems/{id}/edit")),
        "no edit button"
    );
    assert_eq!(
        app.client
            .get(app.url(&format!("/systems/{id}/edit")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

/// The row of the register table that links to the system named `name`.
fn list_row<'a>(html: &'a str, name: &str) -> &'a str {
    html.split("<tr>")
        .find(|row| row.contains(&format!(">{name}</a>")))
        .unwrap_or_else(|| panic!("no row for {name}: {html}"))
}

#[tokio::test]
async fn the_seed_example_shows_its_five_levels_and_their_clauses_in_the_web_ui() {
    let app = TestApp::spawn().await;
    let rules = app.state.rules.clone();
    let root = app.tree.root.id.clone();
    let seeded = app
        .state
        .db
        .run(move |conn| {
            let org = capdo::repo::organizations::find(conn, &root)?
                .ok_or_else(capdo::error::AppError::not_found)?;
            capdo::services::demo::seed_example(
                conn,
                &rules,
                &org,
                capdo::rules::today_in_vietnam(),
            )
        })
        .await
        .unwrap();
    assert_eq!(seeded.len(), 5);

    sign_in(&app, ROOT_EMAIL).await;
    let res = app.client.get(app.url("/systems")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Tìm thấy <strong>5</strong> hệ thống"),
        "{html}"
    );
    for (name, level) in [
        ("Cổng thông tin điện tử Sở Công Thương", 2),
        ("Cơ sở dữ liệu ngành Công Thương", 3),
        ("Hệ thống đăng ký khuyến mại", 3),
        ("Trang thông tin điện tử Trung tâm Xúc tiến Thương mại", 2),
        ("Trang thông tin điện tử Trung tâm Khuyến công", 2),
    ] {
        let row = list_row(&html, name);
        assert!(
            row.contains(&format!("badge-level-{level}\">Cấp độ {level}</span>")),
            "{name} is level {level}: {row}"
        );
    }

    // The detail page cites every clause the stored classification matched.
    let token = app.admin_token();
    let (_, found) = crate::support::json(
        app.get("/api/v1/systems?q=dang%20ky%20khuyen%20mai", &token)
            .await,
    )
    .await;
    let id = found["items"][0]["id"].as_str().unwrap().to_string();
    let (_, system) =
        crate::support::json(app.get(&format!("/api/v1/systems/{id}"), &token).await).await;
    let matched = system["classification"]["result"]["matched"]
        .as_array()
        .unwrap()
        .clone();
    assert!(!matched.is_empty(), "{system}");
    let res = app
        .client
        .get(app.url(&format!("/systems/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let detail = res.text().await.unwrap();
    assert!(
        detail.contains("badge-level-3 badge-large\">Cấp độ 3</span>"),
        "{detail}"
    );
    for m in matched {
        let citation = m["citation"].as_str().unwrap();
        assert!(citation.contains("Điều"), "{citation}");
        assert!(
            detail.contains(&format!("<cite class=\"citation\">{citation}</cite>")),
            "{citation} not on the page"
        );
    }
}

#[tokio::test]
async fn home_counts_flagged_systems_and_the_detail_page_shows_components_and_flags() {
    use serde_json::json;
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let create = |body: serde_json::Value| {
        let (app, token) = (&app, &token);
        async move {
            let (status, created) =
                crate::support::json(app.post("/api/v1/systems", token, &body).await).await;
            assert_eq!(status, 201, "{created}");
            created["id"].as_str().unwrap().to_string()
        }
    };
    let portal_facts = json!({ "function": "citizen_business", "information": ["public"], "public_service_level": 2 });
    let part = create(
        json!({ "name": "Phân hệ tin tức", "owner_name": "UBND tỉnh Đồng Nai",
        "facts": portal_facts }),
    )
    .await;
    let whole = create(
        json!({ "name": "Cổng thông tin tích hợp", "owner_name": "UBND tỉnh Đồng Nai",
        "component_ids": [part], "facts": portal_facts }),
    )
    .await;
    let lower = create(json!({ "name": "Hệ thống đăng ký khuyến mại", "owner_name": "UBND tỉnh Đồng Nai",
        "proposed_level": 2,
        "proposal_justification": "Hệ thống chỉ tiếp nhận hồ sơ thử nghiệm nội bộ trong năm 2026.",
        "facts": { "function": "citizen_business", "information": ["private", "personal"], "online_filing": true } }))
    .await;

    sign_in(&app, ROOT_EMAIL).await;
    let home = |app: &TestApp| {
        let client = app.client.clone();
        let url = app.url("/");
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(
        home(&app)
            .await
            .contains("Không có hệ thống nào cần xác định lại cấp độ"),
        "nothing flagged yet"
    );

    // Approved at level 2, then the portal starts taking files online: level 3.
    let approval =
        json!({ "level": 2, "decision_number": "125/QĐ-SCT", "decision_date": "2025-03-10" });
    let res = app
        .post(
            &format!("/api/v1/systems/{whole}/approval"),
            &token,
            &approval,
        )
        .await;
    assert_eq!(res.status(), 200);
    let facts = json!({ "facts": { "function": "citizen_business", "information": ["public", "personal"], "public_service_level": 3 } });
    let (_, changed) = crate::support::json(
        app.patch(&format!("/api/v1/systems/{whole}"), &token, &facts)
            .await,
    )
    .await;
    assert_eq!(changed["redetermination_required"], true, "{changed}");

    let html = home(&app).await;
    let count = html
        .split("id=\"redetermination-count\"")
        .nth(1)
        .expect("the count")
        .split("</p>")
        .next()
        .unwrap();
    assert!(
        count.contains("<strong>1</strong> hệ thống cần xác định lại cấp độ"),
        "{count}"
    );

    // The flagged composite: the flag with its reason, and its component.
    let detail = app
        .client
        .get(app.url(&format!("/systems/{whole}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let flag = detail
        .split("id=\"redetermination\"")
        .nth(1)
        .expect("the re-determination flag")
        .split("</div>")
        .next()
        .unwrap();
    assert!(flag.contains("Cần xác định lại cấp độ"), "{flag}");
    assert!(flag.contains("khác cấp độ 2 đã được phê duyệt"), "{flag}");
    let related = detail
        .split("id=\"sec-related\"")
        .nth(1)
        .expect("the components section")
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        related.contains(&format!("<a href=\"/systems/{part}\">Phân hệ tin tức</a>")),
        "{related}"
    );
    assert!(!detail.contains("id=\"below-criteria\""));

    // The system proposed below its criteria carries the full label on its page and in the list.
    let detail = app
        .client
        .get(app.url(&format!("/systems/{lower}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(detail.contains("id=\"below-criteria\""), "{detail}");
    assert!(!detail.contains("id=\"redetermination\""));
    let list = app
        .client
        .get(app.url("/systems"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = list_row(&list, "Hệ thống đăng ký khuyến mại");
    assert!(
        row.contains("badge-flag\">Thấp hơn cấp độ xác định theo tiêu chí</span>"),
        "{row}"
    );
    assert!(list_row(&list, "Cổng thông tin tích hợp").contains("Cần xác định lại"));
    assert!(
        !list.contains("Thấp hơn tiêu chí"),
        "never the short wording"
    );
    assert!(list.contains("> Thấp hơn cấp độ xác định theo tiêu chí</label>"));
}

#[tokio::test]
async fn registering_a_system_through_the_form_needs_the_csrf_token() {
    let app = TestApp::spawn().await;
    let csrf = sign_in(&app, ROOT_EMAIL).await;
    fn fields(token: Option<&str>) -> Vec<(&'static str, &str)> {
        let mut form = vec![
            ("name", "Cổng thông tin điện tử"),
            ("owner_name", "UBND tỉnh Đồng Nai"),
            ("status", "in_operation"),
            ("function", "citizen_business"),
            ("information", "public"),
        ];
        if let Some(token) = token {
            form.push(("csrf_token", token));
        }
        form
    }
    for token in [None, Some("forged-token-forged-token-forged-token")] {
        let res = app
            .client
            .post(app.url("/systems"))
            .form(&fields(token))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{token:?}");
    }
    let (_, list) =
        crate::support::json(app.get("/api/v1/systems", &app.admin_token()).await).await;
    assert_eq!(list["total"], 0, "nothing registered");

    // The same form with the page's token is accepted.
    let res = app
        .client
        .post(app.url("/systems"))
        .form(&fields(Some(&csrf)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, list) =
        crate::support::json(app.get("/api/v1/systems", &app.admin_token()).await).await;
    assert_eq!(list["total"], 1);
}
