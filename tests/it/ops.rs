//! Health, readiness and metrics.

use crate::support::TestApp;

#[tokio::test]
async fn health_and_readiness_answer_without_login() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/me", &app.admin_token()).await;
    app.get(
        &format!("/api/v1/users/{}", app.tree.admin.id),
        &app.admin_token(),
    )
    .await;
    app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("# TYPE http_requests_total counter"));
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/api/v1/me",status="200"} 1"#),
        "{text}"
    );
    assert!(text.contains(r#"http_requests_total{method="GET",route="/api/v1/me",status="401"} 1"#));
    assert!(
        text.contains(r#"route="/api/v1/users/{id}""#),
        "ids never become labels"
    );
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(text.contains(r#"db_pool_connections{state="in_use"}"#));
}

#[tokio::test]
async fn head_requests_work_for_health_checks() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/readyz", "/login", "/static/css/capdo.css"] {
        let res = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "HEAD {path}");
    }
}
