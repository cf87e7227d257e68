//! The OpenAPI document is valid 3.1, documents the bearer scheme and lists every route.

use serde_json::Value;

use crate::support::{json, TestApp};

/// The routes of contract §3 this application serves, the dossier capability's included.
const CONTRACT_ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/me/password"),
    ("get", "/api/v1/organizations"),
    ("post", "/api/v1/organizations"),
    ("get", "/api/v1/organizations/{id}"),
    ("patch", "/api/v1/organizations/{id}"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{id}"),
    ("patch", "/api/v1/users/{id}"),
    ("get", "/api/v1/audit"),
    ("post", "/api/v1/classify"),
    ("post", "/api/v1/classify/compare"),
    ("get", "/api/v1/regimes"),
    ("get", "/api/v1/systems"),
    ("post", "/api/v1/systems"),
    ("get", "/api/v1/systems/{id}"),
    ("patch", "/api/v1/systems/{id}"),
    ("delete", "/api/v1/systems/{id}"),
    ("get", "/api/v1/systems/{id}/history"),
    ("post", "/api/v1/systems/{id}/approval"),
    ("get", "/api/v1/systems/{id}/regimes"),
    ("get", "/api/v1/reports/regime-change"),
    ("post", "/api/v1/systems/{id}/dossiers"),
    ("get", "/api/v1/dossiers/{id}"),
    ("patch", "/api/v1/dossiers/{id}/components/{component}"),
    ("post", "/api/v1/dossiers/{id}/transitions"),
    ("get", "/api/v1/dossiers"),
    ("get", "/api/v1/dossiers/{id}/documents"),
    ("post", "/api/v1/dossiers/{id}/documents"),
    ("get", "/api/v1/dossiers/{id}/documents/{file_id}"),
    ("get", "/api/v1/deadlines"),
    ("get", "/api/v1/assessments"),
    ("post", "/api/v1/assessments/{id}/complete"),
    ("get", "/api/v1/organizations/{id}/authorities"),
    ("post", "/api/v1/organizations/{id}/authorities"),
    ("get", "/api/v1/alerts"),
    ("post", "/api/v1/alerts"),
    ("get", "/api/v1/alerts/{id}"),
    ("put", "/api/v1/alerts/{id}"),
    ("post", "/api/v1/alerts/{id}/send"),
    ("post", "/api/v1/alerts/{id}/resend"),
    ("get", "/api/v1/alerts/{id}/deliveries"),
];

async fn document(app: &TestApp) -> Value {
    let (status, doc) = json(
        app.client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    doc
}

#[tokio::test]
async fn the_document_is_openapi_3_1_with_the_bearer_scheme() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    // The facts and the result are documented field by field, in Vietnamese.
    let facts = &doc["components"]["schemas"]["SystemFacts"]["properties"];
    for field in [
        "function",
        "information",
        "personal_data_subjects",
        "components",
    ] {
        assert!(facts[field].is_object(), "SystemFacts.{field} undocumented");
    }
    assert!(
        facts["function"].to_string().contains("Chức năng"),
        "{}",
        facts["function"]
    );
    let result = &doc["components"]["schemas"]["Classification"]["properties"];
    for field in [
        "regime",
        "level",
        "status",
        "matched",
        "minimums",
        "questions",
        "authority",
        "dossier",
        "time_limits",
        "periodic_assessment",
    ] {
        assert!(
            result[field].is_object(),
            "Classification.{field} undocumented"
        );
    }
    // Every `$ref` points at a schema that exists.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()));
        }
    }
}

#[tokio::test]
async fn every_contract_route_is_documented_and_every_documented_route_is_served() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in CONTRACT_ROUTES {
        assert!(
            paths.get(*path).and_then(|p| p.get(*method)).is_some(),
            "{method} {path} is not documented"
        );
    }
    // The list's filters are documented, the system filter among them.
    let params = &paths["/api/v1/dossiers"]["get"]["parameters"];
    for name in ["role", "status", "system_id", "page", "per_page"] {
        assert!(
            params
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "query")),
            "GET /api/v1/dossiers: query parameter {name} undocumented: {params}"
        );
    }
    // A parameter documented as in the path is one of the path's `{…}`: query strings are not.
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    let name = p["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: `{name}` is documented as a path parameter"
                    );
                }
            }
        }
    }
    for (path, item) in paths {
        for (method, _) in item.as_object().unwrap() {
            let concrete = path.replace("{id}", "00000000-0000-0000-0000-000000000000");
            let req = app
                .client
                .request(method.to_uppercase().parse().unwrap(), app.url(&concrete));
            let req = if method == "get" {
                req
            } else {
                req.header("content-type", "application/json").body("{}")
            };
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            let unrouted = status == 405
                || (status == 404 && body["error"]["message"] == "Không có đường dẫn API này");
            assert!(
                !unrouted,
                "{method} {path} is documented but not served ({status})"
            );
        }
    }
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("swagger-ui"));
    let js = app
        .client
        .get(app.url("/api/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
}
