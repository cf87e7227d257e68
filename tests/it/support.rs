//! `TestApp::spawn()`: a capdo server on port 0 with its own database and a seeded tree.

use std::path::PathBuf;

use capdo::config::{Config, Secret};
use capdo::db::{AnyConn, DatabaseTarget};
use capdo::domain::{OrgKind, Role};
use capdo::services::organizations::{OrganizationInput, OrganizationView};
use capdo::services::setup::InitInput;
use capdo::services::users::{UserInput, UserView};
use capdo::services::{self, Actor};
use capdo::startup::{AppState, Application, ServeOptions};
use diesel::RunQueryDsl;
use serde_json::Value;

pub const JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-0123456789";
pub const PASSWORD: &str = "Mật-khẩu-thử-2026";
pub const ROOT_EMAIL: &str = "admin@sct.gov.vn";

/// A fresh PostgreSQL database, dropped (with its connections) when this is dropped.
pub struct PgDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create(admin_url: &str) -> Self {
        let name = format!("capdo_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn =
            capdo::db::establish_postgres(admin_url).expect("connect to TEST_DATABASE_URL");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("create test database");
        let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Self {
            admin_url: admin_url.to_string(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = capdo::db::establish_postgres(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

/// Where a test's database lives: a temp SQLite file, or PostgreSQL when asked for.
pub enum TestDatabase {
    Sqlite(PathBuf),
    Postgres(PgDatabase),
}

impl TestDatabase {
    pub fn new(dir: &std::path::Path) -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => Self::Postgres(PgDatabase::create(&url)),
            _ => Self::Sqlite(dir.join("capdo.db")),
        }
    }

    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(db) => db.url.clone(),
        }
    }
}

pub struct Tree {
    pub root: OrganizationView,
    /// Văn phòng Sở, a unit under the root.
    pub office: OrganizationView,
    /// Phòng Kỹ thuật, another unit under the root.
    pub tech: OrganizationView,
    pub admin: UserView,
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: actix_web::web::Data<AppState>,
    pub tree: Tree,
    handle: actix_web::dev::ServerHandle,
    // Dropped last: the server must be gone before its database.
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = TestDatabase::new(dir.path());
        let mut config = Config::with_data_dir(dir.path()).expect("config");
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.jwt_secret = Some(Secret::new(JWT_SECRET));
        config.database = DatabaseTarget::parse(&database.url()).unwrap();
        config.database_url = Secret::new(database.url());
        let app = Application::build(
            config,
            ServeOptions {
                workers: 1,
                signals: false,
            },
        )
        .expect("build app");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state();
        let handle = app.handle();
        tokio::spawn(app.run());

