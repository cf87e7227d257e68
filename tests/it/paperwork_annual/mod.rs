//! The annual report on a real database: exact figures for systems, dossiers, assessments and
//! warnings of a period (its boundaries 14/12 in, 15/12 out), subtree isolation, the XLSX and
//! DOCX files, and bad years refused in Vietnamese.

mod seed;

use std::io::Read;

use serde_json::json;

use crate::support::{json as json_of, TestApp, PASSWORD, ROOT_EMAIL};
use seed::{report, seed};

#[tokio::test]
async fn the_annual_report_counts_exactly_what_happened_in_its_period() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let (office, tech_token) = seed(&app).await;

    let r = report(&app, &admin, "year=2025").await;
    assert_eq!(r["year"], 2025);
    assert_eq!(r["basis"]["code"], "tt12-2022");
    assert_eq!(r["period"]["from"], "2024-12-15");
    assert_eq!(r["period"]["to"], "2025-12-14");
    assert_eq!(r["period"]["units_before"], "2025-12-20");
    assert_eq!(r["period"]["owner_before"], "2025-12-25");
    let s = &r["systems"];
    assert_eq!(
        (s["total"].as_i64(), s["managed"].as_i64()),
        (Some(5), Some(4)),
        "{s}"
    );
    let totals: Vec<i64> = (0..5)
        .map(|i| s["by_level"][i]["total"].as_i64().unwrap())
        .collect();
    assert_eq!(totals, vec![1, 1, 1, 0, 0], "retired not counted: {s}");
    assert_eq!(s["by_level"][0]["approved"], 1);
    assert_eq!(s["by_level"][1]["proposed_only"], 1);
    assert_eq!(s["by_level"][2]["approved"], 1);
    assert_eq!(
        (s["undetermined"].as_i64(), s["approved"].as_i64()),
        (Some(1), Some(2))
    );
    let statuses: Vec<i64> = (0..3)
        .map(|i| s["by_status"][i]["count"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, vec![1, 3, 1], "planned, in operation, retired");
    let regime_total: i64 = s["by_regime"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["total"].as_i64().unwrap())
        .sum();
    assert_eq!(regime_total, 4);

    let d = &r["dossiers"];
    assert_eq!(
        d["submitted"], 2,
        "D1 once (14/12/2024 is before the period), D3: {d}"
    );
    assert_eq!(d["submitted_by_level"], json!([1, 0, 1, 0, 0]));
    assert_eq!(d["approved"], 2, "D1 on 14/12/2025 is inside: {d}");
    assert_eq!(d["approved_by_level"], json!([1, 0, 1, 0, 0]));

    let a = &r["assessments"];
    assert_eq!(
        (
            a["done"].as_i64(),
            a["done_systems"].as_i64(),
            a["done_agency"].as_i64()
        ),
        (Some(1), Some(1), Some(0)),
        "{a}"
    );
    assert_eq!(
        (
            a["due"].as_i64(),
            a["due_done"].as_i64(),
            a["due_open"].as_i64()
        ),
        (Some(3), Some(2), Some(1)),
        "{a}"
    );

    let w = &r["alerts"];
    assert_eq!(w["alerts"], 1, "{w}");
    assert_eq!(w["deliveries"], 2);
    assert_eq!(
        (w["delivered"].as_i64(), w["failed"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(w["acknowledged"], 1);
    assert_eq!(w["delivery_rate"], 50.0);
    assert_eq!(w["acknowledgement_rate"], 50.0);
    assert!(r["compliance"]["percent"].is_null());

    // The next period: 15/12/2025 falls into 2026, under Decree 331 and form Mẫu 08.
    let n = report(&app, &admin, "year=2026").await;
    assert_eq!(n["basis"]["code"], "nd331-2026");
    assert!(n["basis"]["form"].as_str().unwrap().contains("Mẫu số 08"));
    assert_eq!(n["dossiers"]["submitted"], 1);
    assert_eq!(n["dossiers"]["submitted_by_level"], json!([0, 1, 0, 0, 0]));
    assert_eq!(n["dossiers"]["approved"], 0);
    assert_eq!(n["assessments"]["due"], 1);
    assert_eq!(n["alerts"]["alerts"], 1);
    assert_eq!(n["alerts"]["deliveries"], 2);
    assert_eq!(n["alerts"]["acknowledgement_rate"], 0.0);

    // The office's subtree only.
    let o = report(&app, &admin, &format!("year=2025&organization_id={office}")).await;
    assert_eq!(o["unit"]["name"], "Văn phòng Sở");
    assert_eq!(o["systems"]["total"], 4);
    assert_eq!(o["dossiers"]["submitted"], 1);
    assert_eq!(o["dossiers"]["approved"], 1);
    assert_eq!(o["assessments"]["due"], 2);
    assert_eq!(o["alerts"]["alerts"], 0, "the warnings are the root's");

    // A user of the technical unit sees that unit only and cannot ask for the office.
    let t = report(&app, &tech_token, "year=2025").await;
    assert_eq!(t["systems"]["total"], 1);
    assert_eq!(t["dossiers"]["submitted"], 1);
    assert_eq!(t["assessments"]["due"], 1);
    let (status, e) = json_of(
        app.get(
            &format!("/api/v1/reports/annual?year=2025&organization_id={office}"),
            &tech_token,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{e}");
}

#[tokio::test]
async fn bad_years_and_formats_are_refused_in_vietnamese() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    for bad in ["1999", "abc", "2021", "99999"] {
        let (status, e) = json_of(
            app.get(&format!("/api/v1/reports/annual?year={bad}"), &admin)
                .await,
        )
        .await;
        assert_eq!(status, 422, "{bad}: {e}");
        let msg = e["error"]["fields"]["year"][0].as_str().unwrap_or_default();
        assert!(msg.contains("Năm báo cáo"), "{bad}: {e}");
    }
    let (status, e) = json_of(app.get("/api/v1/reports/annual?format=pdf", &admin).await).await;
    assert_eq!(status, 422, "{e}");
    let r = report(&app, &admin, "").await;
    let today = capdo::rules::today_in_vietnam();
    assert_eq!(
        r["year"].as_i64().unwrap() as i32,
        capdo::services::annual_report::current_year(today)
    );
    let anon = app
        .client
        .get(app.url("/api/v1/reports/annual"))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), 401);
}

async fn sign_in(app: &TestApp) {
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    let html = page.text().await.unwrap();
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    let csrf = html[start..].split('"').next().unwrap().to_string();
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
}

/// Every XML part of an Office file, checked to be well-formed; returns (name, text).
fn xml_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().expect("entry name").to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
        parts.push((name, text));
    }
    parts
}

