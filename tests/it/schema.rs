//! Both migration sets create exactly the tables and columns of `schema.rs`.

use std::collections::BTreeSet;

use capdo::db::schema::tables_and_columns;
use capdo::db::{run_migrations, AnyConn, DatabaseTarget};
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};

use crate::support::PgDatabase;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn names(conn: &mut AnyConn, sql: &str) -> BTreeSet<String> {
    diesel::sql_query(sql)
        .load::<Name>(conn)
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
}

fn check(conn: &mut AnyConn) {
    assert!(run_migrations(conn).unwrap() > 0);
    assert_eq!(
        run_migrations(conn).unwrap(),
        0,
        "a second run applies nothing"
    );
    let sqlite = matches!(conn, AnyConn::Sqlite(_));
    let tables_sql = if sqlite {
        // FTS5 keeps its index in shadow tables named after the virtual table.
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' \
         AND name NOT IN ('system_search_data', 'system_search_idx', 'system_search_content', 'system_search_docsize', 'system_search_config')"
    } else {
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'"
    };
    let expected = tables_and_columns();
    let expected_tables: BTreeSet<String> = expected.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(names(conn, tables_sql), expected_tables);
    for (table, columns) in expected {
        let sql = if sqlite {
            format!("SELECT name FROM pragma_table_info('{table}')")
        } else {
            format!("SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'")
        };
        let actual = names(conn, &sql);
        let wanted: BTreeSet<String> = columns.into_iter().collect();
        assert!(!wanted.is_empty());
        assert_eq!(actual, wanted, "columns of {table}");
    }
}

#[test]
fn sqlite_migrations_match_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let target = DatabaseTarget::parse(&format!(
        "sqlite://{}",
        dir.path().join("schema.db").display()
    ))
    .unwrap();
    check(&mut target.connect().unwrap());
}

#[test]
fn postgres_migrations_match_the_schema() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL migrations checked by the PostgreSQL run of .ci/run");
        return;
    };
    let db = PgDatabase::create(&admin_url);
    let target = DatabaseTarget::parse(&db.url).unwrap();
    let mut conn = target.connect().unwrap();
    check(&mut conn);
    drop(conn);
}

#[test]
fn unknown_database_schemes_are_refused_clearly() {
    let err = DatabaseTarget::parse("mysql://localhost/capdo").unwrap_err();
    assert!(err.contains("mysql") && err.contains("sqlite://"), "{err}");
    assert!(matches!(
        DatabaseTarget::parse("sqlite://./data/x.db"),
        Ok(DatabaseTarget::Sqlite(_))
    ));
    assert!(matches!(
        DatabaseTarget::parse("postgres://u@h/db"),
        Ok(DatabaseTarget::Postgres(_))
    ));
}

#[test]
fn the_sqlite_folder_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/capdo.db");
    let target = DatabaseTarget::parse(&format!("sqlite://{}", path.display())).unwrap();
    let pool = capdo::db::build_pool(&target, 2).unwrap();
    drop(pool.get().unwrap());
    assert!(path.exists());
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

/// The value of a pragma through its table-valued function (`column` is its result column).
fn pragma(conn: &mut AnyConn, name: &str, column: &str) -> String {
    diesel::sql_query(format!(
        "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
    ))
    .get_result::<Setting>(conn)
    .unwrap_or_else(|e| panic!("PRAGMA {name}: {e}"))
    .value
}

#[test]
fn every_pooled_sqlite_connection_gets_the_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let target =
        DatabaseTarget::parse(&format!("sqlite://{}", dir.path().join("p.db").display())).unwrap();
    let pool = capdo::db::build_pool(&target, 3).unwrap();
    // Three connections at once: each was opened by the pool and set up on its own.
    let mut held: Vec<_> = (0..3).map(|_| pool.get().unwrap()).collect();
    for conn in held.iter_mut() {
        let conn: &mut AnyConn = conn;
        assert!(matches!(conn, AnyConn::Sqlite(_)));
        assert_eq!(pragma(conn, "journal_mode", "journal_mode"), "wal");
        assert_eq!(pragma(conn, "foreign_keys", "foreign_keys"), "1");
        assert_eq!(pragma(conn, "busy_timeout", "timeout"), "5000");
        // 1 = NORMAL (the default in rollback mode would be 2 = FULL).
        assert_eq!(pragma(conn, "synchronous", "synchronous"), "1");
        // The server checkpoints in the background; SQLite's own is only a backstop.
        #[derive(diesel::QueryableByName)]
        struct Autocheckpoint {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            wal_autocheckpoint: i64,
        }
        let auto: Autocheckpoint = diesel::sql_query("PRAGMA wal_autocheckpoint")
            .get_result(conn)
            .unwrap();
        assert_eq!(auto.wal_autocheckpoint, 10000);
    }
    // foreign_keys = ON is in force, not only reported.
    let conn: &mut AnyConn = &mut held[0];
    diesel::sql_query("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        .execute(conn)
        .unwrap();
    diesel::sql_query("CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id))")
        .execute(conn)
        .unwrap();
    assert!(
        diesel::sql_query("INSERT INTO child (parent_id) VALUES (7)")
            .execute(conn)
            .is_err()
    );
}

#[test]
fn the_background_checkpoint_empties_the_wal_of_committed_writes() {
    let dir = tempfile::tempdir().unwrap();
    let target =
        DatabaseTarget::parse(&format!("sqlite://{}", dir.path().join("c.db").display())).unwrap();
    let pool = capdo::db::build_pool(&target, 2).unwrap();
    let mut writer = pool.get().unwrap();
    diesel::sql_query("CREATE TABLE t (v TEXT NOT NULL)")
        .execute(&mut *writer)
        .unwrap();
    for i in 0..200 {
        diesel::sql_query(format!("INSERT INTO t VALUES ('{i:0>500}')"))
            .execute(&mut *writer)
            .unwrap();
    }
    // 200 commits stay in the WAL: below the backstop, SQLite itself copies nothing.
    let mut other = pool.get().unwrap();
    let (log, checkpointed) = capdo::db::checkpoint_wal(&mut other).unwrap();
    assert!(log >= 200, "the WAL held the commits: {log} frames");
    assert_eq!(checkpointed, log, "no reader held them back");
    // Nothing new: nothing left to copy.
    let (_, again) = capdo::db::checkpoint_wal(&mut other).unwrap();
    assert_eq!(again, log);
}
