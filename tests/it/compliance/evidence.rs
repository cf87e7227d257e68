//! Evidence files stored and served like dossier files; who may see and change a checklist.

use capdo::domain::Role;
use serde_json::{json, Value};

use super::{answer, base, filing, start, system};
use crate::support::{json as json_of, TestApp};

const BOUNDARY: &str = "----capdo-compliance-4b1e";

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n%\xe2\xe3\n1 0 obj << /Title (Quy che) >> endobj\ntrailer << >>\n%%EOF\n".to_vec()
}

fn form(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, data)) = file {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, token: &str, s: &Value, code: &str, body: Vec<u8>) -> (u16, Value) {
    let res = app
        .client
        .post(app.url(&format!("{}/items/{code}/evidence", base(s))))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    json_of(res).await
}

async fn evidence_count(app: &TestApp) -> i64 {
    use capdo::db::schema::compliance_evidence;
    use diesel::{QueryDsl, RunQueryDsl};
    app.state
        .db
        .run(|conn| {
            compliance_evidence::table
                .count()
                .get_result::<i64>(conn)
                .map_err(Into::into)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn an_evidence_file_is_stored_served_back_and_removed() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let s = system(&app, &token, filing(&app.tree.root.id)).await;
    assert_eq!(start(&app, &token, &s, json!({})).await.0, 201);
    let bytes = pdf();
    let fields = [
        ("title", "Kế hoạch ứng phó sự cố"),
        ("document_number", "20/KH-SCT"),
        ("document_date", "2026-09-15"),
    ];
    let (status, e) = upload(
        &app,
        &token,
        &s,
        "M1",
        form(&fields, Some(("Kế hoạch.pdf", &bytes))),
    )
    .await;
    assert_eq!(status, 201, "{e}");
    assert_eq!(e["content_type"], "application/pdf");
    assert_eq!(e["document_number"], "20/KH-SCT");
    let download = e["download_path"].as_str().unwrap().to_string();
    let res = app
        .client
        .get(app.url(&download))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());

    let before = evidence_count(&app).await;
    let (status, err) = upload(
        &app,
        &token,
        &s,
        "M1",
        form(
            &[("title", "x")],
            Some(("a.pdf", b"MZ\x90\x00 not a document")),
        ),
    )
    .await;
    assert_eq!(status, 415, "{err}");
    assert_eq!(evidence_count(&app).await, before, "nothing stored");

    let res = app
        .client
        .delete(app.url(&download))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(app.get(&download, &token).await.status(), 404);
    assert_eq!(evidence_count(&app).await, before - 1);
}

#[tokio::test]
async fn the_checklist_is_scoped_like_its_system() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let s = system(&app, &token, filing(&app.tree.office.id)).await;
    assert_eq!(start(&app, &token, &s, json!({})).await.0, 201);
    let outsider = app
        .add_user("kt@sct.gov.vn", Role::SecurityOfficer, &app.tree.tech.id)
        .await;
    let outsider = app.token_for(&outsider);
    assert_eq!(app.get(&base(&s), &outsider).await.status(), 404);
    assert_eq!(
        answer(&app, &outsider, &s, "M1", json!({ "status": "met" }))
            .await
            .0,
        404
    );

    let viewer = app
        .add_user("xem-vp@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let viewer = app.token_for(&viewer);
    let (status, c) = json_of(app.get(&base(&s), &viewer).await).await;
    assert_eq!(status, 200);
    assert_eq!(c["editable"], false);
    assert_eq!(
        answer(&app, &viewer, &s, "M1", json!({ "status": "met" }))
            .await
            .0,
        403
    );
    let evidence = json!({ "document_number": "1/QĐ-SCT", "document_date": "2026-10-01" });
    let path = format!("{}/items/M1/evidence", base(&s));
    assert_eq!(app.post(&path, &viewer, &evidence).await.status(), 403);

    let officer = app
        .add_user(
            "attt-vp@sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let officer_token = app.token_for(&officer);
    let other = app
        .add_user("kt2@sct.gov.vn", Role::Operator, &app.tree.tech.id)
        .await;
    let (status, err) = answer(
        &app,
        &officer_token,
        &s,
        "M1",
        json!({ "responsible_id": other.id }),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["responsible_id"].is_array(), "{err}");
    let (status, v) = answer(
        &app,
        &officer_token,
        &s,
        "M1",
        json!({ "responsible_id": officer.id }),
    )
    .await;
    assert_eq!(status, 200, "{v}");
}
