//! Importing systems from XLSX or CSV: the export → import round trip, the dry run's mapping and
//! per-row errors, commits that write everything or nothing, malformed files, the row limit and
//! the caller's subtree.

use capdo::db::schema::systems;
use capdo::domain::Role;
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::paperwork_register::{csv_rows, export, seed_example, xlsx_rows};
use crate::support::{json as json_of, TestApp};

fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> (String, Vec<u8>) {
    let boundary = "capdo-import-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some(data) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"danh-muc.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn import(app: &TestApp, token: &str, mode: &str, data: &[u8]) -> (u16, Value) {
    import_with(app, token, &[("mode", mode)], data).await
}

async fn import_with(
    app: &TestApp,
    token: &str,
    fields: &[(&str, &str)],
    data: &[u8],
) -> (u16, Value) {
    let (kind, body) = multipart(fields, Some(data));
    let res = app
        .client
        .post(app.url("/api/v1/systems/import"))
        .bearer_auth(token)
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .unwrap();
    json_of(res).await
}

async fn system_count(app: &TestApp) -> i64 {
    app.state
        .db
        .run(|conn| Ok(systems::table.count().get_result::<i64>(conn)?))
        .await
        .unwrap()
}

async fn list(app: &TestApp, token: &str) -> Vec<Value> {
    let (_, list) = json_of(
        app.get("/api/v1/systems?per_page=200&sort=name", token)
            .await,
    )
    .await;
    let mut out = Vec::new();
    for item in list["items"].as_array().unwrap() {
        let (_, full) = json_of(
            app.get(
                &format!("/api/v1/systems/{}", item["id"].as_str().unwrap()),
                token,
            )
            .await,
        )
        .await;
        out.push(full);
    }
    out
}

/// The fields an import must give back, without ids and times.
fn comparable(s: &Value) -> Value {
    json!({
        "name": s["name"], "description": s["description"], "kind": s["kind"], "urls": s["urls"],
        "hosting_kind": s["hosting_kind"], "hosting_provider": s["hosting_provider"],
        "data_in_vietnam": s["data_in_vietnam"], "owner_name": s["owner_name"],
        "organization_id": s["organization_id"], "operator_id": s["operator_id"],
        "appraiser_name": s["appraiser_name"], "status": s["status"], "go_live_on": s["go_live_on"],
        "facts": s["facts"], "level": s["classification"]["level"],
        "regime": s["classification"]["regime_id"], "proposed_level": s["proposed_level"],
        "proposal_justification": s["proposal_justification"], "transition": s["transition"],
    })
}

fn csv_file(lines: &[&str]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    for l in lines {
        out.extend_from_slice(l.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[tokio::test]
async fn export_then_import_updates_and_after_deleting_recreates_the_same_systems() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let seeded = seed_example(&app).await.len();
    let before: Vec<Value> = list(&app, &token).await;
    let (_, _, xlsx) = export(&app, &token, "format=xlsx").await;
    let (_, _, csv) = export(&app, &token, "format=csv").await;

    for file in [&xlsx, &csv] {
        let (status, report) = import(&app, &token, "dry_run", file).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["invalid"], 0, "{report}");
        assert_eq!(report["creates"], 0);
        assert_eq!(report["updates"], seeded);
        assert_eq!(report["committed"], false);
        assert!(
            report["unmapped"].as_array().unwrap().is_empty(),
            "{report}"
        );
        let trade = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"].as_str().unwrap().contains("Xúc tiến Thương mại"))
            .expect("the trade-promotion system");
        assert!(trade["level"].as_i64().is_some(), "{trade}");
        assert_eq!(trade["action"], "update");
    }
    let audits = app.audit_count().await;
    let (status, report) = import(&app, &token, "commit", &xlsx).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["committed"], true);
    assert_eq!(system_count(&app).await as usize, seeded);
    assert!(app.audit_count().await > audits, "updates are audited");
    let same: Vec<Value> = list(&app, &token).await;
    assert_eq!(
        before.iter().map(comparable).collect::<Vec<_>>(),
        same.iter().map(comparable).collect::<Vec<_>>()
    );

    // Deleted: the same file creates them again (components and contacts are not in the file).
    for s in &before {
        let res = app
            .client
            .delete(app.url(&format!("/api/v1/systems/{}", s["id"].as_str().unwrap())))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 204);
    }
    assert_eq!(system_count(&app).await, 0);
    let (status, report) = import(&app, &token, "commit", &csv).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["creates"], seeded);
    let again: Vec<Value> = list(&app, &token).await;
    assert_eq!(
        before.iter().map(comparable).collect::<Vec<_>>(),
        again.iter().map(comparable).collect::<Vec<_>>()
    );
    // Exported again and re-imported: updates by external id and name, no duplicates.
    let (_, _, xlsx) = export(&app, &token, "format=xlsx").await;
    let (status, report) = import(&app, &token, "dry_run", &xlsx).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["creates"].as_u64(), report["updates"].as_u64()),
        (Some(0), Some(seeded as u64))
    );
}

