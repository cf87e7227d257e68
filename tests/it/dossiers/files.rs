//! Files of dossier components on a real database and data dir: every accepted kind told by
//! content, versions, content stored once, downloads, sanitised names (refusals, limits and
//! permissions in the submodules).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use self::samples::{file, post_form, text, Part};
use super::{dossier_for, filing};
use crate::support::{json as json_of, TestApp};

mod access;
mod refusals;
mod samples;

fn documents(d: &Value) -> String {
    format!("/api/v1/dossiers/{}/documents", d["id"].as_str().unwrap())
}

async fn upload(app: &TestApp, token: &str, d: &Value, parts: &[Part<'_>]) -> (u16, Value) {
    json_of(post_form(&app.client, &app.url(&documents(d)), token, parts).await).await
}

fn component<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == id)
        .unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn blob_path(data_dir: &Path, bytes: &[u8]) -> PathBuf {
    let sha = sha256(bytes);
    data_dir.join("files").join(&sha[..2]).join(sha)
}

fn blobs_on_disk(data_dir: &Path) -> usize {
    let Ok(dirs) = std::fs::read_dir(data_dir.join("files")) else {
        return 0;
    };
    dirs.flatten()
        .filter(|d| d.file_name() != "tmp")
        .map(|d| std::fs::read_dir(d.path()).unwrap().count())
        .sum()
}

