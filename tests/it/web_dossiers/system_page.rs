//! The dossier section of a system's page: the dossiers holding the system with their status,
//! and "Lập hồ sơ" for several systems where the regime allows it.

use serde_json::{json, Value};

use super::{csrf_from, filing_system, page, post, sign_in};
use crate::support::{json as json_of, TestApp};

async fn system_in(app: &TestApp, org: &str, name: &str, extra: Value) -> String {
    let mut body = json!({
        "organization_id": org, "name": name,
        "owner_name": "UBND tỉnh Đồng Nai", "kind": "portal",
        "facts": { "function": "citizen_business", "information": ["public"], "public_service_level": 2 }
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, s) = json_of(app.post("/api/v1/systems", &app.admin_token(), &body).await).await;
    assert_eq!(status, 201, "{s}");
    s["id"].as_str().unwrap().to_string()
}

fn option(id: &str) -> String {
    format!("<option value=\"{id}\">")
}

#[tokio::test]
async fn the_system_page_lists_its_dossiers_and_opens_one_for_several_systems() {
    let app = TestApp::spawn().await;
    sign_in(&app).await;
    let root = app.tree.root.id.clone();
    let first = filing_system(&app).await;
    let second = system_in(&app, &root, "Cổng thông tin điện tử tỉnh", json!({})).await;
    let third = system_in(&app, &root, "Hệ thống thư điện tử công vụ", json!({})).await;
    let elsewhere = system_in(&app, &app.tree.office.id, "Cổng của Văn phòng", json!({})).await;
    let old = json!({ "investment_before_law": true, "chosen_regime": "nd85-2016" });
    let nd85 = system_in(&app, &root, "Hệ thống một cửa điện tử", old.clone()).await;
    let nd85_other = system_in(&app, &root, "Hệ thống quản lý văn bản", old).await;

    let html = page(&app, &format!("/systems/{first}")).await;
    assert!(html.contains("id=\"no-system-dossiers\""), "no dossier yet");
    assert!(
        html.contains("id=\"open-dossier-systems\""),
        "Decree 331 allows several"
    );
    assert!(html.contains(&option(&second)) && html.contains(&option(&third)));
    assert!(
        !html.contains(&option(&elsewhere)),
        "another owner organisation"
    );
    assert!(!html.contains(&option(&nd85)), "another regime");
    let csrf = csrf_from(&html);

    let (status, location, body) = post(
        &app,
        &format!("/systems/{first}/dossiers"),
        &[("csrf_token", csrf.as_str()), ("systems", second.as_str())],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let id = location
        .strip_prefix("/dossiers/")
        .and_then(|rest| rest.split('?').next())
        .expect("redirect to the dossier page")
        .to_string();

    for sid in [&first, &second] {
        let html = page(&app, &format!("/systems/{sid}")).await;
        assert!(html.contains(&format!("href=\"/dossiers/{id}\"")), "{sid}");
        assert!(html.contains("data-status=\"draft\""));
        assert!(html.contains("Đang lập hồ sơ"), "the status label");
        assert!(html.contains("Cấp độ 3"), "the dossier's level");
    }
    let html = page(&app, &format!("/systems/{second}")).await;
    assert!(html.contains("(hồ sơ gồm nhiều hệ thống)"));

    // The third system may no longer pick the second one, and a forced pick is refused.
    let html = page(&app, &format!("/systems/{third}")).await;
    assert!(
        !html.contains(&option(&second)),
        "already in an open dossier"
    );
    for (pick, reason) in [
        (
            &second,
            "đã thuộc một hồ sơ đề xuất cấp độ chưa được phê duyệt",
        ),
        (&elsewhere, "thuộc đơn vị chủ quản khác"),
    ] {
        let (status, _, body) = post(
            &app,
            &format!("/systems/{third}/dossiers"),
            &[("csrf_token", csrf.as_str()), ("systems", pick.as_str())],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains(reason), "{body}");
    }

    // Decree 85: one dossier per system, so no list to pick from, and a pick is refused.
    let html = page(&app, &format!("/systems/{nd85}")).await;
    assert!(html.contains("id=\"open-dossier\""));
    assert!(!html.contains("id=\"open-dossier-systems\""));
    let (status, _, body) = post(
        &app,
        &format!("/systems/{nd85}/dossiers"),
        &[
            ("csrf_token", csrf.as_str()),
            ("systems", nd85_other.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("không cho phép lập một hồ sơ cho nhiều hệ thống"),
        "{body}"
    );
}
