//! The DOCX draft of the thuyết minh đề xuất cấp độ (`GET /api/v1/systems/{id}/justification.docx`
//! and the web download): a valid package laid out per Decree 30/2020 that follows the regime of
//! the system, escapes what users typed, and is shown only to those who can see the system.
//! With `CAPDO_DOCX_SAMPLE_DIR` set, the generated files are also written there (for `.ci/run`
//! to convert with LibreOffice).

pub mod xml;

use capdo::domain::Role;
use serde_json::{json, Value};

use crate::support::{json as json_of, TestApp, PASSWORD, ROOT_EMAIL};
use xml::docx_text;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const TRADE: &str = "Trang thông tin điện tử Trung tâm Xúc tiến Thương mại";

async fn seed(app: &TestApp) {
    let rules = app.state.rules.clone();
    let root = app.tree.root.id.clone();
    app.state
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
        .expect("seed example");
}

async fn system_named(app: &TestApp, token: &str, name: &str) -> Value {
    let (_, list) = json_of(app.get("/api/v1/systems?per_page=200", token).await).await;
    let id = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no system {name}: {list}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, system) = json_of(app.get(&format!("/api/v1/systems/{id}"), token).await).await;
    assert_eq!(status, 200, "{system}");
    system
}

/// Downloads the document, checks the response and the package, and keeps a sample for CI.
async fn download(app: &TestApp, token: &str, id: &str, sample: &str) -> String {
    let res = app
        .get(&format!("/api/v1/systems/{id}/justification.docx"), token)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], DOCX);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"thuyet-minh-{id}.docx\"")
    );
    let bytes = res.bytes().await.unwrap();
    if let Some(dir) = std::env::var_os("CAPDO_DOCX_SAMPLE_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            std::path::Path::new(&dir).join(format!("{sample}.docx")),
            &bytes,
        )
        .unwrap();
    }
    docx_text(&bytes)
}

