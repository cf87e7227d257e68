//! The web pages of the change of regime, through real HTTP with the session cookie: the
//! regime-change report (totals, filters, Excel download), the comparison fragment of a system
//! and the transition fields of the register form.

use serde_json::{json, Value};

use crate::support::{TestApp, PASSWORD, ROOT_EMAIL};

const OLD_TITLE: &str = "Nghị định 85/2016/NĐ-CP";
const NEW_TITLE: &str = "Nghị định 331/2026/NĐ-CP";

fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Signs in through the login form (as tests/it/web_ui.rs does); returns the CSRF token.
async fn sign_in(app: &TestApp) -> String {
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    let csrf = csrf_from(&page.text().await.unwrap());
    let res = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", ROOT_EMAIL),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    csrf
}

/// An online service with personal data of `subjects` people (not a public service).
fn online_service(name: &str, org: &str, subjects: u32, tthc: bool) -> Value {
    json!({
        "name": name, "owner_name": "UBND tỉnh Đồng Nai", "organization_id": org,
        "kind": "online_service",
        "facts": {
            "function": "citizen_business", "information": ["public", "personal"],
            "online_services": true, "online_filing": false,
            "conditional_business_service": false, "handles_administrative_procedures": tthc,
            "personal_data_subjects": subjects, "sensitive_personal_data_subjects": 0
        }
    })
}

struct Seeded {
    /// 50.000 people: level 3 under Decree 85 (≥ 10.000), 2 under Decree 331 (< 100.000).
    down: String,
    /// 5.000 people, settles administrative procedures: 2 under Decree 85, 3 under Decree 331.
    up: String,
    /// Internal, private and personal data: level 2 under both.
    same: String,
}

