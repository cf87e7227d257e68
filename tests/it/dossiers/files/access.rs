//! Who may upload and download, and failed uploads that leave no row and no new blob.

use capdo::domain::Role;

use super::samples::{self, file, text};
use super::{blob_path, blobs_on_disk, component, documents, tmp_is_empty, upload};
use crate::dossiers::{complete, dossier_for, filing, ok_step, portal, submission};
use crate::support::{json as json_of, TestApp};

#[tokio::test]
async fn a_failed_upload_leaves_no_row_and_no_new_blob() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let data_dir = app.state.config.data_dir.clone();
    let d = dossier_for(&app, &token, filing(&app.tree.root.id)).await;
    let kept = samples::pdf("đã có");
    let (status, _) = upload(
        &app,
        &token,
        &d,
        &[text("component", "design"), file("a.pdf", &kept)],
    )
    .await;
    assert_eq!(status, 201);
    let audit_before = app.audit_count().await;

    // The number is checked inside the transaction, after the blob was put in place.
    let fresh = samples::pdf("mới");
    let (status, err) = upload(
        &app,
        &token,
        &d,
        &[
            text("component", "overview"),
            text("document_number", "2559"),
            file("b.pdf", &fresh),
        ],
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["document_number"].is_array());
    assert!(
        !blob_path(&data_dir, &fresh).exists(),
        "the new blob is removed"
    );
    // Content that was already stored stays, whatever happens to a second upload of it.
    let (status, _) = upload(
        &app,
        &token,
        &d,
        &[
            text("component", "overview"),
            text("document_date", "2099-01-01"),
            file("c.pdf", &kept),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(blob_path(&data_dir, &kept).is_file());

    // Submitted: the proposal documents are frozen until the dossier is returned.
    complete(&app, &token, &d, "proposal").await;
    let d = ok_step(&app, &token, &d, submission()).await;
    let audit_before_frozen = app.audit_count().await;
    let (status, err) = upload(
        &app,
        &token,
        &d,
        &[text("component", "overview"), file("d.pdf", &fresh)],
    )
    .await;
    assert_eq!(status, 409, "{err}");
    assert!(!blob_path(&data_dir, &fresh).exists());
    assert_eq!(app.audit_count().await, audit_before_frozen);
    assert!(
        audit_before < audit_before_frozen,
        "the completions were audited"
    );

    let (_, list) = json_of(app.get(&documents(&d), &token).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(blobs_on_disk(&data_dir), 1);
    assert!(tmp_is_empty(&data_dir));
}

#[tokio::test]
async fn viewers_download_but_do_not_upload_and_other_subtrees_get_404() {
    let app = TestApp::spawn().await;
    let officer = app
        .add_user(
            "attt@vp.sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.office.id,
        )
        .await;
    let officer = app.token_for(&officer);
    let d = dossier_for(&app, &officer, filing(&app.tree.office.id)).await;
    let bytes = samples::pdf("quyền");
    let (status, v) = upload(
        &app,
        &officer,
        &d,
        &[text("component", "overview"), file("a.pdf", &bytes)],
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let file_path = format!(
        "{}/{}",
        documents(&d),
        component(&v, "overview")["files"][0]["id"]
            .as_str()
            .unwrap()
    );

    let viewer = app
        .add_user("xem@vp.sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let viewer = app.token_for(&viewer);
    let fresh = samples::pdf("người xem");
    let (status, err) = upload(
        &app,
        &viewer,
        &d,
        &[text("component", "overview"), file("b.pdf", &fresh)],
    )
    .await;
    assert_eq!(status, 403, "{err}");
    assert!(!blob_path(&app.state.config.data_dir, &fresh).exists());
    let (status, list) = json_of(app.get(&documents(&d), &viewer).await).await;
    assert_eq!((status, list.as_array().unwrap().len()), (200, 1));
    let res = app.get(&file_path, &viewer).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());

    let other = app
        .add_user(
            "attt@kt.sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.tech.id,
        )
        .await;
    let other = app.token_for(&other);
    assert_eq!(
        upload(
            &app,
            &other,
            &d,
            &[text("component", "overview"), file("c.pdf", &fresh)]
        )
        .await
        .0,
        404
    );
    assert_eq!(app.get(&documents(&d), &other).await.status(), 404);
    assert_eq!(app.get(&file_path, &other).await.status(), 404);
    assert_eq!(
        app.get(&format!("{}/nope", documents(&d)), &officer)
            .await
            .status(),
        404
    );
    // A file is only found through its own dossier.
    let d2 = dossier_for(&app, &officer, portal(&app.tree.office.id)).await;
    let elsewhere = file_path.replace(d["id"].as_str().unwrap(), d2["id"].as_str().unwrap());
    assert_eq!(app.get(&elsewhere, &officer).await.status(), 404);
    assert_eq!(
        app.client
            .get(app.url(&file_path))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}
