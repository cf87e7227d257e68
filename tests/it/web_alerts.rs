//! The warning pages through real HTTP with the session cookie: compose (an error, then
//! fixed), the live audience preview, send, the detail page with its recipients, the public
//! acknowledgement page (valid, tampered, expired, unknown links), scoping and mail settings.

use std::time::Duration;

use capdo::domain::Role;

use crate::support::{TestApp, PASSWORD, ROOT_EMAIL};

fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// Signs in through the login form (as tests/it/web_ui.rs does); returns the CSRF token.
async fn sign_in(app: &TestApp, client: &reqwest::Client, email: &str) -> String {
    let page = client.get(app.url("/login")).send().await.unwrap();
    let csrf = csrf_from(&page.text().await.unwrap());
    let res = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in of {email}");
    csrf
}

/// The compose form as a browser sends it; `title` and `due` vary between attempts.
fn compose(csrf: &str, org: &str, tech: &str, title: &str, due: &str) -> Vec<(String, String)> {
    [
        ("csrf_token", csrf),
        ("organization_id", org),
        ("title", title),
        ("severity", "critical"),
        ("source_authority", "Cục An toàn thông tin"),
        ("source_document", "Văn bản số 936/SCT-VP ngày 01/3/2021"),
        (
            "body",
            "Lỗ hổng cho phép **thực thi mã từ xa**. <script>alert(1)</script>",
        ),
        ("cve_ids", "CVE-2024-38476\r\n"),
        ("affected_products", "Apache HTTP Server | >=2.4.0, <2.4.58"),
        (
            "required_action",
            "Cập nhật lên phiên bản 2.4.58 và báo cáo",
        ),
        ("action_due_on", due),
        ("tlp", "amber"),
        ("corrects_id", ""),
        ("audience_orgs", tech),
        ("audience_roles", "security_officer"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn text(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

/// The acknowledgement link's token in the message to `to`, from the outbox row.
async fn token_for(app: &TestApp, to: &str) -> String {
    use capdo::db::schema::outbox;
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    let to = to.to_string();
    let body = app
        .state
        .db
        .run(move |conn| {
            Ok(outbox::table
                .filter(outbox::to_address.eq(to))
                .select(outbox::text_body)
                .first::<String>(conn)?)
        })
        .await
        .unwrap();
    let start = body.find("/ack/").expect("ack link") + 5;
    body[start..].split_whitespace().next().unwrap().to_string()
}

/// Waits until the outbox worker has sent `expected` messages of the warning.
async fn delivered(app: &TestApp, id: &str, expected: i64) {
    let admin = app.admin_token();
    for _ in 0..100 {
        let res = app.get(&format!("/api/v1/alerts/{id}"), &admin).await;
        let alert: serde_json::Value = res.json().await.unwrap();
        if alert["progress"]["sent"].as_i64() == Some(expected) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("messages of {id} not delivered in time");
}

#[tokio::test]
async fn compose_preview_send_and_acknowledge_through_the_pages() {
    let app = TestApp::spawn().await;
    let tech = app.tree.tech.id.clone();
    let root = app.tree.root.id.clone();
    app.add_user("vanhanh@sct.gov.vn", Role::Operator, &tech)
        .await;
    app.add_user("xem@sct.gov.vn", Role::Viewer, &tech).await;
    app.add_user(
        "attt@sct.gov.vn",
        Role::SecurityOfficer,
        &app.tree.office.id,
    )
    .await;
    let client = &app.client;
    let csrf = sign_in(&app, client, ROOT_EMAIL).await;

    let (status, html) = text(client.get(app.url("/alerts")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("aria-current=\"page\">Cảnh báo"), "nav item");
    assert!(html.contains("Chưa có cảnh báo nào"));

    let (status, html) = text(client.get(app.url("/alerts/new")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Người phụ trách và đơn vị vận hành của hệ thống dùng sản phẩm bị ảnh hưởng")
    );
    assert!(html.contains("Xem trước người nhận"));
    assert!(html.contains(">Nghiêm trọng</option>"));

    // A missing title and an unreadable date: the form again, everything typed kept.
    let bad = compose(&csrf, &root, &tech, "", "31/02/2021");
    let res = client
        .post(app.url("/alerts"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    let (status, html) = text(res).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("id=\"e-action_due_on\""),
        "date error under its field"
    );
    assert!(html.contains("value=\"31/02/2021\""));
    assert!(html.contains("value=\"Văn bản số 936/SCT-VP ngày 01/3/2021\""));
    assert!(html.contains("Apache HTTP Server | &gt;=2.4.0, &lt;2.4.58"));
    let bad = compose(&csrf, &root, &tech, "", "15/03/2021");
    let res = client
        .post(app.url("/alerts"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    let (status, html) = text(res).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("id=\"e-title\""),
        "title error under its field"
    );
    assert!(
        html.contains("href=\"#f-title\""),
        "summary links the field"
    );
    assert!(
        html.contains(&format!("value=\"{tech}\" checked")),
        "audience kept"
    );

    // The live preview (htmx) and the same without JavaScript.
    let title = "Lỗ hổng nghiêm trọng trong Apache HTTP Server";
    let form = compose(&csrf, &root, &tech, title, "15/03/2021");
    let res = client
        .post(app.url("/alerts/preview"))
        .header("HX-Request", "true")
        .header("X-CSRF-Token", &csrf)
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, fragment) = text(res).await;
    assert_eq!(status, 200);
    assert!(!fragment.contains("<html"), "a fragment");
    assert!(
        fragment.contains("Sẽ gửi tới <strong>3</strong> người nhận"),
        "{fragment}"
    );
    assert!(fragment.contains("vanhanh@sct.gov.vn") && fragment.contains("Đơn vị: Phòng Kỹ thuật"));
    let res = client
        .post(app.url("/alerts/preview"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, html) = text(res).await;
    assert_eq!(status, 200);
    assert!(html.contains("<html") && html.contains("Sẽ gửi tới <strong>3</strong>"));

    let res = client
        .post(app.url("/alerts"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.ends_with("?saved=1"), "{to}");
    let id = to
        .trim_start_matches("/alerts/")
        .trim_end_matches("?saved=1")
        .to_string();

    let (status, html) = text(client.get(app.url(&to)).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("Bản nháp") && html.contains("Sửa bản nháp"));
    assert!(html.contains("&lt;script&gt;"), "raw HTML shown as text");
    assert!(
        html.contains("<strong>thực thi mã từ xa</strong>"),
        "Markdown rendered"
    );
    let (_, list) = text(client.get(app.url("/alerts")).send().await.unwrap()).await;
    assert!(list.contains(title) && list.contains("Bản nháp"));

    let (status, html) = text(
        client
            .get(app.url(&format!("/alerts/{id}/send")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("tới 3 người nhận?"),
        "confirmation names the count"
    );
    let res = client
        .post(app.url(&format!("/alerts/{id}/send")))
        .form(&[("csrf_token", "sai")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "CSRF checked");
    let res = client
        .post(app.url(&format!("/alerts/{id}/send")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("/alerts/{id}?sent=1"));
    delivered(&app, &id, 3).await;

    let detail = app.url(&format!("/alerts/{id}"));
    let (status, html) = text(client.get(&detail).send().await.unwrap()).await;
    assert_eq!(status, 200);
    for email in ["vanhanh@sct.gov.vn", "xem@sct.gov.vn", "attt@sct.gov.vn"] {
        assert!(html.contains(email), "{email} in the recipient table");
    }
    assert!(html.contains("Đã gửi: <strong>100 %</strong>"));
    assert!(html.contains("Gửi lại cho người chưa trả lời"));
    assert!(html.contains("Tạo cảnh báo đính chính"));
    assert!(html.contains("Báo cáo tổng kết (Excel)"));
    assert!(
        !html.contains("Sửa bản nháp"),
        "a sent warning has no edit button"
    );
    let res = client
        .get(app.url(&format!("/alerts/{id}/edit")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);

    // The recipient answers on the public page, with no session at all.
    let token = token_for(&app, "vanhanh@sct.gov.vn").await;
    let public = cookie_client();
    let ack = app.url(&format!("/ack/{token}"));
    let res = public.get(&ack).send().await.unwrap();
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    let (status, html) = text(res).await;
    assert_eq!(status, 200);
    assert!(html.contains(title) && html.contains("Nghiêm trọng"));
    assert!(html.contains("Cập nhật lên phiên bản 2.4.58 và báo cáo"));
    assert!(html.contains("hạn 15/03/2021"));
    for label in ["Đã nhận", "Đã khắc phục", "Không ảnh hưởng"] {
        assert!(html.contains(label), "{label}");
    }
    assert!(!html.contains("nav-list"), "no navigation");
    let res = public
        .post(&ack)
        .form(&[("answer", "fixed"), ("note", "Đã cập nhật 2.4.62")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (status, html) = text(public.get(app.url(&location(&res))).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("Cảm ơn bạn đã trả lời"));
    assert!(html.contains("<strong id=\"ack-answer\">Đã khắc phục</strong>"));
    assert!(html.contains("Đã cập nhật 2.4.62"));
    let res = public
        .post(&ack)
        .form(&[("note", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "no answer chosen");

    let (_, html) = text(
        client
            .get(app.url(&format!("/alerts/{id}?unanswered=1")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        !html.contains("vanhanh@sct.gov.vn"),
        "answered: filtered out"
    );
    assert!(html.contains("xem@sct.gov.vn"));
    let (_, html) = text(client.get(&detail).send().await.unwrap()).await;
    assert!(html.contains("Đã trả lời: <strong>33,3 %</strong>"));

    let res = client
        .post(app.url(&format!("/alerts/{id}/resend")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("/alerts/{id}?resent=2"));

    let res = client
        .get(app.url(&format!("/alerts/{id}/report.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.contains("vanhanh@sct.gov.vn") && csv.contains("Đã khắc phục"));
    let res = client
        .get(app.url(&format!("/alerts/{id}/report.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));

    let (status, html) = text(
        client
            .get(app.url(&format!("/alerts/new?corrects={id}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("value=\"Đính chính: {title}\"")));
    assert!(html.contains(&format!("value=\"{id}\" selected")));
}

#[tokio::test]
async fn bad_links_get_a_clear_page_not_an_error() {
    let app = TestApp::spawn().await;
    let public = cookie_client();
    let signer = app.state.ack.clone();
    let future = chrono::Utc::now() + chrono::Duration::days(1);
    let past = chrono::Utc::now() - chrono::Duration::days(1);

    let valid = signer.issue("0190-khong-co", future);
    let tampered = format!("{}A", &valid[..valid.len() - 1]);
    let tampered = if tampered == valid {
        format!("{}B", &valid[..valid.len() - 1])
    } else {
        tampered
    };
    for (token, status, text_part) in [
        (tampered.as_str(), 400, "không hợp lệ hoặc đã bị sửa"),
        ("rac", 400, "không hợp lệ hoặc đã bị sửa"),
        (&signer.issue("0190-khong-co", past), 410, "đã hết hạn"),
        (valid.as_str(), 404, "Không tìm thấy thư cảnh báo"),
    ] {
        let res = public
            .get(app.url(&format!("/ack/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{token}");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer");
        let html = res.text().await.unwrap();
        assert!(html.contains(text_part), "{token}: {html}");
        assert!(html.contains("<html lang=\"vi\""));
        let res = public
            .post(app.url(&format!("/ack/{token}")))
            .form(&[("answer", "received")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "POST {token}");
    }
}

#[tokio::test]
async fn another_subtree_sees_no_warning_and_mail_settings_are_for_admins() {
    let app = TestApp::spawn().await;
    let office = app
        .add_user(
            "attt@sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    app.add_user(
        "kythuat@sct.gov.vn",
        Role::SecurityOfficer,
        &app.tree.tech.id,
    )
    .await;
    let body = serde_json::json!({
        "title": "Cảnh báo nội bộ Văn phòng", "severity": "low",
        "source_authority": "Văn phòng Sở", "body": "Nội dung",
        "required_action": "Đọc và xác nhận",
        "audience": { "roles": ["security_officer"] }
    });
    let res = app
        .post("/api/v1/alerts", &app.token_for(&office), &body)
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let other = cookie_client();
    sign_in(&app, &other, "kythuat@sct.gov.vn").await;
    let res = other
        .get(app.url(&format!("/alerts/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let (_, list) = text(other.get(app.url("/alerts")).send().await.unwrap()).await;
    assert!(!list.contains("Cảnh báo nội bộ Văn phòng"));
    let res = other.get(app.url("/settings/mail")).send().await.unwrap();
    assert_eq!(res.status(), 403, "mail settings: administrators only");

    let admin = &app.client;
    let csrf = sign_in(&app, admin, ROOT_EMAIL).await;
    let (status, html) = text(admin.get(app.url("/settings/mail")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("file — ghi mỗi thư thành một tệp .eml"));
    let res = admin
        .post(app.url("/settings/mail/test"))
        .form(&[("csrf_token", csrf.as_str()), ("to", "nhan@sct.gov.vn")])
        .send()
        .await
        .unwrap();
    let (status, html) = text(res).await;
    assert_eq!(status, 200);
    assert!(html.contains("Đã gửi.") && html.contains(".eml"), "{html}");
    let res = admin
        .post(app.url("/settings/mail/test"))
        .form(&[("csrf_token", csrf.as_str()), ("to", "khong-phai-dia-chi")])
        .send()
        .await
        .unwrap();
    let (status, html) = text(res).await;
    assert_eq!(status, 200);
    assert!(html.contains("Không gửi được:"), "{html}");
}

#[tokio::test]
async fn the_recipient_picker_searches_and_keeps_the_people_already_chosen() {
    let app = TestApp::spawn().await;
    let chosen = app
        .add_user("tran.thi.hoa@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    for i in 0..60 {
        app.add_user(
            &format!("canbo{i:02}@sct.gov.vn"),
            Role::Viewer,
            &app.tree.tech.id,
        )
        .await;
    }
    let admin = &app.client;
    let csrf = sign_in(&app, admin, ROOT_EMAIL).await;

    // Without a search the picker lists the first 50 accounts and says there are more.
    let (status, html) = text(admin.get(app.url("/alerts/new")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"f-user_q\""), "search box");
    assert_eq!(
        html.matches("name=\"audience_users\"").count(),
        50,
        "{html}"
    );
    assert!(html.contains("Đang hiện 50 trong"), "{html}");

    // htmx search: case-insensitive, the chosen person stays ticked at the top.
    let url = format!(
        "/alerts/recipients?user_q=CANBO5&audience_users={}",
        chosen.id
    );
    let (status, part) = text(admin.get(app.url(&url)).send().await.unwrap()).await;
    assert_eq!(status, 200);
    let boxes: Vec<&str> = part.split("name=\"audience_users\"").skip(1).collect();
    assert_eq!(boxes.len(), 1 + 10, "{part}");
    assert!(
        boxes[0].contains(&chosen.id) && boxes[0].contains("checked"),
        "{part}"
    );
    assert!(part.contains("canbo55@sct.gov.vn") && !part.contains("canbo44@sct.gov.vn"));
    assert!(part.contains("10 tài khoản khớp “CANBO5”"), "{part}");
    let (_, none) = text(
        admin
            .get(app.url("/alerts/recipients?user_q=kh%C3%B4ng-ai-c%E1%BA%A3"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(none.contains("Không tìm thấy tài khoản nào khớp"), "{none}");

    // Without JavaScript the "Tìm" button posts the form to the preview, which lists matches
    // and keeps everything typed.
    let mut form = compose(&csrf, &app.tree.root.id, "", "Cảnh báo thử", "2026-12-31");
    form.push(("user_q".into(), "canbo1".into()));
    form.push(("audience_users".into(), chosen.id.clone()));
    let res = admin
        .post(app.url("/alerts/preview"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, html) = text(res).await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"canbo1\""), "search kept");
    assert_eq!(
        html.matches("name=\"audience_users\"").count(),
        11,
        "{html}"
    );

    assert!(html.contains("Cảnh báo thử"));

    // Someone outside the caller's scope cannot be listed, even by id.
    let office = app
        .add_user(
            "attt@sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let other = cookie_client();
    sign_in(&app, &other, &office.email).await;
    let (_, part) = text(
        other
            .get(app.url("/alerts/recipients?user_q=canbo"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(!part.contains("canbo0"), "{part}");
}

#[tokio::test]
async fn the_recipient_picker_needs_a_signed_in_sender() {
    let app = TestApp::spawn().await;
    let anonymous = cookie_client();
    let res = anonymous
        .get(app.url("/alerts/recipients?user_q=a"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "a browser is sent to the sign-in page");
    assert!(location(&res).starts_with("/login"), "{}", location(&res));
    let res = anonymous
        .get(app.url("/alerts/recipients?user_q=a"))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["hx-redirect"], "/login");

    let viewer = app
        .add_user("xem@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let client = cookie_client();
    sign_in(&app, &client, &viewer.email).await;
    let res = client
        .get(app.url("/alerts/recipients?user_q=a"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "viewers do not compose warnings");
}
