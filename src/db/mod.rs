//! Database access: one connection type over SQLite and PostgreSQL, the pool, transactions
//! and the embedded migrations.

pub mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::result::QueryResult;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to whichever backend the configured URL names.
#[derive(diesel::MultiConnection)]
pub enum AnyConn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// The backend a database URL selects, decided by its scheme alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// Path of the SQLite file.
    Sqlite(PathBuf),
    /// Full `postgres://` URL, passed to libpq unchanged.
    Postgres(String),
}

impl DatabaseTarget {
    /// Parses `sqlite://PATH`, `sqlite:PATH` or `postgres://…` / `postgresql://…`.
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err("đường dẫn tệp SQLite bị trống".into());
            }
            return Ok(Self::Sqlite(PathBuf::from(rest)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_string()));
        }
        let scheme = url.split(':').next().unwrap_or_default();
        Err(format!(
            "lược đồ `{scheme}` không được hỗ trợ; dùng `sqlite://đường/dẫn.db` hoặc `postgres://…`"
        ))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }

    /// Opens one connection, with the per-connection settings of the backend applied.
    pub fn connect(&self) -> Result<AnyConn, diesel::ConnectionError> {
        match self {
            Self::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL lets readers run beside the single writer; busy_timeout makes a writer wait
                // for the lock instead of failing; foreign keys are off by default in SQLite.
                // The server checkpoints the WAL in the background (`checkpoint_wal`): left to
                // SQLite, every 1,000th commit copied and synced the WAL while holding the write
                // lock (a commit averaged 0.9 ms under load). The automatic checkpoint stays as a
                // backstop for processes without that task, at a WAL of about 40 MB.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                     PRAGMA wal_autocheckpoint = 10000;",
                )
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(AnyConn::Sqlite(conn))
            }
            Self::Postgres(url) => Ok(AnyConn::Postgres(establish_postgres(url)?)),
        }
    }
}

/// Opens a PostgreSQL connection through libpq, after making OpenSSL skip its exit handler.
///
/// libpq initialises OpenSSL on its first TLS connection, and OpenSSL then frees its state
/// from an `atexit` handler while pool threads may still hold TLS connections: the process
/// can crash as it exits (diesel-rs/diesel#3441). Initialising OpenSSL first, with
/// `OPENSSL_INIT_NO_ATEXIT` (what `openssl_sys::init` does), leaves the cleanup to the OS.
pub fn establish_postgres(url: &str) -> Result<PgConnection, diesel::ConnectionError> {
    openssl_sys::init();
    PgConnection::establish(url)
}

/// r2d2 manager that opens connections of the configured backend.
pub struct AnyConnManager {
    target: DatabaseTarget,
}

impl ManageConnection for AnyConnManager {
    type Connection = AnyConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConn, r2d2::Error> {
        self.target.connect().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut AnyConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConn) -> bool {
        <AnyConn as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

pub type Pool = r2d2::Pool<AnyConnManager>;
pub type PooledConn = r2d2::PooledConnection<AnyConnManager>;

/// Builds the pool; for SQLite the folder of the file is created first.
pub fn build_pool(target: &DatabaseTarget, max_size: u32) -> anyhow::Result<Pool> {
    if let DatabaseTarget::Sqlite(path) = target {
        create_parent_dir(path)?;
    }
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .build(AnyConnManager {
            target: target.clone(),
        })?;
    Ok(pool)
}

fn create_parent_dir(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            anyhow::anyhow!("không tạo được thư mục dữ liệu {}: {e}", dir.display())
        })?;
    }
    Ok(())
}

/// Applies pending migrations of the connection's backend; returns how many ran.
pub fn run_migrations(conn: &mut AnyConn) -> anyhow::Result<usize> {
    let applied = match conn {
        AnyConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        AnyConn::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("chạy migration thất bại: {e}"))?;
    Ok(applied.len())
}

/// One SQLite write transaction at a time in this process (SQLite allows one per database).
static SQLITE_WRITER: parking_lot::Mutex<()> = parking_lot::Mutex::new(());
/// How long a writer waits for its turn before leaving it to SQLite's busy timeout.
const WRITER_WAIT: Duration = Duration::from_secs(10);

/// Runs `f` in one write transaction. On SQLite it begins with `BEGIN IMMEDIATE`, so a
/// transaction that reads then writes takes the write lock up front and waits for it
/// (busy_timeout) instead of failing with "database is locked" at its first write.
pub fn write_tx<T, E, F>(conn: &mut AnyConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConn::Postgres(_) => conn.transaction(f),
        AnyConn::Sqlite(inner) => {
            let depth = <AnsiTransactionManager as TransactionManager<SqliteConnection>>::transaction_manager_status_mut(inner)
                .transaction_depth()?;
            if depth.is_some() {
                // Already inside a write transaction: nest as a savepoint.
                return conn.transaction(f);
            }
            // Writers of this process queue here rather than in SQLite's busy handler, which
            // polls with sleeps of up to 100 ms: under many concurrent writes that turned a
            // 2 ms transaction into a wait of up to a second. A writer that cannot get its
            // turn in time still goes on to SQLite, so nothing can wait forever here.
            let _turn = SQLITE_WRITER.try_lock_for(WRITER_WAIT);
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => {
                    <AnyConn as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(err) => {
                    // The caller's error matters more than a failed rollback, which leaves the
                    // connection marked broken so the pool discards it.
                    let _ = <AnyConn as Connection>::TransactionManager::rollback_transaction(conn);
                    Err(err)
                }
            }
        }
    }
}

/// Copies the SQLite WAL back into the database without blocking readers or writers
/// (`PASSIVE`), so commits never pay for it; a no-op on PostgreSQL. Returns the frames left
/// in the WAL and those checkpointed.
pub fn checkpoint_wal(conn: &mut AnyConn) -> QueryResult<(i64, i64)> {
    #[derive(diesel::QueryableByName)]
    struct Checkpoint {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        log: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        checkpointed: i64,
    }
    match conn {
        AnyConn::Postgres(_) => Ok((0, 0)),
        AnyConn::Sqlite(c) => {
            let row: Checkpoint =
                diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)").get_result(c)?;
            Ok((row.log, row.checkpointed))
        }
    }
}

/// Timestamps are computed in Rust (never SQL `now()`), in UTC, to the microsecond, so both
/// backends store and return exactly the same value.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A fresh time-ordered identifier.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The pool with an async front: queries run on actix's blocking threads.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    target: DatabaseTarget,
}

impl Db {
    pub fn new(pool: Pool, target: DatabaseTarget) -> Self {
        Self { pool, target }
    }

    pub fn target(&self) -> &DatabaseTarget {
        &self.target
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Runs `f` with a pooled connection on a blocking thread.
    pub async fn run<T, F>(&self, f: F) -> Result<T, crate::error::AppError>
    where
        F: FnOnce(&mut AnyConn) -> Result<T, crate::error::AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}
