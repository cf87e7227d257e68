//! Login, tokens, logout, deactivation, password change and login limits.

use base64::Engine;
use capdo::domain::Role;
use serde_json::json;

use crate::support::{error_code, json, TestApp, JWT_SECRET, PASSWORD, ROOT_EMAIL};

#[tokio::test]
async fn login_returns_a_token_that_opens_me() {
    let app = TestApp::spawn().await;
    // E-mail is case-insensitive.
    let (status, body) = json(app.login("Admin@SCT.gov.vn", PASSWORD).await).await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().unwrap();
    assert!(body["expires_at"].as_str().is_some());
    assert_eq!(body["user"]["email"], ROOT_EMAIL);

    let (status, me) = json(app.get("/api/v1/me", token).await).await;
    assert_eq!(status, 200);
    assert_eq!(me["full_name"], "Nguyễn Văn An");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["organization"]["code"], "SCT");
    assert_eq!(me["organization"]["name"], "Sở Công Thương");
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_vietnamese_401() {
    let app = TestApp::spawn().await;
    let (status, wrong) = json(app.login(ROOT_EMAIL, "sai-mat-khau-roi").await).await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&wrong), "unauthorized");
    let (status, unknown) = json(app.login("khongco@sct.gov.vn", "sai-mat-khau-roi").await).await;
    assert_eq!(status, 401);
    assert_eq!(wrong["error"]["message"], unknown["error"]["message"]);
    assert!(wrong["error"]["message"]
        .as_str()
        .unwrap()
        .contains("mật khẩu không đúng"));
}

#[tokio::test]
async fn empty_credentials_are_a_validation_error() {
    let app = TestApp::spawn().await;
    let (status, body) = json(app.login("", "").await).await;
    assert_eq!(status, 422);
    assert_eq!(error_code(&body), "validation_failed");
    assert!(body["error"]["fields"]["email"].is_array());
    assert!(body["error"]["fields"]["password"].is_array());
}

#[tokio::test]
async fn repeated_logins_to_one_account_are_rate_limited() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        assert_eq!(
            app.login(ROOT_EMAIL, "sai-mat-khau-roi").await.status(),
            401
        );
    }
    let res = app.login(ROOT_EMAIL, PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    let (_, body) = json(res).await;
    assert_eq!(error_code(&body), "rate_limited");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("thử lại"));
}

#[tokio::test]
async fn many_logins_from_one_address_are_rate_limited() {
    let app = TestApp::spawn().await;
    for i in 0..20 {
        let status = app
            .login(&format!("nguoi{i}@sct.gov.vn"), "sai-mat-khau-roi")
            .await
            .status();
        assert_eq!(status, 401, "attempt {i}");
    }
    assert_eq!(
        app.login("nguoi-khac@sct.gov.vn", "sai-mat-khau-roi")
            .await
            .status(),
        429
    );
}

fn forge(claims: &serde_json::Value, key: &[u8]) -> String {
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(key).unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn tampered_and_expired_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let sub = app.tree.admin.id.clone();
    let now = chrono::Utc::now().timestamp();
    let valid = json!({ "sub": sub, "ver": 0, "jti": "t", "iat": now, "exp": now + 3600 });

    // A self-made token with the right key works: the forging helper is faithful.
    let good = forge(&valid, JWT_SECRET.as_bytes());
    assert_eq!(app.get("/api/v1/me", &good).await.status(), 200);

    let wrong_key = forge(&valid, b"another-secret-another-secret-0000");
    let expired = forge(
        &json!({ "sub": sub, "ver": 0, "jti": "t", "iat": now - 7200, "exp": now - 3600 }),
        JWT_SECRET.as_bytes(),
    );
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let alg_none = format!(
        "{}.{}.",
        b64.encode(json!({"alg": "none", "typ": "JWT"}).to_string()),
        b64.encode(valid.to_string())
    );
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    parts[1] = b64.encode(
        json!({ "sub": "someone-else", "ver": 0, "jti": "t", "iat": now, "exp": now + 3600 })
            .to_string(),
    );
    let swapped_payload = parts.join(".");
    let future_version = forge(
        &json!({ "sub": sub, "ver": 7, "jti": "t", "iat": now, "exp": now + 3600 }),
        JWT_SECRET.as_bytes(),
    );

    for (name, token) in [
        ("wrong key", wrong_key),
        ("expired", expired),
        ("alg none", alg_none),
        ("swapped payload", swapped_payload),
        ("other token version", future_version),
        ("garbage", "not.a.token".to_string()),
    ] {
        let (status, body) = json(app.get("/api/v1/me", &token).await).await;
        assert_eq!(status, 401, "{name} must be refused");
        assert_eq!(error_code(&body), "unauthorized");
    }
    let (status, _) = json(app.client.get(app.url("/api/v1/me")).send().await.unwrap()).await;
    assert_eq!(status, 401, "no token at all");
}

