//! What uploads are refused: other content (415), empty files and strange forms (422), a
//! file over the configured limit (413); and a form that records only a number and a date.

use serde_json::json;

use super::samples::{self, file, post_form, text, SmallLimitApp};
use super::{blobs_on_disk, component, documents, tmp_is_empty, upload};
use crate::dossiers::{dossier_for, filing};
use crate::support::{error_code, json as json_of, TestApp};

#[tokio::test]
async fn other_content_answers_415_an_empty_file_422_and_strange_forms_422() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    for (name, bytes) in [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec()),
        (
            "trang.pdf",
            b"<!DOCTYPE html><script>alert(1)</script>".to_vec(),
        ),
        ("nen.docx", samples::zip_of(&[("a.txt", b"a", false)])),
    ] {
        let (status, err) = upload(
            &app,
            &token,
            &d,
            &[text("component", "overview"), file(name, &bytes)],
        )
        .await;
        assert_eq!(status, 415, "{name}: {err}");
        assert_eq!(error_code(&err), "unsupported_media_type");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, PNG, JPEG"),
            "{message}"
        );
    }
    let (status, err) = upload(
        &app,
        &token,
        &d,
        &[text("component", "overview"), file("rong.pdf", b"")],
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["file"][0]
        .as_str()
        .unwrap()
        .contains("rỗng"));
    let bytes = samples::pdf("x");
    let (status, err) = upload(
        &app,
        &token,
        &d,
        &[
            text("component", "overview"),
            text("colour", "đỏ"),
            file("a.pdf", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["colour"][0]
        .as_str()
        .unwrap()
        .contains("không được hỗ trợ"));
    let (status, err) = upload(&app, &token, &d, &[file("a.pdf", &bytes)]).await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["component"].is_array());
    let (status, err) = upload(
        &app,
        &token,
        &d,
        &[text("component", "no_such_part"), file("a.pdf", &bytes)],
    )
    .await;
    assert_eq!(status, 404, "{err}");
    let (status, err) = json_of(
        app.post(&documents(&d), &token, &json!({ "component": "overview" }))
            .await,
    )
    .await;
    assert_eq!(status, 415, "a JSON body: {err}");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("multipart/form-data"));
    let (_, list) = json_of(app.get(&documents(&d), &token).await).await;
    assert_eq!(list, json!([]));
    assert_eq!(blobs_on_disk(&app.state.config.data_dir), 0);
    assert!(tmp_is_empty(&app.state.config.data_dir));
}

#[tokio::test]
async fn without_a_file_only_the_number_date_and_note_are_recorded() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    // A browser form sent without choosing a file has an empty, nameless file part.
    let no_file = file("", b"");
    let (status, v) = upload(
        &app,
        &token,
        &d,
        &[
            text("component", "overview"),
            text("document_number", "2559/SCT-VP"),
            text("document_date", "2026-11-02"),
            text("note", "Lưu tại hệ thống quản lý văn bản"),
            no_file,
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let c = component(&v, "overview");
    assert_eq!(c["document_number"], "2559/SCT-VP");
    assert_eq!(c["document_date"], "2026-11-02");
    assert_eq!(c["note"], "Lưu tại hệ thống quản lý văn bản");
    assert_eq!(c["files"], json!([]));
    let (status, err) = upload(
        &app,
        &token,
        &d,
        &[
            text("component", "overview"),
            text("document_date", "02/11/2026"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(err["error"]["fields"]["document_date"].is_array());
    let (status, err) = upload(&app, &token, &d, &[text("component", "overview")]).await;
    assert_eq!(status, 422);
    assert!(err["error"]["fields"]["file"][0]
        .as_str()
        .unwrap()
        .contains("chọn tệp"));
}
#[tokio::test]
async fn an_upload_over_the_configured_limit_answers_413_and_leaves_nothing() {
    let app = SmallLimitApp::spawn(4096).await;
    let (status, s) = app.post_json("/api/v1/systems", &filing(&app.org_id)).await;
    assert_eq!(status, 201, "{s}");
    let (status, d) = app
        .post_json(
            &format!("/api/v1/systems/{}/dossiers", s["id"].as_str().unwrap()),
            &json!({}),
        )
        .await;
    assert_eq!(status, 201, "{d}");
    let url = format!("{}{}", app.address, documents(&d));
    let mut big = samples::pdf("lớn");
    big.resize(64 * 1024, b' ');
    let (status, err) = json_of(
        post_form(
            &app.client,
            &url,
            &app.token,
            &[text("component", "overview"), file("lon.pdf", &big)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 413, "{err}");
    assert_eq!(error_code(&err), "payload_too_large");
    assert!(
        err["error"]["message"].as_str().unwrap().contains("4 KB"),
        "{err}"
    );
    assert_eq!(blobs_on_disk(&app.data_dir), 0);
    assert!(tmp_is_empty(&app.data_dir));
    big.truncate(4096);
    let (status, v) = json_of(
        post_form(
            &app.client,
            &url,
            &app.token,
            &[text("component", "overview"), file("vua.pdf", &big)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "exactly the limit is accepted: {v}");
}
