//! `capdo demo-data --dossiers N`: open dossiers through the real workflow, with running
//! clocks, and a clear refusal that writes nothing when too few systems are free.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use capdo::db::schema::{audit_log, dossier_components, dossier_steps, dossiers, systems};
use capdo::db::{AnyConn, DatabaseTarget};
use capdo::rules::dossier::ClockStep;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::support::{TestDatabase, PASSWORD};

fn capdo(dir: &std::path::Path, db: &TestDatabase, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_capdo"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CAPDO_DATA_DIR", dir)
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "warn")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn connect(db: &TestDatabase) -> AnyConn {
    DatabaseTarget::parse(&db.url()).unwrap().connect().unwrap()
}

type Row = (
    String,
    String,
    i32,
    String,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

fn written(conn: &mut AnyConn) -> (i64, i64, i64) {
    (
        dossiers::table.count().get_result(conn).unwrap(),
        dossier_steps::table.count().get_result(conn).unwrap(),
        audit_log::table.count().get_result(conn).unwrap(),
    )
}

#[test]
fn demo_dossiers_run_through_the_workflow_with_clocks_and_refuse_without_free_systems() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::new(dir.path());
    let init = [
        "init",
        "--org",
        "Sở Công Thương Đồng Nai",
        "--code",
        "SCT",
        "--admin-email",
        "qt@sct.gov.vn",
        "--password-stdin",
    ];
    ok(&capdo(dir.path(), &db, &init, &format!("{PASSWORD}\n")));
    ok(&capdo(
        dir.path(),
        &db,
        &["demo-data", "--systems", "30"],
        "",
    ));

    let today_before = capdo::rules::today_in_vietnam();
    let out = ok(&capdo(
        dir.path(),
        &db,
        &["demo-data", "--dossiers", "20"],
        "",
    ));
    let today_after = capdo::rules::today_in_vietnam();
    assert!(out.contains("Đã mở 20 hồ sơ đề xuất cấp độ"), "{out}");

    let mut conn = connect(&db);
    let rows: Vec<Row> = dossiers::table
        .select((
            dossiers::id,
            dossiers::status,
            dossiers::procedure_level,
            dossiers::regime_id,
            dossiers::received_on,
            dossiers::appraisal_date,
            dossiers::clock_step,
            dossiers::clock_started_on,
            dossiers::clock_due_on,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(rows.len(), 20);
    let mut by_status = BTreeMap::new();
    for r in &rows {
        *by_status.entry(r.1.as_str()).or_insert(0) += 1;
    }
    let expected: BTreeMap<&str, i32> = [
        ("draft", 4),
        ("submitted", 3),
        ("received", 4),
        ("returned", 2),
        ("under_appraisal", 4),
        ("appraised", 3),
    ]
    .into();
    assert_eq!(by_status, expected, "all open, spread over the statuses");

    // Each clock is the one its status runs, from the event the law counts from, to the day
    // the pack's limit gives on the holiday calendar.
    let registry = capdo::rules::Registry::load(None).unwrap();
    let calendar = registry.calendar().clone();
    let (mut overdue, mut upcoming) = (0, 0);
    for (id, status, level, regime, received, appraised, step, started, due) in &rows {
        let clock = registry.get(regime).unwrap().dossier.as_ref().unwrap();
        let want = match status.as_str() {
            "received" => Some((ClockStep::ValidityCheck, *received)),
            "under_appraisal" => clock
                .clock(ClockStep::Appraisal, u8::try_from(*level).unwrap())
                .map(|_| (ClockStep::Appraisal, *received)),
            "appraised" => Some((ClockStep::Approval, *appraised)),
            _ => None,
        };
        match want {
            None => assert!(step.is_none() && due.is_none(), "{status}: no clock"),
            Some((want_step, start)) => {
                assert_eq!(step.as_deref(), Some(want_step.id()), "{status} {id}");
                assert_eq!(*started, start, "{status} {id}: counted from its event");
                let definition = clock
                    .clock(want_step, u8::try_from(*level).unwrap())
                    .unwrap();
                let (want_due, _) =
                    capdo::services::dossier_clock::due(&calendar, definition, start.unwrap());
                assert_eq!(*due, want_due, "{status} {id}");
                let due = due.unwrap();
                overdue += i32::from(due < today_after);
                upcoming += i32::from(due >= today_before);
            }
        }
    }
    assert!(
        overdue > 0 && upcoming > 0,
        "{overdue} overdue, {upcoming} due"
    );

    // The timeline goes from the draft to the status, day after day, never in the future; a
    // sent dossier had every required proposal document.
    for (id, status, ..) in &rows {
        let steps: Vec<(Option<String>, String, NaiveDate)> = dossier_steps::table
            .filter(dossier_steps::dossier_id.eq(id))
            .select((
                dossier_steps::from_status,
                dossier_steps::to_status,
                dossier_steps::occurred_on,
            ))
            .order(dossier_steps::at.asc())
            .load(&mut conn)
            .unwrap();
        assert_eq!(steps[0].1, "draft", "{id}");
        assert_eq!(&steps.last().unwrap().1, status, "{id}");
        for pair in steps.windows(2) {
            assert_eq!(pair[1].0.as_deref(), Some(pair[0].1.as_str()), "{id}");
            assert!(pair[0].2 <= pair[1].2, "{id}: {steps:?}");
        }
        assert!(steps.iter().all(|s| s.2 <= today_after), "{id}");
        if status != "draft" {
            let missing: i64 = dossier_components::table
                .filter(dossier_components::dossier_id.eq(id))
                .filter(dossier_components::step.eq("proposal"))
                .filter(dossier_components::required.eq(true))
                .filter(dossier_components::status.ne("complete"))
                .count()
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(missing, 0, "{id}");
        }
    }

    // One more than the free systems: refused, nothing written; exactly as many: opened.
    let with_level: i64 = systems::table
        .filter(systems::proposed_level.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    let free = with_level - 20;
    assert!(free > 0, "{with_level} systems with a level");
    let before = written(&mut conn);
    drop(conn);
    let too_many = (free + 1).to_string();
    let out = capdo(dir.path(), &db, &["demo-data", "--dossiers", &too_many], "");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("Không đủ hệ thống để mở {too_many} hồ sơ"))
            && stderr.contains(&format!("chỉ có {free} hệ thống"))
            && stderr.contains("chưa có hồ sơ nào được tạo"),
        "{stderr}"
    );
    assert_eq!(written(&mut connect(&db)), before, "nothing written");

    let out = ok(&capdo(
        dir.path(),
        &db,
        &["demo-data", "--dossiers", &free.to_string()],
        "",
    ));
    assert!(out.contains(&format!("Đã mở {free} hồ sơ")), "{out}");
    let open: i64 = dossiers::table
        .filter(dossiers::status.ne("approved"))
        .count()
        .get_result(&mut connect(&db))
        .unwrap();
    assert_eq!(open, with_level);
}