#[tokio::test]
async fn logout_revokes_the_token() {
    let app = TestApp::spawn().await;
    let (_, body) = json(app.login(ROOT_EMAIL, PASSWORD).await).await;
    let token = body["token"].as_str().unwrap().to_string();
    let (_, second) = json(app.login(ROOT_EMAIL, PASSWORD).await).await;
    let other_session = second["token"].as_str().unwrap().to_string();

    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(app.get("/api/v1/me", &token).await.status(), 401);
    assert_eq!(
        app.get("/api/v1/me", &other_session).await.status(),
        401,
        "logout ends every session of the user"
    );
    // A fresh login works again.
    let (status, body) = json(app.login(ROOT_EMAIL, PASSWORD).await).await;
    assert_eq!(status, 200);
    assert_eq!(
        app.get("/api/v1/me", body["token"].as_str().unwrap())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn deactivated_users_cannot_log_in_or_use_old_tokens() {
    let app = TestApp::spawn().await;
    let viewer = app
        .add_user("xem@sct.gov.vn", Role::Viewer, &app.tree.office.id)
        .await;
    let (_, body) = json(app.login("xem@sct.gov.vn", PASSWORD).await).await;
    let token = body["token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/me", &token).await.status(), 200);

    let res = app
        .patch(
            &format!("/api/v1/users/{}", viewer.id),
            &app.admin_token(),
            &json!({ "active": false }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.get("/api/v1/me", &token).await.status(), 401);
    let (status, body) = json(app.login("xem@sct.gov.vn", PASSWORD).await).await;
    assert_eq!(status, 401);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("bị khóa"));
}

#[tokio::test]
async fn password_change_needs_the_old_password_and_a_good_new_one() {
    let app = TestApp::spawn().await;
    let (_, body) = json(app.login(ROOT_EMAIL, PASSWORD).await).await;
    let token = body["token"].as_str().unwrap().to_string();
    let change = |old: &str, new: &str| json!({ "old_password": old, "new_password": new });

    let (status, body) = json(
        app.post(
            "/api/v1/me/password",
            &token,
            &change("sai-mat-khau-cu", "Mật-khẩu-mới-2027"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["old_password"].is_array());
    let (status, body) = json(
        app.post("/api/v1/me/password", &token, &change(PASSWORD, "ngắn"))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["new_password"][0]
        .as_str()
        .unwrap()
        .contains("10 ký tự"));
    let (status, body) = json(
        app.post("/api/v1/me/password", &token, &change(PASSWORD, ROOT_EMAIL))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["new_password"][0]
        .as_str()
        .unwrap()
        .contains("thư điện tử"));

    let (status, body) = json(
        app.post(
            "/api/v1/me/password",
            &token,
            &change(PASSWORD, "Mật-khẩu-mới-2027"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let new_token = body["token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/v1/me", &token).await.status(),
        401,
        "old sessions end"
    );
    assert_eq!(app.get("/api/v1/me", new_token).await.status(), 200);
    assert_eq!(app.login(ROOT_EMAIL, PASSWORD).await.status(), 401);
    assert_eq!(
        app.login(ROOT_EMAIL, "Mật-khẩu-mới-2027").await.status(),
        200
    );
}
