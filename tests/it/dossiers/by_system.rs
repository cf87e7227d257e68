//! `GET /api/v1/dossiers?system_id=…`: the dossiers holding a system, as their first system or
//! as a further one of a multi-system dossier.

use serde_json::{json, Value};

use super::{filing, portal, system};
use crate::support::{json as json_of, TestApp};

async fn listed(app: &TestApp, token: &str, system: &Value) -> Vec<String> {
    let path = format!(
        "/api/v1/dossiers?system_id={}",
        system["id"].as_str().unwrap()
    );
    let (status, list) = json_of(app.get(&path, token).await).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        list["total"].as_i64().unwrap() as usize,
        list["items"].as_array().unwrap().len()
    );
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_list_filtered_by_system_holds_its_dossiers_first_or_further() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token();
    let office = app.tree.office.id.clone();
    let first = system(&app, &admin, portal(&office)).await;
    let mut body = filing(&office);
    body["name"] = json!("Hệ thống một cửa điện tử của Sở");
    let further = system(&app, &admin, body).await;
    let alone = system(&app, &admin, filing(&office)).await;
    let untouched = system(&app, &admin, portal(&office)).await;

    let path = format!("/api/v1/systems/{}/dossiers", first["id"].as_str().unwrap());
    let body = json!({ "systems": [further["id"]] });
    let (status, shared) = json_of(app.post(&path, &admin, &body).await).await;
    assert_eq!(status, 201, "{shared}");
    let path = format!("/api/v1/systems/{}/dossiers", alone["id"].as_str().unwrap());
    let (status, single) = json_of(app.post(&path, &admin, &json!({})).await).await;
    assert_eq!(status, 201, "{single}");
    let shared = shared["id"].as_str().unwrap().to_string();
    let single = single["id"].as_str().unwrap().to_string();

    assert_eq!(
        listed(&app, &admin, &first).await,
        std::slice::from_ref(&shared)
    );
    assert_eq!(
        listed(&app, &admin, &further).await,
        [shared],
        "a further system"
    );
    assert_eq!(listed(&app, &admin, &alone).await, [single]);
    assert!(listed(&app, &admin, &untouched).await.is_empty());
    let (status, all) = json_of(app.get("/api/v1/dossiers", &admin).await).await;
    assert_eq!((status, all["total"].as_i64()), (200, Some(2)), "{all}");
}