        let tree = state
            .db
            .run(|conn| {
                let (root, admin) = services::setup::init(
                    conn,
                    InitInput {
                        org_name: "Sở Công Thương".into(),
                        org_code: "SCT".into(),
                        org_kind: OrgKind::Department,
                        admin_email: ROOT_EMAIL.into(),
                        admin_name: "Nguyễn Văn An".into(),
                        admin_password: PASSWORD.into(),
                    },
                )?;
                let console = Actor::console();
                let unit = |conn: &mut AnyConn, name: &str, code: &str| {
                    services::organizations::create(
                        conn,
                        &console,
                        OrganizationInput {
                            name: name.into(),
                            code: code.into(),
                            kind: OrgKind::Unit,
                            parent_id: Some(root.id.clone()),
                        },
                    )
                };
                let office = unit(conn, "Văn phòng Sở", "SCT-VP")?;
                let tech = unit(conn, "Phòng Kỹ thuật", "SCT-KT")?;
                Ok(Tree {
                    root,
                    office,
                    tech,
                    admin,
                })
            })
            .await
            .expect("seed tree");

        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        Self {
            address,
            client,
            state,
            tree,
            handle,
            _database: database,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Creates an account directly through the service (no HTTP, no login limit).
    pub async fn add_user(&self, email: &str, role: Role, organization_id: &str) -> UserView {
        let input = UserInput {
            email: email.into(),
            full_name: format!("Người dùng {email}"),
            role,
            organization_id: organization_id.into(),
            password: PASSWORD.into(),
        };
        self.state
            .db
            .run(move |conn| services::users::create(conn, &Actor::console(), input))
            .await
            .expect("add user")
    }

    /// An outside company under `parent_id`, created directly through the service.
    pub async fn add_org_external(&self, name: &str, code: &str, parent_id: &str) -> String {
        let input = OrganizationInput {
            name: name.into(),
            code: code.into(),
            kind: OrgKind::External,
            parent_id: Some(parent_id.into()),
        };
        self.state
            .db
            .run(move |conn| services::organizations::create(conn, &Actor::console(), input))
            .await
            .expect("add organisation")
            .id
    }

    /// A valid token for the user, as the login endpoint would issue it.
    pub fn token_for(&self, user: &UserView) -> String {
        self.state.jwt.issue(&user.id, 0).expect("issue token").0
    }

    pub fn admin_token(&self) -> String {
        self.token_for(&self.tree.admin)
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap()
    }

    pub async fn login_raw(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Number of audit rows, straight from the database.
    pub async fn audit_count(&self) -> i64 {
        use capdo::db::schema::audit_log;
        use diesel::QueryDsl;
        self.state
            .db
            .run(|conn| {
                audit_log::table
                    .count()
                    .get_result::<i64>(conn)
                    .map_err(Into::into)
            })
            .await
            .unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Ask the server to stop; the database is dropped afterwards with FORCE anyway.
        drop(self.handle.stop(false));
    }
}

/// Status and JSON body of a response.
pub async fn json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let body = res.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// Asserts the contract's error shape and returns the error code.
pub fn error_code(body: &Value) -> &str {
    let message = body["error"]["message"].as_str().expect("error.message");
    assert!(!message.is_empty());
    body["error"]["code"].as_str().expect("error.code")
}

/// Records the system's security regulation (quy chế) on its checklist — the checklist started
/// if need be, evidence with a document number and date, the requirement set met — so that a
/// dossier of the system may be approved.
pub async fn record_regulation(app: &TestApp, token: &str, system_id: &str) {
    let base = format!("/api/v1/systems/{system_id}/compliance");
    let (status, v) = json(app.post(&base, token, &serde_json::json!({})).await).await;
    assert!(status == 201 || status == 409, "start checklist: {v}");
    let (status, c) = json(app.get(&base, token).await).await;
    assert_eq!(status, 200, "{c}");
    let code = c["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["items"].as_array().cloned().unwrap_or_default())
        .find(|i| i["special"] == "regulation_before_approval")
        .and_then(|i| i["code"].as_str().map(str::to_string))
        .expect("the checklist has the regulation requirement");
    let evidence = serde_json::json!({
        "title": "Quy chế bảo đảm an toàn hệ thống thông tin",
        "document_number": "15/QĐ-SCT",
        "document_date": "2026-10-01",
    });
    let (status, v) = json(
        app.post(&format!("{base}/items/{code}/evidence"), token, &evidence)
            .await,
    )
    .await;
    assert_eq!(status, 201, "regulation evidence: {v}");
    let (status, v) = json(
        app.patch(
            &format!("{base}/items/{code}"),
            token,
            &serde_json::json!({ "status": "met" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "regulation met: {v}");
}

/// Records the regulation (as `record_regulation`, by the root admin) for every system of a
/// dossier, before a test approves it.
pub async fn record_regulation_for_dossier(app: &TestApp, dossier_id: &str) {
    let token = app.admin_token();
    let (status, d) = json(
        app.get(&format!("/api/v1/dossiers/{dossier_id}"), &token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{d}");
    let mut ids: Vec<String> = d["systems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["system_id"].as_str().map(str::to_string))
        .collect();
    if let Some(first) = d["system_id"].as_str() {
        if !ids.iter().any(|i| i == first) {
            ids.insert(0, first.to_string());
        }
    }
    for id in ids {
        record_regulation(app, &token, &id).await;
    }
}