fn tmp_is_empty(data_dir: &Path) -> bool {
    std::fs::read_dir(data_dir.join("files/tmp")).map_or(true, |mut d| d.next().is_none())
}
#[tokio::test]
async fn every_accepted_kind_is_told_by_content_and_each_upload_is_a_new_version() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    let samples: Vec<(&str, Vec<u8>, &str, &str, &str)> = vec![
        (
            "to-trinh.pdf",
            samples::pdf("v1"),
            "pdf",
            "application/pdf",
            "to-trinh.pdf",
        ),
        (
            "thuyet-minh.doc",
            samples::ole("WordDocument"),
            "doc",
            "application/msword",
            "thuyet-minh.doc",
        ),
        (
            "bang-tinh.xls",
            samples::ole("Workbook"),
            "xls",
            "application/vnd.ms-excel",
            "bang-tinh.xls",
        ),
        (
            "du-thao.docx",
            samples::docx(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "du-thao.docx",
        ),
        (
            "danh-muc.xlsx",
            samples::xlsx(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "danh-muc.xlsx",
        ),
        (
            "van-ban.odt",
            samples::odf("application/vnd.oasis.opendocument.text"),
            "odt",
            "application/vnd.oasis.opendocument.text",
            "van-ban.odt",
        ),
        (
            "so-lieu.ods",
            samples::odf("application/vnd.oasis.opendocument.spreadsheet"),
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "so-lieu.ods",
        ),
        // Named as a PDF, it is a PNG: stored as one, with the extension of its content.
        ("scan.pdf", samples::png(), "png", "image/png", "scan.png"),
        (
            "anh-chup.jpg",
            samples::jpeg(),
            "jpeg",
            "image/jpeg",
            "anh-chup.jpg",
        ),
    ];
    for (i, (name, bytes, kind, mime, stored_name)) in samples.iter().enumerate() {
        let res = post_form(
            &app.client,
            &app.url(&documents(&d)),
            &token,
            &[text("component", "overview"), file(name, bytes)],
        )
        .await;
        let location = res
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        let (status, v) = json_of(res).await;
        assert_eq!(status, 201, "{name}: {v}");
        let files = component(&v, "overview")["files"].as_array().unwrap();
        assert_eq!(files.len(), i + 1);
        let newest = &files[0];
        assert_eq!(newest["version"], i + 1, "{name}");
        assert_eq!(newest["kind"], *kind, "{name}");
        assert_eq!(newest["content_type"], *mime, "{name}");
        assert_eq!(newest["name"], *stored_name);
        assert_eq!(newest["size"], bytes.len());
        assert_eq!(newest["sha256"], sha256(bytes));
        assert_eq!(newest["uploaded_by"], app.tree.admin.id.as_str());
        assert_eq!(newest["uploaded_by_name"], "Nguyễn Văn An");
        assert_eq!(
            location.as_deref(),
            Some(format!("{}/{}", documents(&d), newest["id"].as_str().unwrap()).as_str())
        );
        assert_eq!(
            component(&v, "overview")["status"],
            "missing",
            "the status stays the user's"
        );
    }
    let (status, list) = json_of(app.get(&documents(&d), &token).await).await;
    assert_eq!(status, 200);
    let versions: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["version"].as_i64().unwrap())
        .collect();
    assert_eq!(
        versions,
        (1..=9).rev().collect::<Vec<i64>>(),
        "newest first"
    );
    let (_, got) = json_of(
        app.get(
            &format!("/api/v1/dossiers/{}", d["id"].as_str().unwrap()),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(
        component(&got, "overview")["files"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
    assert_eq!(component(&got, "security_plan")["files"], json!([]));
}

#[tokio::test]
async fn same_content_is_stored_once_and_downloads_byte_for_byte() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let data_dir = app.state.config.data_dir.clone();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    let bytes = samples::pdf("một lần");
    for c in ["overview", "security_plan"] {
        let (status, v) = upload(
            &app,
            &token,
            &d,
            &[text("component", c), file("Tờ trình đề xuất.pdf", &bytes)],
        )
        .await;
        assert_eq!(status, 201, "{v}");
    }
    assert!(blob_path(&data_dir, &bytes).is_file());
    assert_eq!(blobs_on_disk(&data_dir), 1, "one blob for the same content");
    assert!(tmp_is_empty(&data_dir));
    let (_, list) = json_of(app.get(&documents(&d), &token).await).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["component"], "overview", "checklist order");
    assert_eq!(list[0]["version"], 1);
    assert_eq!(list[1]["version"], 1, "versions count per component");

    let res = app
        .get(
            &format!("{}/{}", documents(&d), list[1]["id"].as_str().unwrap()),
            &token,
        )
        .await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"To trinh de xuat.pdf\"; \
filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh%20%C4%91%E1%BB%81%20xu%E1%BA%A5t.pdf"
    );
    assert!(h.get("content-encoding").is_none_or(|e| e == "identity"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());
}

#[tokio::test]
async fn names_lose_paths_control_characters_and_quotes() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    let bytes = samples::pdf("tên");
    let (status, v) = upload(
        &app,
        &token,
        &d,
        &[
            text("component", "overview"),
            file("../../etc/passwd.pdf", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(component(&v, "overview")["files"][0]["name"], "passwd.pdf");
    // Control characters, quotes and a path can only arrive percent-encoded (RFC 8187).
    let tricky = Part {
        name: "file",
        filename: None,
        disposition_extra:
            "; filename*=UTF-8''..%5C..%2Fbi%E1%BB%83u%0D%0A%22m%E1%BA%ABu%22%01%27%3B.pdf",
        data: &bytes,
    };
    let (status, v) = upload(&app, &token, &d, &[text("component", "overview"), tricky]).await;
    assert_eq!(status, 201, "{v}");
    let f = &component(&v, "overview")["files"][0];
    assert_eq!(f["name"], "biểumẫu.pdf");
    let res = app
        .get(
            &format!("{}/{}", documents(&d), f["id"].as_str().unwrap()),
            &token,
        )
        .await;
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"bieumau.pdf\"; filename*=UTF-8''bi%E1%BB%83um%E1%BA%ABu.pdf"
    );
}

#[tokio::test]
async fn the_endpoints_are_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let (status, doc) = json_of(
        app.client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let paths = &doc["paths"];
    let upload = &paths["/api/v1/dossiers/{id}/documents"]["post"];
    assert!(
        upload["requestBody"]["content"]["multipart/form-data"].is_object(),
        "{upload}"
    );
    for code in ["201", "413", "415", "422"] {
        assert!(upload["responses"][code].is_object(), "{code}");
    }
    assert!(paths["/api/v1/dossiers/{id}/documents"]["get"].is_object());
    assert!(paths["/api/v1/dossiers/{id}/documents/{file_id}"]["get"].is_object());
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["ComponentView"]["properties"]["files"].is_object());
    assert!(schemas["FileView"]["properties"]["sha256"].is_object());
}
