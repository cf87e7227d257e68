//! Files of components (upload with the CSRF field, download), the clock in working days on
//! the dossier and home pages, and recording a periodic assessment as done.

use super::{
    complete_step, dossier_json, filing_system, ok_step, open_from_system_page, page, post,
    sign_in, today,
};
use crate::support::TestApp;

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "capdo-web-test-boundary";
    let mut body = Vec::new();
    for (name, file, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn files_upload_and_download_and_the_home_page_and_assessments_show_what_is_due() {
    let app = TestApp::spawn().await;
    sign_in(&app).await;
    let system_id = filing_system(&app).await;
    let (id, csrf) = open_from_system_page(&app, &system_id).await;
    let pdf = b"%PDF-1.4\n1 0 obj << /Title (Thuyet minh) >> endobj\ntrailer << >>\n%%EOF\n";
    let upload = |token: &'static str, csrf: String| {
        let parts: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
            (
                "csrf_token",
                None,
                if token.is_empty() {
                    csrf.into_bytes()
                } else {
                    token.as_bytes().to_vec()
                },
            ),
            ("component", None, b"overview".to_vec()),
            ("file", Some("Thuyết minh.pdf"), pdf.to_vec()),
        ];
        parts
    };
    for (parts, expected) in [
        (
            upload("forged-token-forged-token-forged-token", String::new()),
            403,
        ),
        (upload("", csrf.clone()), 303),
    ] {
        let refs: Vec<(&str, Option<&str>, &[u8])> = parts
            .iter()
            .map(|(n, f, d)| (*n, *f, d.as_slice()))
            .collect();
        let (content_type, body) = multipart(&refs);
        let res = app
            .client
            .post(app.url(&format!("/dossiers/{id}/files")))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), expected);
    }
    let html = page(&app, &format!("/dossiers/{id}")).await;
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let marker = format!("href=\"/dossiers/{id}/files/");
    let start = html.find(&marker).expect("a download link") + "href=\"".len();
    let href = html[start..].split('"').next().unwrap().to_string();
    assert!(
        html.contains("phiên bản 1"),
        "one version stored, the forged one refused"
    );
    let res = app.client.get(app.url(&href)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), pdf.as_slice());

    // Once received, the validity check is due: the home page lists it with working days.
    let date = today();
    complete_step(&app, &csrf, &id, "proposal").await;
    let submit = [
        ("csrf_token", csrf.as_str()),
        ("to", "submitted"),
        ("document_number", "2559/SCT-VP"),
        ("document_date", date.as_str()),
        ("recipient", "Công an tỉnh Đồng Nai"),
    ];
    ok_step(&app, &id, &submit, "Đã gửi").await;
    let received = [
        ("csrf_token", csrf.as_str()),
        ("to", "received"),
        ("date", ""),
    ];
    let dossier = ok_step(&app, &id, &received, "Đã được tiếp nhận").await;
    // The page says what the service counts on the holiday calendar: the due day and the
    // working days left.
    let clock = &dossier_json(&app, &id).await["clock"];
    let left = clock["working_days_left"]
        .as_i64()
        .expect("working days left");
    assert!(
        (4..=5).contains(&left),
        "5 working days from the day after receipt: {clock}"
    );
    assert!(
        dossier.contains(&format!("Còn {left} ngày làm việc")),
        "{dossier}"
    );
    let due =
        chrono::NaiveDate::parse_from_str(clock["due_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert!(dossier.contains(&due.format("%d/%m/%Y").to_string()));
    let home = page(&app, "/").await;
    let tasks = home
        .split("id=\"deadline-list\"")
        .nth(1)
        .expect("the deadlines list");
    assert!(tasks.contains(&format!("/dossiers/{id}")), "{tasks}");
    assert!(tasks.contains("ngày làm việc"));

    // Approval plans the periodic assessment; it is recorded as done from /assessments.
    ok_step(
        &app,
        &id,
        &[("csrf_token", csrf.as_str()), ("to", "under_appraisal")],
        "Đang thẩm định",
    )
    .await;
    let appraise = [
        ("csrf_token", csrf.as_str()),
        ("to", "appraised"),
        ("opinion", "favourable"),
        ("document_number", "88/CAT-ANM"),
        ("document_date", date.as_str()),
    ];
    ok_step(&app, &id, &appraise, "Đã có ý kiến thẩm định").await;
    complete_step(&app, &csrf, &id, "approval").await;
    let approve = [
        ("csrf_token", csrf.as_str()),
        ("to", "approved"),
        ("document_number", "125/QĐ-UBND"),
        ("document_date", date.as_str()),
        ("approved_level", "3"),
    ];
    ok_step(&app, &id, &approve, "Đã phê duyệt").await;
    let list = page(&app, "/assessments?state=all").await;
    assert!(list.contains("Hệ thống đăng ký khuyến mại"), "{list}");
    let marker = "action=\"/assessments/";
    let start = list.find(marker).expect("an open assessment with its form") + "action=\"".len();
    let action = list[start..].split('"').next().unwrap().to_string();
    let (status, _, body) = post(
        &app,
        &action,
        &[
            ("csrf_token", csrf.as_str()),
            ("assessor", ""),
            ("result", "Đạt"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("value=\"\"") && body.contains("Đạt"),
        "the input is kept"
    );
    let (status, location, body) = post(
        &app,
        &action,
        &[
            ("csrf_token", csrf.as_str()),
            ("assessor", "Phòng Kỹ thuật"),
            ("result", "Đạt yêu cầu cấp độ 3"),
            ("done_on", ""),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let done = page(&app, &location).await;
    assert!(done.contains("Đạt yêu cầu cấp độ 3"));
}