#[tokio::test]
async fn a_dry_run_names_the_row_column_and_problem_and_a_commit_with_errors_writes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let file = csv_file(&[
        "Danh mục hệ thống thông tin",
        "Ten he thong;Chu quan he thong;Chuc nang;Loai thong tin;Cap do de xuat;Ngay dua vao van hanh;Ma don vi quan ly;Loại hệ thống;Mã tham chiếu;Ghi chú",
        "Cổng thông tin Sở;UBND tỉnh Đồng Nai;citizen_business;public;;01/02/2020;SCT-VP;portal;EXT-1;x",
        "Hệ thống một cửa;UBND tỉnh Đồng Nai;Phục vụ người dân, doanh nghiệp;Thông tin riêng, cá nhân;abc;31/02/2020;KHONG-CO;không-có;EXT-2;",
        "Thư điện tử;UBND tỉnh Đồng Nai;internal;private;;;SCT-KT;;EXT-3;",
    ]);
    let (status, report) = import(&app, &token, "dry_run", &file).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["format"], "csv");
    assert_eq!(report["unmapped"], json!(["Ghi chú"]));
    let mapping = report["mapping"].as_array().unwrap();
    assert_eq!(mapping[0]["field"], "name");
    assert_eq!(mapping[4]["field"], "proposed_level");
    assert_eq!(
        (report["valid"].as_u64(), report["invalid"].as_u64()),
        (Some(2), Some(1))
    );
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows[0]["row"], 3);
    assert_eq!(rows[0]["action"], "create");
    assert!(rows[0]["classification_status"].is_string(), "{}", rows[0]);
    assert!(
        rows[0]["errors"].as_array().unwrap().is_empty(),
        "{}",
        rows[0]
    );
    let bad = &rows[1];
    assert_eq!(bad["row"], 4);
    let errors: Vec<(String, String)> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["column"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |col: &str, text: &str| errors.iter().any(|(c, m)| c == col && m.contains(text));
    assert!(has("Cap do de xuat", "«abc»"), "{errors:?}");
    assert!(has("Ngay dua vao van hanh", "dd/mm/yyyy"), "{errors:?}");
    assert!(has("Ma don vi quan ly", "«KHONG-CO»"), "{errors:?}");
    // The unknown kind is the rules engine's verdict, reached only when the cells read.
    let (_, report) = import(
        &app,
        &token,
        "dry_run",
        &csv_file(&[
            "Tên hệ thống,Chủ quản hệ thống,Chức năng của hệ thống,Loại thông tin xử lý,Loại hệ thống",
            "Hệ thống X,UBND tỉnh Đồng Nai,internal,private,khong-co-loai-nay",
        ]),
    )
    .await;
    let e = &report["rows"][0]["errors"][0];
    assert_eq!(e["column"], "Loại hệ thống", "{report}");

    let (systems_before, audits_before) = (system_count(&app).await, app.audit_count().await);
    let (status, err) = import(&app, &token, "commit", &file).await;
    assert_eq!(status, 422, "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("chưa ghi"),
        "{err}"
    );
    assert!(err["error"]["fields"]["rows"][0]
        .as_str()
        .unwrap()
        .starts_with("Dòng 4, cột"));
    assert_eq!(system_count(&app).await, systems_before);
    assert_eq!(app.audit_count().await, audits_before);
    // The dry run wrote nothing either.
    assert_eq!(systems_before, 0);
}