async fn register(app: &TestApp, body: &Value) -> String {
    let res = app.post("/api/v1/systems", &app.admin_token(), body).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn seed(app: &TestApp) -> Seeded {
    let (office, tech) = (&app.tree.office.id, &app.tree.tech.id);
    let down = register(
        app,
        &online_service("Cổng đăng ký khuyến mại", office, 50_000, false),
    )
    .await;
    let up = register(
        app,
        &online_service("Hệ thống tiếp nhận phản ánh", office, 5_000, true),
    )
    .await;
    let same = register(
        app,
        &json!({ "name": "Hệ thống quản lý văn bản", "owner_name": "Sở Công Thương",
            "organization_id": tech, "kind": "document_management",
            "facts": { "function": "internal", "information": ["private", "personal"] } }),
    )
    .await;
    Seeded { down, up, same }
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = app.client.get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

fn total(html: &str, id: &str) -> u64 {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no #{id}")) + marker.len();
    html[start..]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_report_page_shows_totals_and_every_system() {
    let app = TestApp::spawn().await;
    let s = seed(&app).await;
    let (status, _) = page(&app, "/reports/regime-change").await;
    assert_eq!(status, 303, "signed out: to the login page");
    sign_in(&app).await;

    let (status, html) = page(&app, "/reports/regime-change").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Báo cáo thay đổi cấp độ"));
    assert!(html.contains(OLD_TITLE) && html.contains(NEW_TITLE));
    assert_eq!(total(&html, "total-systems"), 3);
    assert_eq!(total(&html, "total-up"), 1);
    assert_eq!(total(&html, "total-down"), 1);
    assert_eq!(total(&html, "total-same"), 1);
    for id in [&s.down, &s.up, &s.same] {
        assert!(html.contains(&format!("href=\"/systems/{id}\"")), "{id}");
    }
    assert!(html.contains("Sở Công Thương") || html.contains("Văn phòng Sở"));
    assert!(html.contains("href=\"/reports/regime-change.xlsx\""));
    assert!(html.contains("aria-current=\"page\">Báo cáo thay đổi cấp độ"));
}

#[tokio::test]
async fn the_report_filters_by_direction_level_approval_and_organisation() {
    let app = TestApp::spawn().await;
    let s = seed(&app).await;
    sign_in(&app).await;

    let (_, html) = page(&app, "/reports/regime-change?direction=down").await;
    assert_eq!(total(&html, "total-systems"), 1);
    assert!(html.contains(&format!("/systems/{}\"", s.down)));
    assert!(!html.contains(&format!("/systems/{}\"", s.up)));
    assert!(html.contains("<option value=\"down\" selected>"));
    assert!(
        html.contains("href=\"/reports/regime-change.xlsx?direction=down\""),
        "the download keeps the filters"
    );

    let (_, html) = page(&app, "/reports/regime-change?level=3").await;
    assert_eq!(total(&html, "total-systems"), 1, "level under Decree 331");
    assert!(html.contains(&format!("/systems/{}\"", s.up)));

    let (_, html) = page(&app, "/reports/regime-change?approved=true").await;
    assert_eq!(total(&html, "total-systems"), 0);
    let (_, html) = page(&app, "/reports/regime-change?approved=false").await;
    assert_eq!(total(&html, "total-systems"), 3);

    let tech = &app.tree.tech.id;
    let (_, html) = page(
        &app,
        &format!("/reports/regime-change?organization_id={tech}"),
    )
    .await;
    assert_eq!(total(&html, "total-systems"), 1);
    assert!(html.contains(&format!("/systems/{}\"", s.same)));

    // Values that mean nothing are dropped, not refused.
    let (status, html) = page(
        &app,
        "/reports/regime-change?direction=sideways&level=9&organization_id=khong-co",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(total(&html, "total-systems"), 3);
    assert!(html.contains("không thuộc phạm vi của bạn"));
}

#[tokio::test]
async fn the_report_downloads_as_an_excel_workbook() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    sign_in(&app).await;
    let res = app
        .client
        .get(app.url("/reports/regime-change.xlsx?direction=down"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = res.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"bao-cao-thay-doi-cap-do-"));
    let body = res.bytes().await.unwrap();
    assert!(body.starts_with(b"PK"), "an XLSX is a zip archive");
    assert!(body.len() > 1000);
}

#[tokio::test]
async fn the_system_page_loads_the_comparison_of_both_regimes() {
    let app = TestApp::spawn().await;
    let s = seed(&app).await;
    sign_in(&app).await;

    let (status, detail) = page(&app, &format!("/systems/{}", s.down)).await;
    assert_eq!(status, 200);
    assert!(detail.contains("So sánh theo hai văn bản"));
    let fragment_url = format!("/systems/{}/regimes", s.down);
    assert!(detail.contains(&format!("hx-get=\"{fragment_url}\"")));
    assert!(
        detail.contains(&format!("href=\"{fragment_url}\"")),
        "a link without JavaScript"
    );

    // With htmx: the fragment alone.
    let res = app
        .client
        .get(app.url(&fragment_url))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let fragment = res.text().await.unwrap();
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    assert!(fragment.contains(OLD_TITLE) && fragment.contains(NEW_TITLE));
    assert!(fragment.contains("data-direction=\"down\""));
    assert!(fragment.contains("Giảm"));
    assert!(fragment.contains("Điều 9 khoản 2 điểm c"), "{fragment}");
    assert!(fragment.contains("Điều 12 khoản 2 điểm b"), "{fragment}");
    assert!(
        fragment.contains("Chỉ có theo"),
        "differing clauses are marked"
    );
    assert!(fragment.contains("Việc cần làm"));

    // Without JavaScript: the same as a page of its own.
    let (status, full) = page(&app, &fragment_url).await;
    assert_eq!(status, 200);
    assert!(full.contains("<html"));
    assert!(full.contains(OLD_TITLE) && full.contains(NEW_TITLE));
    assert!(full.contains(&format!("href=\"/systems/{}\"", s.down)));

    let (status, _) = page(&app, "/systems/khong-co/regimes").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_form_asks_for_the_transitional_project_and_its_regime() {
    let app = TestApp::spawn().await;
    let csrf = sign_in(&app).await;
    let (status, html) = page(&app, "/systems/new").await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"investment_before_law\" value=\"true\""));
    assert!(html.contains("Dự án đầu tư, xây dựng trước ngày 01/07/2026"));
    assert!(html.contains("Điều 39 khoản 1 Nghị định 331/2026/NĐ-CP"));
    assert!(html.contains("<option value=\"\">Văn bản đang có hiệu lực</option>"));
    assert!(html.contains("<option value=\"nd85-2016\">"));
    assert!(html.contains("<option value=\"nd331-2026\">"));
    assert!(html.contains("01/01/2027"));
    // Both regimes' thresholds beside the question on data subjects.
    assert!(html.contains("100.000 người") && html.contains("10.000 người sử dụng"));

    // A system that is no transitional project cannot choose the lapsed regime.
    let res = app
        .client
        .post(app.url("/systems"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Hệ thống thử chọn văn bản"),
            ("owner_name", "Sở Công Thương"),
            ("organization_id", app.tree.root.id.as_str()),
            ("status", "in_operation"),
            ("function", "internal"),
            ("information", "public"),
            ("chosen_regime", "nd85-2016"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"e-chosen_regime\""), "{html}");
    assert!(
        html.contains("Văn bản xác định cấp độ:"),
        "in the error summary"
    );
    assert!(html.contains("<option value=\"nd85-2016\" selected>"));
}
