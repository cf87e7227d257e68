//! The dossier pages through real HTTP with the session cookie: "Lập hồ sơ" from the system
//! page, completing the checklist, submission, receipt, a return, appraisal and approval
//! through the page's forms; errors keep the input, CSRF is required, user text is escaped.

use serde_json::{json, Value};

mod system_page;
mod tasks;

use crate::support::{json as json_of, TestApp, PASSWORD, ROOT_EMAIL};

pub(super) fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub(super) async fn sign_in(app: &TestApp) -> String {
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

pub(super) fn today() -> String {
    capdo::rules::today_in_vietnam()
        .format("%Y-%m-%d")
        .to_string()
}

/// Level 3 under Decree 331: online administrative filing (appraisal before approval).
pub(super) async fn filing_system(app: &TestApp) -> String {
    let body = json!({
        "organization_id": app.tree.root.id, "name": "Hệ thống đăng ký khuyến mại",
        "owner_name": "UBND tỉnh Đồng Nai", "kind": "public_service_system",
        "appraiser_name": "Công an tỉnh Đồng Nai",
        "facts": { "function": "citizen_business", "information": ["private", "personal"],
                   "public_service_mode": "full_process", "online_filing": true }
    });
    let (status, s) = json_of(app.post("/api/v1/systems", &app.admin_token(), &body).await).await;
    assert_eq!(status, 201, "{s}");
    s["id"].as_str().unwrap().to_string()
}

pub(super) async fn page(app: &TestApp, path: &str) -> String {
    let res = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

pub(super) async fn post(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let res = app
        .client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

pub(super) async fn dossier_json(app: &TestApp, id: &str) -> Value {
    let (status, d) = json_of(
        app.get(&format!("/api/v1/dossiers/{id}"), &app.admin_token())
            .await,
    )
    .await;
    assert_eq!(status, 200, "{d}");
    d
}

/// Completes every required component of `step` through its form on the page.
pub(super) async fn complete_step(app: &TestApp, csrf: &str, id: &str, step: &str) {
    let d = dossier_json(app, id).await;
    let date = today();
    for c in d["components"].as_array().unwrap() {
        if c["step"] != step || c["required"] != true {
            continue;
        }
        let component = c["component"].as_str().unwrap();
        let path = format!("/dossiers/{id}/components/{component}");
        let form = [
            ("csrf_token", csrf),
            ("status", "complete"),
            ("document_number", "936/SCT-VP"),
            ("document_date", date.as_str()),
            ("note", ""),
        ];
        let (status, location, body) = post(app, &path, &form).await;
        assert_eq!(status, 303, "{component}: {body}");
        assert!(
            location.starts_with(&format!("/dossiers/{id}?saved=")),
            "{location}"
        );
    }
}

pub(super) async fn step(app: &TestApp, id: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    if form.contains(&("to", "approved")) {
        // Approval requires the systems' security regulation on their checklists.
        crate::support::record_regulation_for_dossier(app, id).await;
    }
    post(app, &format!("/dossiers/{id}/transitions"), form).await
}

pub(super) async fn ok_step(
    app: &TestApp,
    id: &str,
    form: &[(&str, &str)],
    status_label: &str,
) -> String {
    let (status, location, body) = step(app, id, form).await;
    assert_eq!(status, 303, "{body}");
    assert!(
        location.starts_with(&format!("/dossiers/{id}?done=")),
        "{location}"
    );
    let html = page(app, &location).await;
    assert!(html.contains(status_label), "status {status_label} shown");
    html
}

/// Opens the dossier from the system page's "Lập hồ sơ" form; returns its id.
pub(super) async fn open_from_system_page(app: &TestApp, system_id: &str) -> (String, String) {
    let html = page(app, &format!("/systems/{system_id}")).await;
    assert!(
        html.contains("id=\"open-dossier\""),
        "the button is on the system page"
    );
    let csrf = csrf_from(&html);
    let (status, location, _) = post(
        app,
        &format!("/systems/{system_id}/dossiers"),
        &[("csrf_token", csrf.as_str())],
    )
    .await;
    assert_eq!(status, 303);
    let id = location
        .strip_prefix("/dossiers/")
        .and_then(|rest| rest.split('?').next())
        .expect("redirect to the dossier page")
        .to_string();
    (id, csrf)
}

#[tokio::test]
async fn a_dossier_goes_from_an_empty_checklist_to_approval_through_the_web_forms() {
    let app = TestApp::spawn().await;
    sign_in(&app).await;
    let system_id = filing_system(&app).await;
    let (id, csrf) = open_from_system_page(&app, &system_id).await;
    let date = today();

    let html = page(&app, &format!("/dossiers/{id}?created=1")).await;
    assert!(html.contains("Đã lập hồ sơ"));
    assert!(html.contains("Đang lập hồ sơ"), "the status label");
    assert!(html.contains("Danh mục thành phần hồ sơ"));
    assert!(html.contains("Chưa có"), "components start missing");
    assert!(
        html.contains("value=\"Công an tỉnh Đồng Nai\""),
        "the recipient is proposed"
    );
    // A second "Lập hồ sơ" is refused with the reason, on a page of its own.
    let (status, _, body) = post(
        &app,
        &format!("/systems/{system_id}/dossiers"),
        &[("csrf_token", csrf.as_str())],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        body.contains("đã có một hồ sơ đề xuất cấp độ chưa được phê duyệt"),
        "{body}"
    );

    // Submitting with the checklist empty: the service's reason, and the letter as typed.
    let submit = [
        ("csrf_token", csrf.as_str()),
        ("to", "submitted"),
        ("document_number", "2559/SCT-VP"),
        ("document_date", date.as_str()),
        ("recipient", "Công an tỉnh Đồng Nai"),
        ("note", ""),
    ];
    let (status, _, body) = step(&app, &id, &submit).await;
    assert_eq!(status, 409);
    assert!(
        body.contains("Chưa thể gửi hồ sơ: còn thiếu thành phần bắt buộc"),
        "{body}"
    );
    assert!(
        body.contains("value=\"2559/SCT-VP\""),
        "the typed number is kept"
    );

    complete_step(&app, &csrf, &id, "proposal").await;
    ok_step(&app, &id, &submit, "Đã gửi").await;
    let received = [
        ("csrf_token", csrf.as_str()),
        ("to", "received"),
        ("date", ""),
        ("note", ""),
    ];
    let html = ok_step(&app, &id, &received, "Đã được tiếp nhận").await;
    assert!(
        html.contains("id=\"clock\""),
        "the validity check clock runs"
    );
    assert!(html.contains("ngày làm việc"), "{html}");

    // A return needs its reason; then the dossier is completed and sent again.
    let (status, _, body) = step(
        &app,
        &id,
        &[
            ("csrf_token", csrf.as_str()),
            ("to", "returned"),
            ("note", " "),
            ("date", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Vui lòng ghi rõ nội dung cần bổ sung"),
        "{body}"
    );
    assert!(
        body.contains("aria-invalid=\"true\""),
        "the field is marked"
    );
    let reason = [
        ("csrf_token", csrf.as_str()),
        ("to", "returned"),
        ("note", "Bổ sung phương án bảo đảm an toàn"),
        ("date", ""),
        ("document_number", ""),
        ("document_date", ""),
    ];
    let html = ok_step(&app, &id, &reason, "Được trả lại để hoàn thiện").await;
    assert!(
        html.contains("Bổ sung phương án bảo đảm an toàn"),
        "the reason on the timeline"
    );
    ok_step(&app, &id, &submit, "Đã gửi").await;
    ok_step(&app, &id, &received, "Đã được tiếp nhận").await;
    let start = [
        ("csrf_token", csrf.as_str()),
        ("to", "under_appraisal"),
        ("date", ""),
    ];
    ok_step(&app, &id, &start, "Đang thẩm định").await;

    // Approval before the appraisal opinion is refused with the service's words.
    let approve = [
        ("csrf_token", csrf.as_str()),
        ("to", "approved"),
        ("document_number", "125/QĐ-UBND"),
        ("document_date", date.as_str()),
        ("approved_level", "3"),
        ("note", ""),
    ];
    let (status, _, body) = step(&app, &id, &approve).await;
    assert_eq!(status, 409);
    assert!(
        body.contains("Không thể chuyển hồ sơ sang “Đã phê duyệt”"),
        "{body}"
    );

    let appraise = [
        ("csrf_token", csrf.as_str()),
        ("to", "appraised"),
        ("opinion", "favourable"),
        ("document_number", "88/CAT-ANM"),
        ("document_date", date.as_str()),
        ("note", ""),
    ];
    let html = ok_step(&app, &id, &appraise, "Đã có ý kiến thẩm định").await;
    assert!(html.contains("Thống nhất với cấp độ đề xuất"));
    complete_step(&app, &csrf, &id, "approval").await;
    let html = ok_step(&app, &id, &approve, "Đã phê duyệt").await;
    assert!(html.contains("id=\"approved-level\""));
    assert!(html.contains("125/QĐ-UBND"));

    let system = page(&app, &format!("/systems/{system_id}")).await;
    let approved = system.split("Được phê duyệt").nth(1).expect("approved box");
    assert!(
        approved.contains("Cấp độ 3"),
        "the system page shows the approved level"
    );
    assert!(approved.contains("Quyết định số 125/QĐ-UBND"));
    let list = page(&app, "/dossiers").await;
    assert!(list.contains(&format!("/dossiers/{id}")) && list.contains("Đã phê duyệt"));
}

#[tokio::test]
async fn component_errors_keep_the_input_csrf_is_required_and_notes_are_escaped() {
    let app = TestApp::spawn().await;
    sign_in(&app).await;
    let system_id = filing_system(&app).await;
    let (id, csrf) = open_from_system_page(&app, &system_id).await;
    let path = format!("/dossiers/{id}/components/overview");

    let (status, _, body) = post(
        &app,
        &path,
        &[
            ("csrf_token", csrf.as_str()),
            ("status", "complete"),
            ("document_number", "2559/SCT-VP"),
            ("document_date", "31/02/2026"),
            ("note", "Bản ký số"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Ngày không hợp lệ"), "{body}");
    assert!(body.contains("id=\"e-c-overview-document_date\""));
    assert!(
        body.contains("value=\"31/02/2026\"") && body.contains("Bản ký số"),
        "input kept"
    );

    // Without the token nothing is saved.
    let (status, _, body) = post(&app, &path, &[("status", "complete"), ("note", "x")]).await;
    assert_eq!(status, 403);
    assert!(body.contains("Phiên biểu mẫu đã hết hạn"));
    let d = dossier_json(&app, &id).await;
    let overview = d["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == "overview")
        .unwrap();
    assert_eq!(overview["status"], "missing");
    let (status, _, _) = step(&app, &id, &[("to", "submitted")]).await;
    assert_eq!(status, 403);

    // User text comes out escaped, on the page and in the htmx fragment.
    let script = "<script>alert(1)</script>";
    let (status, _, _) = post(
        &app,
        &path,
        &[
            ("csrf_token", csrf.as_str()),
            ("status", "in_progress"),
            ("note", script),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let html = page(&app, &format!("/dossiers/{id}")).await;
    assert!(!html.contains(script), "never raw");
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "shown as text"
    );
    let res = app
        .client
        .post(app.url(&path))
        .header("HX-Request", "true")
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("status", "complete"),
            ("note", script),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let fragment = res.text().await.unwrap();
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    assert!(fragment.contains("id=\"c-overview\"") && fragment.contains("Đã lưu"));
    assert!(!fragment.contains(script) && fragment.contains("&#60;script&#62;"));
    let d = dossier_json(&app, &id).await;
    let overview = d["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == "overview")
        .unwrap();
    assert_eq!(overview["status"], "complete");
}