fn citations(system: &Value) -> Vec<String> {
    let result = &system["classification"]["result"];
    ["matched", "minimums"]
        .iter()
        .flat_map(|k| result[k].as_array().cloned().unwrap_or_default())
        .map(|m| m["citation"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_trade_promotion_system_gets_a_decree_30_document_with_the_decree_331_parts() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let token = app.admin_token();
    let system = system_named(&app, &token, TRADE).await;
    assert_eq!(system["classification"]["regime_id"], "nd331-2026");
    let id = system["id"].as_str().unwrap();
    let text = download(&app, &token, id, "thuyet-minh-nd331").await;

    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ CÔNG THƯƠNG",
        "Số:      /TM-SCT",
        "THUYẾT MINH ĐỀ XUẤT CẤP ĐỘ HỆ THỐNG THÔNG TIN",
        TRADE,
        "https://xttm.dongnai.gov.vn",
        "Trung tâm dữ liệu tỉnh",
        "Thông tin công cộng",
        "PHẦN I. TỔNG QUAN VỀ HỆ THỐNG THÔNG TIN",
        "PHẦN II. ĐỀ XUẤT CẤP ĐỘ",
        "PHẦN III. PHƯƠNG ÁN BẢO ĐẢM AN NINH MẠNG THEO CẤP ĐỘ",
        "Thông tin về chủ quản hệ thống thông tin",
        "Thông tin về đơn vị vận hành hệ thống thông tin",
        "Phân vùng mạng và quy hoạch địa chỉ IP",
        "Danh mục các hệ thống thông tin và cấp độ tương ứng",
        "Nhận diện sơ bộ rủi ro an ninh mạng",
        "đề xuất hệ thống “Trang thông tin điện tử Trung tâm Xúc tiến Thương mại” ở cấp độ 2",
        "[Đơn vị bổ sung",
        "NGƯỜI ĐỨNG ĐẦU ĐƠN VỊ",
        "Nơi nhận:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let cited = citations(&system);
    assert!(!cited.is_empty(), "{system}");
    for c in cited {
        assert!(text.contains(&c), "missing citation {c:?}");
    }
    // The date line is today in Vietnam, the place left for the unit.
    let today = capdo::rules::today_in_vietnam();
    assert!(text.contains(&format!(
        "……, {}",
        capdo::services::justification_docx::date_line(today)
    )));
    // Not the Decree 85 outline.
    assert!(!text.contains("Điều 19 khoản 2"));
}

#[tokio::test]
async fn a_decree_85_project_gets_the_article_19_security_plan_headings() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let body = json!({
        "name": "Dự án cổng dịch vụ chuyển tiếp",
        "owner_name": "UBND tỉnh Đồng Nai",
        "kind": "online_service",
        "investment_before_law": true,
        "chosen_regime": "nd85-2016",
        "facts": {
            "function": "citizen_business", "kind": "online_service",
            "information": ["public", "personal"], "online_services": true,
            "conditional_business_service": false, "handles_administrative_procedures": false,
            "personal_data_subjects": 50000, "sensitive_personal_data_subjects": 0
        }
    });
    let (status, system) = json_of(app.post("/api/v1/systems", &token, &body).await).await;
    assert_eq!(status, 201, "{system}");
    assert_eq!(system["classification"]["regime_id"], "nd85-2016");
    let id = system["id"].as_str().unwrap();
    let text = download(&app, &token, id, "thuyet-minh-nd85").await;
    // Without a checklist the comparison with the baseline is left for the unit.
    assert!(
        text.contains("chưa lập bảng đánh giá đáp ứng yêu cầu cơ bản"),
        "{text}"
    );

    // With one, the plan lists each requirement with how it is met.
    let base = format!("/api/v1/systems/{id}/compliance");
    let (status, checklist) = json_of(app.post(&base, &token, &json!({})).await).await;
    assert_eq!(status, 201, "{checklist}");
    let how = "Quyết định số 12/QĐ-SCT ban hành chính sách & quy trình <ATTT>";
    let body = json!({ "status": "met", "how_met": how });
    let (status, answered) = json_of(
        app.patch(&format!("{base}/items/M1.1"), &token, &body)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    let text = download(&app, &token, id, "thuyet-minh-nd85-checklist").await;
    assert!(!text.contains("chưa lập bảng đánh giá đáp ứng yêu cầu cơ bản"));
    for expected in [
        "M1.1",
        "Chính sách an toàn thông tin",
        how,
        "(Cần bổ sung phương án đáp ứng)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for heading in [
        "a) Bảo đảm an toàn thông tin trong thiết kế, xây dựng hệ thống",
        "b) Bảo đảm an toàn thông tin trong quá trình vận hành hệ thống",
        "c) Kiểm tra, đánh giá an toàn thông tin",
        "d) Quản lý rủi ro an toàn thông tin",
        "đ) Giám sát an toàn thông tin",
        "e) Dự phòng, ứng cứu sự cố, khôi phục sau thảm họa",
        "g) Kết thúc vận hành, khai thác, thanh lý, hủy bỏ",
        "Điều 19 khoản 2 Nghị định 85/2016/NĐ-CP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Dự án cổng dịch vụ chuyển tiếp",
        "Thông tin cá nhân",
    ] {
        assert!(text.contains(heading), "missing {heading:?} in:\n{text}");
    }
    for c in citations(&system) {
        assert!(text.contains(&c), "missing citation {c:?}");
    }
    assert!(!text.contains("PHẦN III. PHƯƠNG ÁN BẢO ĐẢM AN NINH MẠNG"));
}

#[tokio::test]
async fn what_users_typed_is_escaped_and_the_document_stays_well_formed() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let name = "<script>alert(1)</script> </w:t><w:p>x & y ]]> \"q\"";
    let body = json!({
        "name": name,
        "description": "Mô tả </w:t></w:r></w:p><w:p><w:r><w:t>chèn",
        "owner_name": "UBND & <b>tỉnh</b>",
        "urls": ["https://example.gov.vn/?a=1&b=2"],
        "facts": { "function": "internal", "information": ["public"] }
    });
    let (status, system) = json_of(app.post("/api/v1/systems", &token, &body).await).await;
    assert_eq!(status, 201, "{system}");
    let id = system["id"].as_str().unwrap();
    let res = app
        .get(&format!("/api/v1/systems/{id}/justification.docx"), &token)
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    let text = docx_text(&bytes);
    for expected in [
        name,
        "Mô tả </w:t></w:r></w:p><w:p><w:r><w:t>chèn",
        "UBND & <b>tỉnh</b>",
        "https://example.gov.vn/?a=1&b=2",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let document = xml::parts(&bytes)
        .into_iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap()
        .1;
    assert!(!document.contains("<script>"));
    assert!(document
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; &lt;/w:t&gt;&lt;w:p&gt;x &amp; y ]]&gt;"));
}

#[tokio::test]
async fn only_those_who_can_see_the_system_get_the_document() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let token = app.admin_token();
    let system = system_named(&app, &token, TRADE).await;
    let id = system["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/systems/{id}/justification.docx");

    // Unauthenticated: 401.
    let res = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 401);
    // A user of another subtree (the office under the root): 404, as for any unseen system.
    let office = app
        .add_user("vanphong@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let (status, body) = json_of(app.get(&path, &app.token_for(&office)).await).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = json_of(
        app.get("/api/v1/systems/khong-co/justification.docx", &token)
            .await,
    )
    .await;
    assert_eq!(status, 404);

    // The web page links to the download, served to a signed-in user.
    let web = format!("/systems/{id}/justification.docx");
    let res = app.client.get(app.url(&web)).send().await.unwrap();
    assert_eq!(
        res.status(),
        303,
        "anonymous visitors are sent to the login page"
    );
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    let html = page.text().await.unwrap();
    let csrf = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
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
    let html = app
        .client
        .get(app.url(&format!("/systems/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("href=\"{web}\"")), "{html}");
    assert!(html.contains("Tải thuyết minh (DOCX)"));
    let res = app.client.get(app.url(&web)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], DOCX);
    let text = docx_text(&res.bytes().await.unwrap());
    assert!(text.contains(TRADE));
}
