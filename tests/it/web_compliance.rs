//! The compliance checklist page through real HTTP with the session cookie: started from the
//! page, one requirement answered (an error keeps what was typed), read-only for viewers, and
//! out of sight for another subtree.

use capdo::domain::Role;

use crate::support::{TestApp, PASSWORD, ROOT_EMAIL};
use crate::web_dossiers::{csrf_from, filing_system, page, post};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn sign_in(app: &TestApp, client: &reqwest::Client, email: &str) -> String {
    let login = client.get(app.url("/login")).send().await.unwrap();
    let csrf = csrf_from(&login.text().await.unwrap());
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
    assert_eq!(res.status(), 303);
    csrf
}

/// The number of requirements the system's catalogue asks at `level` (no hosting given).
fn expected(app: &TestApp, regime: &str, level: u8) -> usize {
    let b = app.state.rules.baseline_for(regime).expect("catalogue");
    b.applicable(level, None).count()
}

/// Starts the checklist of a level-3 system through the page; returns (system id, csrf).
async fn started(app: &TestApp) -> (String, String) {
    let csrf = sign_in(app, &app.client, ROOT_EMAIL).await;
    let id = filing_system(app).await;
    let html = page(app, &format!("/systems/{id}/compliance")).await;
    assert!(html.contains("Lập bảng đánh giá năm"), "{html}");
    let (status, location, body) = post(
        app,
        &format!("/systems/{id}/compliance/start"),
        &[
            ("csrf_token", csrf.as_str()),
            ("baseline", ""),
            ("year", ""),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("started=1"), "{location}");
    (id, csrf)
}

#[actix_web::test]
async fn a_level_3_checklist_lists_its_requirements_and_an_error_keeps_the_input() {
    let app = TestApp::spawn().await;
    let (id, csrf) = started(&app).await;
    let html = page(&app, &format!("/systems/{id}/compliance")).await;
    let items = html.matches("class=\"compliance-item ").count();
    assert_eq!(
        items,
        expected(&app, "nd331-2026", 3),
        "requirements at level 3"
    );
    assert!(html.contains("Cấp độ 3"));
    assert!(html.contains("id=\"regulation-banner\" data-recorded=\"false\""));
    assert!(html.contains("0,0%"), "nothing assessed yet");

    // Not applicable without a reason: the Vietnamese error, and the typed text stays.
    let code = html
        .split("data-code=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let path = format!("/systems/{id}/compliance/items/{code}");
    let typed = "Có quy trình <sao lưu> hằng tuần";
    let form = [
        ("csrf_token", csrf.as_str()),
        ("baseline", ""),
        ("status", "not_applicable"),
        ("na_reason", ""),
        ("how_met", typed),
        ("responsible_id", ""),
        ("target_date", ""),
    ];
    let (status, _, body) = post(&app, &path, &form).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("Vui lòng ghi lý do không áp dụng yêu cầu này"),
        "{body}"
    );
    assert!(
        body.contains("sao lưu") && body.contains("hằng tuần"),
        "typed text kept"
    );
    assert!(!body.contains("<sao lưu>"), "and escaped");

    // Partly met: saved, back on the page with the percentage moved.
    let form = [
        ("csrf_token", csrf.as_str()),
        ("baseline", ""),
        ("status", "partial"),
        ("na_reason", ""),
        ("how_met", typed),
        ("responsible_id", ""),
        ("target_date", "31/12/2030"),
    ];
    let (status, location, body) = post(&app, &path, &form).await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("saved="), "{location}");
    let html = page(&app, &format!("/systems/{id}/compliance")).await;
    assert!(
        !html.contains("<strong id=\"compliance-percent\">0,0%"),
        "percentage changed"
    );
    assert!(html.contains("data-status=\"partial\""));

    // htmx: the checklist body alone, 200 even on an error.
    let res = app
        .client
        .post(app.url(&path))
        .header("HX-Request", "true")
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("status", "not_applicable"),
            ("na_reason", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let fragment = res.text().await.unwrap();
    assert!(
        fragment.starts_with("<div id=\"checklist-body\""),
        "{fragment}"
    );
    assert!(fragment.contains("Vui lòng ghi lý do không áp dụng"));
}

#[actix_web::test]
async fn a_viewer_sees_the_checklist_without_forms_and_another_subtree_sees_nothing() {
    let app = TestApp::spawn().await;
    let (id, _) = started(&app).await;
    app.add_user("xem@sct.gov.vn", Role::Viewer, &app.tree.root.id)
        .await;
    let viewer = client();
    sign_in(&app, &viewer, "xem@sct.gov.vn").await;
    let res = viewer
        .get(app.url(&format!("/systems/{id}/compliance")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("class=\"compliance-item "));
    assert!(!html.contains("class=\"item-form\""), "no answer forms");
    assert!(!html.contains("evidence-form"), "no evidence forms");
    assert!(!html.contains("/compliance/start"), "no start button");

    app.add_user("vanphong@sct.gov.vn", Role::Admin, &app.tree.office.id)
        .await;
    let other = client();
    let csrf = sign_in(&app, &other, "vanphong@sct.gov.vn").await;
    let res = other
        .get(app.url(&format!("/systems/{id}/compliance")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = other
        .post(app.url(&format!("/systems/{id}/compliance/start")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