#[tokio::test]
async fn the_user_can_map_columns_and_unknown_fields_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let file = csv_file(&[
        "Tên HT,Cơ quan chủ quản,Chức năng,Thông tin,Nhận xét",
        "Cổng thông tin,UBND tỉnh Đồng Nai,internal,public,Chủ quản ghi ở đây",
    ]);
    let mapping = r#"{"Tên HT":"name","Thông tin":"information","Nhận xét":""}"#;
    let (status, report) = import_with(
        &app,
        &token,
        &[("mode", "commit"), ("mapping", mapping)],
        &file,
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["creates"], 1);
    assert_eq!(report["unmapped"], json!(["Nhận xét"]));
    let (status, err) =
        import_with(&app, &token, &[("mapping", r#"{"Tên HT":"ten"}"#)], &file).await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["mapping"][0]
        .as_str()
        .unwrap()
        .contains("`ten`"));
}

#[tokio::test]
async fn malformed_files_get_clear_errors() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    // Not a spreadsheet.
    let (status, err) = import(&app, &token, "dry_run", b"%PDF-1.4\n%%EOF\n").await;
    assert_eq!(status, 415, "{err}");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("XLSX hoặc CSV"));
    let (status, _) = import(&app, &token, "dry_run", &[0u8, 159, 146, 150, 0, 1, 2]).await;
    assert_eq!(status, 415);
    // An XLSX whose sheet is not a register.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Báo cáo").unwrap();
    sheet.write_string(0, 0, "Nội dung").unwrap();
    sheet.write_string(1, 0, "Không phải danh mục").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let (status, err) = import(&app, &token, "dry_run", &bytes).await;
    assert_eq!(status, 422, "{err}");
    let message = err["error"]["fields"]["file"][0].as_str().unwrap();
    assert!(
        message.contains("«Báo cáo»") && message.contains("Tên hệ thống"),
        "{message}"
    );
    // Required columns missing.
    let (status, err) = import(
        &app,
        &token,
        "dry_run",
        &csv_file(&["Tên hệ thống,Mô tả", "Cổng thông tin,Giới thiệu"]),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    let missing = err["error"]["fields"]["columns"].to_string();
    assert!(
        missing.contains("Chủ quản hệ thống") && missing.contains("Chức năng"),
        "{missing}"
    );
    // No file at all.
    let (kind, body) = multipart(&[("mode", "dry_run")], None);
    let res = app
        .client
        .post(app.url("/api/v1/systems/import"))
        .bearer_auth(&token)
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
}

#[tokio::test]
async fn a_file_of_100000_rows_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let mut text = String::from(
        "\u{feff}Tên hệ thống,Chủ quản hệ thống,Chức năng của hệ thống,Loại thông tin xử lý\n",
    );
    for i in 0..100_000 {
        text.push_str(&format!(
            "Hệ thống {i},UBND tỉnh Đồng Nai,internal,private\n"
        ));
    }
    let (systems, audits) = (system_count(&app).await, app.audit_count().await);
    let (status, err) = import(&app, &token, "commit", text.as_bytes()).await;
    assert_eq!(status, 413, "{err}");
    assert!(
        err["error"]["message"].as_str().unwrap().contains("20.000"),
        "{err}"
    );
    assert_eq!(system_count(&app).await, systems);
    assert_eq!(app.audit_count().await, audits);
}

