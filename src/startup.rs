//! Builds the application: configuration → database → state → HTTP server and workers.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};
use tokio::sync::watch;

use crate::auth::jwt::{self, JwtKeys};
use crate::auth::rate_limit::LoginLimiter;
use crate::auth::PrincipalCache;
use crate::config::{redacted_url, Config};
use crate::db::{self, Db};
use crate::telemetry::Metrics;
use crate::{api, error, jobs, web as ui};

/// Largest JSON body accepted (bigger answers 413).
pub const JSON_LIMIT: usize = 1024 * 1024;
/// Largest form body accepted from the web UI.
pub const FORM_LIMIT: usize = 64 * 1024;

/// Everything handlers share.
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub jwt: JwtKeys,
    pub principals: PrincipalCache,
    pub login_limiter: LoginLimiter,
    pub metrics: Metrics,
    /// The legal rule packs, loaded and checked at start-up.
    pub rules: Arc<crate::rules::Registry>,
    /// The Vietnamese public-holiday calendar the legal clocks count working days on.
    pub calendar: Arc<crate::rules::calendar::Calendar>,
    /// Whether cookies get the `Secure` flag (public URL on https).
    pub secure_cookies: bool,
    /// The mail transport and the outbox worker's wake-up (`state.mail.notify()` after
    /// committing messages).
    pub mail: crate::mail::Mail,
    /// Signs the personal acknowledgement links of warnings.
    pub ack: crate::auth::ack_token::AckSigner,
}

pub struct ServeOptions {
    pub workers: usize,
    /// Listen for SIGTERM and SIGINT from start-up on (`capdo serve`). Tests that run the
    /// server inside their own process leave this off and stop it through its handle.
    pub signals: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            workers: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .max(2),
            signals: true,
        }
    }
}

/// Opens the pool and applies pending migrations.
pub fn open_database(config: &Config) -> anyhow::Result<Db> {
    let max = if config.database.is_sqlite() { 8 } else { 16 };
    let pool = db::build_pool(&config.database, max).map_err(|e| {
        anyhow::anyhow!(
            "không kết nối được cơ sở dữ liệu {}: {e}",
            redacted_url(config.database_url.expose())
        )
    })?;
    let mut conn = pool.get()?;
    let applied = db::run_migrations(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "đã áp dụng migration");
    }
    Ok(Db::new(pool, config.database.clone()))
}

/// Removes the temporary upload files a crash left behind; a failure only warns, as the
/// files are harmless and the service can run without removing them.
fn sweep_uploads(data_dir: &std::path::Path) {
    let store = crate::storage::blob::BlobStore::new(data_dir);
    match store.sweep_stale_temp(crate::storage::blob::STALE_TEMP_AGE) {
        Ok(0) => {}
        Ok(n) => tracing::info!(removed = n, "removed stale temporary upload files"),
        Err(e) => tracing::warn!(error = %e, "could not sweep temporary upload files"),
    }
}

/// Loads the embedded packs, the holiday calendar and the agency's overlays of both; any
/// error stops start-up.
pub fn load_rules(config: &Config) -> anyhow::Result<crate::rules::Registry> {
    let registry = crate::rules::Registry::load(config.rules_dir.as_deref()).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
        anyhow::anyhow!("bộ quy tắc không hợp lệ:\n{}", lines.join("\n"))
    })?;
    registry
        .with_default(config.default_regime.as_deref())
        .map_err(|e| {
            anyhow::Error::new(crate::config::ConfigError {
                key: "default_regime".into(),
                message: e.to_string(),
            })
        })
}

pub struct Application {
    port: u16,
    server: actix_web::dev::Server,
    state: web::Data<AppState>,
    signals: Option<ShutdownSignals>,
}

impl Application {
    /// Must be called inside a Tokio runtime when `options.signals` is set.
    pub fn build(config: Config, options: ServeOptions) -> anyhow::Result<Self> {
        // Before anything else, and above all before the port is bound: a SIGTERM that arrives
        // once the port accepts connections must stop the server gracefully, not kill it.
        let signals = if options.signals {
            Some(ShutdownSignals::register()?)
        } else {
            None
        };
        let rules = Arc::new(load_rules(&config)?);
        let calendar = rules.calendar().clone();
        let db = open_database(&config)?;
        let secret = jwt::load_or_create_secret(config.jwt_secret.as_ref(), &config.data_dir)?;
        sweep_uploads(&config.data_dir);
        let mail = crate::mail::Mail::from_config(&config)?;
        let state = web::Data::new(AppState {
            secure_cookies: config.public_url.scheme() == "https",
            jwt: JwtKeys::new(&secret)?,
            ack: crate::auth::ack_token::AckSigner::new(&secret),
            config: Arc::new(config),
            db,
            principals: PrincipalCache::default(),
            login_limiter: LoginLimiter::default(),
            metrics: Metrics::default(),
            rules,
            calendar,
            mail,
        });
        let listener = TcpListener::bind(state.config.bind)
            .map_err(|e| anyhow::anyhow!("không mở được cổng {}: {e}", state.config.bind))?;
        let port = listener.local_addr()?.port();
        let server_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(server_state.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(JSON_LIMIT)
                        .error_handler(|err, _| error::json_error(err).into()),
                )
                .app_data(web::FormConfig::default().limit(FORM_LIMIT))
                .app_data(
                    web::PathConfig::default()
                        .error_handler(|err, _| error::path_error(err).into()),
                )
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|err, _| error::query_error(err).into()),
                )
                .wrap(from_fn(ui::security::headers))
                .wrap(from_fn(crate::telemetry::track_requests))
                .wrap(Compress::default())
                .wrap(tracing_actix_web::TracingLogger::<
                    crate::telemetry::RedactedRootSpan,
                >::new())
                .configure(api::configure)
                .configure(ui::configure)
        })
        .workers(options.workers)
        .disable_signals()
        .shutdown_timeout(30)
        .listen(listener)?
        .run();
        Ok(Self {
            port,
            server,
            state,
            signals,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped through its handle (tests).
    pub async fn run(self) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let workers = jobs::spawn(self.state.clone(), stop_rx);
        let result = self.server.await;
        let _ = stop_tx.send(true);
        let _ = workers.await;
        result.map_err(Into::into)
    }

    /// Serves until SIGTERM or SIGINT, then lets in-flight requests finish, stops the workers
    /// and closes the pool.
    pub async fn run_until_signal(mut self) -> anyhow::Result<()> {
        let handle = self.server.handle();
        let listening = match self.signals.take() {
            Some(signals) => signals,
            None => ShutdownSignals::register()?,
        };
        let signals = tokio::spawn(async move {
            listening.recv().await;
            tracing::info!("nhận tín hiệu dừng: đang hoàn tất các yêu cầu dở dang");
            handle.stop(true).await;
        });
        let result = self.run().await;
        signals.abort();
        tracing::info!("capdo đã dừng");
        result
    }
}

/// SIGTERM and SIGINT, caught from the moment this is created (a signal that arrives before
/// anyone waits is kept, not lost, and never kills the process).
pub struct ShutdownSignals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    pub fn register() -> anyhow::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let listen = |kind: SignalKind| {
                signal(kind).map_err(|e| anyhow::anyhow!("không đăng ký được tín hiệu dừng: {e}"))
            };
            Ok(Self {
                term: listen(SignalKind::terminate())?,
                interrupt: listen(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// Resolves at the first SIGTERM or SIGINT (Ctrl-C elsewhere).
    pub async fn recv(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.interrupt.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