#[tokio::test]
async fn the_report_downloads_as_xlsx_and_docx_with_its_figures() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    seed(&app).await;

    let res = app
        .get("/api/v1/reports/annual?year=2025&format=xlsx", &admin)
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("bao-cao-nam-2025.xlsx"));
    let bytes = res.bytes().await.unwrap().to_vec();
    xml_parts(&bytes);
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Báo cáo năm 2025").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let find = |label: &str| {
        rows.iter()
            .find(|r| r.first().map(String::as_str) == Some(label))
            .unwrap_or_else(|| panic!("no row {label}: {rows:?}"))
            .clone()
    };
    assert!(
        find("Kỳ báo cáo")[1].contains("15/12/2024")
            && find("Kỳ báo cáo")[1].contains("14/12/2025")
    );
    assert!(
        find("Thời hạn gửi")[1].contains("20/12/2025")
            && find("Thời hạn gửi")[1].contains("25/12/2025")
    );
    assert_eq!(&find("Cấp độ 3")[1..4], &["1", "1", "0"]);
    assert_eq!(&find("Cấp độ 2")[1..4], &["1", "0", "1"]);
    assert_eq!(find("Chưa xác định cấp độ")[1], "1");
    assert_eq!(find("Hồ sơ đã gửi thẩm định, phê duyệt")[6], "2");
    assert_eq!(find("Hồ sơ đã được phê duyệt cấp độ")[6], "2");
    assert_eq!(find("Số lượt gửi tới người nhận")[1], "2");
    assert_eq!(find("Tỷ lệ xác nhận")[1], "50");
    assert_eq!(find("— chưa thực hiện")[1], "1");

    let res = app
        .get("/api/v1/reports/annual?year=2025&format=docx", &admin)
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let document = crate::paperwork_docx::xml::docx_text(&bytes);
    for expected in [
        "Thông tư số 12/2022/TT-BTTTT",
        "15/12/2024",
        "25/12/2025",
        "đã gửi 2 hồ sơ đề xuất cấp độ",
        "Cấp độ 3",
        "50%",
    ] {
        assert!(document.contains(expected), "DOCX lacks {expected}");
    }

    // The web page and its downloads, signed in through the login form.
    sign_in(&app).await;
    let page = app
        .client
        .get(app.url("/reports/annual?year=2025"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Báo cáo hằng năm 2025"));
    assert!(html.contains("/reports/annual.xlsx?year=2025"));
    assert!(html.contains("/reports/annual.docx?year=2025"));
    assert!(html.contains("đã gửi 2 hồ sơ đề xuất cấp độ"));
    for path in [
        "/reports/annual.xlsx?year=2025",
        "/reports/annual.docx?year=2025",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let bytes = res.bytes().await.unwrap();
        if path.contains(".docx") {
            crate::paperwork_docx::xml::docx_text(&bytes);
        } else {
            xml_parts(&bytes);
        }
    }
}
