//! The register "Danh mục hệ thống thông tin thuộc phạm vi quản lý" as XLSX, CSV and DOCX: the
//! files open, carry Vietnamese headers and the dossier letter, neutralise formula-like cells
//! and show only the caller's subtree.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use capdo::db::schema::dossiers;
use capdo::domain::Role;
use capdo::rules::today_in_vietnam;
use capdo::services;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::support::{json as json_of, TestApp};

/// Seeds the five systems of the seed report under the root organisation.
pub async fn seed_example(app: &TestApp) -> Vec<(String, Option<i32>)> {
    let root = app.tree.root.id.clone();
    let rules = app.state.rules.clone();
    app.state
        .db
        .run(move |conn| {
            let org = capdo::repo::organizations::find(conn, &root)?.unwrap();
            services::demo::seed_example(conn, &rules, &org, today_in_vietnam())
        })
        .await
        .expect("seed example")
}

/// The ids of the visible systems whose name contains `q`.
pub async fn find_system(app: &TestApp, token: &str, q: &str) -> Value {
    let (status, list) = json_of(
        app.get(&format!("/api/v1/systems?q={q}&per_page=200"), token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    list["items"][0].clone()
}

pub async fn export(app: &TestApp, token: &str, query: &str) -> (u16, String, Vec<u8>) {
    let res = app
        .get(&format!("/api/v1/systems/export?{query}"), token)
        .await;
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, res.bytes().await.unwrap().to_vec())
}

/// The first sheet's rows as text.
pub fn xlsx_rows(bytes: &[u8]) -> (String, Vec<Vec<String>>) {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let rows = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    (name, rows)
}

pub fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV starts with a BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn column(rows: &[Vec<String>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header}: {:?}", rows[0]))
}

#[tokio::test]
async fn the_register_opens_as_xlsx_csv_and_docx_with_the_dossier_letter() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let seeded = seed_example(&app).await;
    let trade = find_system(&app, &token, "xuc%20tien").await;
    let trade_id = trade["id"].as_str().unwrap().to_string();
    let (status, d) = json_of(
        app.post(
            &format!("/api/v1/systems/{trade_id}/dossiers"),
            &token,
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{d}");
    let dossier_id = d["id"].as_str().unwrap().to_string();
    app.state
        .db
        .run(move |conn| {
            diesel::update(dossiers::table.find(dossier_id))
                .set((
                    dossiers::submission_number.eq("2559/SCT-VP"),
                    dossiers::submission_date.eq(NaiveDate::from_ymd_opt(2021, 5, 25)),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();

    let (status, kind, bytes) = export(&app, &token, "format=xlsx").await;
    assert_eq!(status, 200);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let (sheet, rows) = xlsx_rows(&bytes);
    assert_eq!(sheet, "Danh mục HTTT");
    assert_eq!(
        &rows[0][..7],
        [
            "STT",
            "Tên hệ thống thông tin",
            "Đơn vị vận hành",
            "Cấp độ đề xuất",
            "Hồ sơ và thời gian gửi HSĐXCĐ",
            "Cấp độ được phê duyệt",
            "Trạng thái"
        ]
    );
    assert_eq!(rows.len(), seeded.len() + 1);
    let id_col = column(&rows, "Mã hệ thống");
    let trade_row = rows.iter().find(|r| r[id_col] == trade_id).unwrap();
    assert!(
        trade_row[1].starts_with(trade["name"].as_str().unwrap()),
        "{:?}",
        trade_row[1]
    );
    assert!(
        trade_row[1].contains("\nMáy chủ đặt tại: "),
        "{:?}",
        trade_row[1]
    );
    assert_eq!(trade_row[4], "VB số 2559/SCT-VP ngày 25/05/2021");
    assert_eq!(trade_row[6], "Đang vận hành");
    // The other systems have no letter.
    assert_eq!(rows.iter().filter(|r| r[4].starts_with("VB số")).count(), 1);

    let (status, kind, bytes) = export(&app, &token, "format=csv").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let rows = csv_rows(&bytes);
    assert_eq!(rows[0][1], "Tên hệ thống thông tin");
    assert_eq!(rows.len(), seeded.len() + 1);
    assert!(rows
        .iter()
        .any(|r| r[4] == "VB số 2559/SCT-VP ngày 25/05/2021"));

    let (status, kind, bytes) = export(&app, &token, "format=docx").await;
    assert_eq!(status, 200);
    assert!(kind.contains("wordprocessingml"), "{kind}");
    let text = crate::paperwork_docx::xml::docx_text(&bytes);
    assert!(
        text.contains("DANH MỤC HỆ THỐNG THÔNG TIN THUỘC PHẠM VI QUẢN LÝ"),
        "{text}"
    );
    assert!(text.contains("VB số 2559/SCT-VP ngày 25/05/2021"), "{text}");
    assert!(text.contains(trade["name"].as_str().unwrap()));

    let (status, _, body) = export(&app, &token, "format=pdf").await;
    assert_eq!(status, 422);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert!(body["error"]["fields"]["format"][0]
        .as_str()
        .unwrap()
        .contains("xlsx, csv hoặc docx"));
}

#[tokio::test]
async fn formula_like_cells_are_neutralised_in_xlsx_and_csv() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let body = json!({
        "organization_id": app.tree.office.id, "name": "=HYPERLINK(\"http://x.example\")",
        "description": "@SUM(A1:A9)", "owner_name": "+84 UBND tỉnh", "kind": "portal",
        "hosting_provider": "-1+2",
        "facts": { "function": "citizen_business", "information": ["public"] }
    });
    let (status, s) = json_of(app.post("/api/v1/systems", &token, &body).await).await;
    assert_eq!(status, 201, "{s}");
    for format in ["xlsx", "csv"] {
        let (_, _, bytes) = export(&app, &token, &format!("format={format}")).await;
        let rows = if format == "xlsx" {
            xlsx_rows(&bytes).1
        } else {
            csv_rows(&bytes)
        };
        let row = &rows[1];
        assert!(row[1].starts_with("'=HYPERLINK"), "{format}: {:?}", row[1]);
        assert_eq!(
            row[column(&rows, "Tên hệ thống")],
            "'=HYPERLINK(\"http://x.example\")"
        );
        assert_eq!(row[column(&rows, "Mô tả")], "'@SUM(A1:A9)");
        assert_eq!(row[column(&rows, "Chủ quản hệ thống")], "'+84 UBND tỉnh");
        assert_eq!(row[column(&rows, "Nhà cung cấp hạ tầng, dịch vụ")], "'-1+2");
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{format}: {cell}");
        }
    }
}

#[tokio::test]
async fn the_register_shows_only_the_callers_subtree() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    for (org, name) in [
        (&app.tree.office.id, "Hệ thống của Văn phòng"),
        (&app.tree.tech.id, "Hệ thống của Phòng Kỹ thuật"),
    ] {
        let body = json!({
            "organization_id": org, "name": name, "owner_name": "UBND tỉnh Đồng Nai",
            "facts": { "function": "internal", "information": ["private"] }
        });
        let (status, s) = json_of(app.post("/api/v1/systems", &token, &body).await).await;
        assert_eq!(status, 201, "{s}");
    }
    let officer = app
        .add_user("vp@example.vn", Role::SecurityOfficer, &app.tree.office.id)
        .await;
    let officer = app.token_for(&officer);
    let (_, _, bytes) = export(&app, &officer, "format=csv").await;
    let rows = csv_rows(&bytes);
    let names: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r[column(&rows, "Tên hệ thống")].as_str())
        .collect();
    assert_eq!(names, ["Hệ thống của Văn phòng"]);
    // The whole tree for the root's administrator; one unit when asked.
    let (_, _, bytes) = export(&app, &token, "format=csv").await;
    assert_eq!(csv_rows(&bytes).len(), 3);
    let (_, _, bytes) = export(
        &app,
        &token,
        &format!("format=csv&organization_id={}", app.tree.tech.id),
    )
    .await;
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1][column(&rows, "Tên hệ thống")],
        "Hệ thống của Phòng Kỹ thuật"
    );
    // Another unit's subtree is not the officer's to export.
    let (status, _, _) = export(
        &app,
        &officer,
        &format!("format=xlsx&organization_id={}", app.tree.tech.id),
    )
    .await;
    assert_eq!(status, 422);
}