#[tokio::test]
async fn an_import_stays_inside_the_callers_subtree() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let body = json!({
        "organization_id": app.tree.tech.id, "name": "Hệ thống của Phòng Kỹ thuật",
        "owner_name": "UBND tỉnh Đồng Nai", "facts": { "function": "internal", "information": ["private"] }
    });
    let (status, tech) = json_of(app.post("/api/v1/systems", &admin, &body).await).await;
    assert_eq!(status, 201, "{tech}");
    let officer = app
        .add_user("vp@example.vn", Role::SecurityOfficer, &app.tree.office.id)
        .await;
    let officer = app.token_for(&officer);
    let header = "Mã hệ thống,Tên hệ thống,Chủ quản hệ thống,Mã đơn vị quản lý,Chức năng của hệ thống,Loại thông tin xử lý";
    let tech_id = tech["id"].as_str().unwrap();
    let file = csv_file(&[
        header,
        &format!("{tech_id},Đổi tên,UBND tỉnh Đồng Nai,SCT-KT,internal,private"),
        ",Hệ thống mới,UBND tỉnh Đồng Nai,SCT-KT,internal,private",
        ",Hệ thống của Văn phòng,UBND tỉnh Đồng Nai,SCT-VP,internal,private",
    ]);
    let (status, report) = import(&app, &officer, "dry_run", &file).await;
    assert_eq!(status, 200, "{report}");
    let rows = report["rows"].as_array().unwrap();
    assert!(
        rows[0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("không thuộc phạm vi"),
        "{report}"
    );
    assert_eq!(rows[0]["errors"][0]["column"], "Mã hệ thống");
    assert!(
        rows[1]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("«SCT-KT»"),
        "{report}"
    );
    assert!(rows[2]["errors"].as_array().unwrap().is_empty(), "{report}");
    let (status, _) = import(&app, &officer, "commit", &file).await;
    assert_eq!(status, 422);
    let (_, still) = json_of(app.get(&format!("/api/v1/systems/{tech_id}"), &admin).await).await;
    assert_eq!(still["name"], "Hệ thống của Phòng Kỹ thuật");
    assert_eq!(system_count(&app).await, 1);
    // A viewer may not import at all.
    let viewer = app
        .add_user("xem@example.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let (status, _) = import(&app, &app.token_for(&viewer), "dry_run", &file).await;
    assert_eq!(status, 403);
    // Only the officer's own systems in the export.
    let (_, _, bytes) = export(&app, &officer, "format=xlsx").await;
    assert_eq!(xlsx_rows(&bytes).1.len(), 1);
    let _ = csv_rows;
}

fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("hidden field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn the_web_page_uploads_previews_each_row_and_confirms() {
    let app = TestApp::spawn().await;
    let login = app
        .client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&login);
    let res = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", crate::support::ROOT_EMAIL),
            ("password", crate::support::PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let list = app
        .client
        .get(app.url("/systems"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("Xuất danh mục") && list.contains("/systems/export.docx"),
        "{list}"
    );
    let res = app
        .client
        .get(app.url("/systems/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"\xEF\xBB\xBF"));
    let page = app
        .client
        .get(app.url("/systems/import"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);

    let upload = |data: Vec<u8>| {
        let (kind, body) = multipart(&[("csrf_token", csrf.as_str())], Some(&data));
        app.client
            .post(app.url("/systems/import"))
            .header("content-type", kind)
            .header("HX-Request", "true")
            .body(body)
            .send()
    };
    let header =
        "Tên hệ thống,Chủ quản hệ thống,Chức năng của hệ thống,Loại thông tin xử lý,Cấp độ đề xuất";
    let bad = csv_file(&[
        header,
        "Cổng thông tin,UBND tỉnh Đồng Nai,internal,public,",
        "Một cửa,UBND tỉnh Đồng Nai,internal,private,abc",
    ]);
    let res = upload(bad).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Cột «Cấp độ đề xuất»") && html.contains("«abc»"),
        "{html}"
    );
    assert!(
        !html.contains("id=\"import-confirm\""),
        "no confirm while a row is wrong"
    );

    let good = csv_file(&[header, "Cổng thông tin,UBND tỉnh Đồng Nai,internal,public,"]);
    let html = upload(good).await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"import-confirm\""), "{html}");
    let staged = hidden(&html, "staged");
    let form: Vec<(String, String)> = vec![
        ("csrf_token".into(), csrf.clone()),
        ("staged".into(), staged),
        ("mode".into(), "commit".into()),
    ];
    let res = app
        .client
        .post(app.url("/systems/import/staged"))
        .header("HX-Request", "true")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Đã nhập 1 hệ thống"), "{html}");
    assert_eq!(system_count(&app).await, 1);
    // Without the CSRF token nothing is read.
    let (kind, body) = multipart(&[], Some(b"x"));
    let res = app
        .client
        .post(app.url("/systems/import"))
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
}
