//! Approving a dossier waits for the system's security regulation (quy chế) to be recorded on
//! its checklist: met, with the regulation's number and date.

use serde_json::{json, Value};

use super::{answer, base, filing, item, items, start, system};
use crate::support::{json as json_of, TestApp};

async fn step(app: &TestApp, token: &str, d: &Value, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/dossiers/{}/transitions", d["id"].as_str().unwrap());
    json_of(app.post(&path, token, &body).await).await
}

async fn ok_step(app: &TestApp, token: &str, d: &Value, body: Value) -> Value {
    let (status, v) = step(app, token, d, body).await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn complete(app: &TestApp, token: &str, d: &Value, at: &str) {
    for c in d["components"].as_array().unwrap() {
        if c["step"] == at && c["required"] == true {
            let path = format!(
                "/api/v1/dossiers/{}/components/{}",
                d["id"].as_str().unwrap(),
                c["component"].as_str().unwrap()
            );
            let body = json!({ "status": "complete", "document_number": "936/SCT-VP", "document_date": "2026-11-02" });
            let (status, v) = json_of(app.patch(&path, token, &body).await).await;
            assert_eq!(status, 200, "{v}");
        }
    }
}

/// A level-3 dossier walked to the approval step, its approval documents complete.
async fn at_approval(app: &TestApp, token: &str, s: &Value) -> Value {
    let path = format!("/api/v1/systems/{}/dossiers", s["id"].as_str().unwrap());
    let (status, d) = json_of(app.post(&path, token, &json!({})).await).await;
    assert_eq!(status, 201, "{d}");
    complete(app, token, &d, "proposal").await;
    let d = ok_step(app, token, &d, json!({ "to": "submitted", "document_number": "2559/SCT-VP", "document_date": "2026-11-03", "recipient": "Công an tỉnh Đồng Nai" })).await;
    let d = ok_step(
        app,
        token,
        &d,
        json!({ "to": "received", "date": "2026-11-05" }),
    )
    .await;
    let d = ok_step(
        app,
        token,
        &d,
        json!({ "to": "under_appraisal", "date": "2026-11-06" }),
    )
    .await;
    let d = ok_step(app, token, &d, json!({ "to": "appraised", "opinion": "favourable", "document_number": "45/CAT-ANM", "document_date": "2026-11-16" })).await;
    complete(app, token, &d, "approval").await;
    d
}

#[tokio::test]
async fn approval_waits_for_the_regulation_with_its_number_and_date() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let s = system(&app, &token, filing(&app.tree.root.id)).await;
    let d = at_approval(&app, &token, &s).await;
    let approve =
        json!({ "to": "approved", "document_number": "88/QĐ-UBND", "document_date": "2026-11-20" });
    let (status, err) = step(&app, &token, &d, approve.clone()).await;
    assert_eq!(status, 409, "{err}");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(message.contains("quy chế"), "{message}");

    let (status, c) = start(&app, &token, &s, json!({})).await;
    assert_eq!(status, 201, "{c}");
    let regulation = items(&c)
        .into_iter()
        .find(|i| i["special"] == "regulation_before_approval")
        .expect("the regulation requirement");
    let code = regulation["code"].as_str().unwrap().to_string();
    let (status, err) = answer(&app, &token, &s, &code, json!({ "status": "met" })).await;
    assert_eq!(status, 422, "met without the regulation's document: {err}");
    assert!(err["error"]["fields"]["status"].is_array(), "{err}");
    assert_eq!(step(&app, &token, &d, approve.clone()).await.0, 409);

    let evidence = json!({ "title": "Quy chế bảo đảm an toàn", "document_number": "15/QĐ-SCT", "document_date": "2026-10-01" });
    let path = format!("{}/items/{code}/evidence", base(&s));
    let (status, e) = json_of(app.post(&path, &token, &evidence).await).await;
    assert_eq!(status, 201, "{e}");
    assert_eq!(e["document_number"], "15/QĐ-SCT");
    let (status, c) = answer(&app, &token, &s, &code, json!({ "status": "met" })).await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["regulation_recorded"], true);
    assert_eq!(item(&c, &code).unwrap()["status"], "met");
    let d = ok_step(&app, &token, &d, approve).await;
    assert_eq!(d["status"], "approved");
}
