//! `capdo demo-data --compliance N`: this year's checklists on N systems, with tallies equal to a
//! recount of the answers, the NĐ 331 review for NĐ 85 systems, and no duplicates on a rerun.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::process::{Command, Output, Stdio};

use capdo::db::schema::{
    compliance_evidence, compliance_group_tallies, compliance_items, compliance_reviews, systems,
};
use capdo::db::{AnyConn, DatabaseTarget};
use capdo::domain::compliance::{ComplianceStatus, Tally};
use capdo::rules::baseline::Special;
use chrono::{Datelike, NaiveDate};
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

type Review = (
    String,
    String,
    String,
    i32,
    i32,
    Option<String>,
    Option<NaiveDate>,
);

fn counts(conn: &mut AnyConn) -> (i64, i64, i64, i64) {
    (
        compliance_reviews::table.count().get_result(conn).unwrap(),
        compliance_items::table.count().get_result(conn).unwrap(),
        compliance_group_tallies::table
            .count()
            .get_result(conn)
            .unwrap(),
        compliance_evidence::table.count().get_result(conn).unwrap(),
    )
}

#[test]
fn demo_compliance_seeds_consistent_checklists_once() {
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
        &["demo-data", "--seed-example", "--systems", "30"],
        "",
    ));
    // Every third system as one classified under NĐ 85 (the demo register is all NĐ 331).
    {
        let mut conn = DatabaseTarget::parse(&db.url()).unwrap().connect().unwrap();
        let ids: Vec<String> = systems::table
            .select(systems::id)
            .order(systems::id.asc())
            .load(&mut conn)
            .unwrap();
        let old: Vec<&String> = ids.iter().step_by(3).collect();
        diesel::update(systems::table.filter(systems::id.eq_any(old)))
            .set(systems::regime_id.eq("nd85-2016"))
            .execute(&mut conn)
            .unwrap();
    }
    let today = capdo::rules::today_in_vietnam();
    let out = ok(&capdo(
        dir.path(),
        &db,
        &["demo-data", "--compliance", "20"],
        "",
    ));
    assert!(out.contains("cho 20 hệ thống"), "{out}");

    let registry = capdo::rules::Registry::load(None).unwrap();
    let mut conn = DatabaseTarget::parse(&db.url()).unwrap().connect().unwrap();
    let reviews: Vec<Review> = compliance_reviews::table
        .inner_join(systems::table)
        .filter(compliance_reviews::is_current.eq(true))
        .select((
            compliance_reviews::id,
            compliance_reviews::system_id,
            compliance_reviews::baseline_id,
            compliance_reviews::year,
            compliance_reviews::level,
            compliance_reviews::hosting_kind,
            compliance_reviews::due_on,
        ))
        .load(&mut conn)
        .unwrap();
    let regimes: HashMap<String, String> = systems::table
        .select((systems::id, systems::regime_id))
        .load::<(String, String)>(&mut conn)
        .unwrap()
        .into_iter()
        .collect();
    let mut by_system: BTreeMap<&str, Vec<&Review>> = BTreeMap::new();
    for r in &reviews {
        by_system.entry(r.1.as_str()).or_default().push(r);
    }
    assert_eq!(by_system.len(), 20, "20 systems have a checklist");

    // Each system has exactly the catalogues of its regime, the NĐ 331 one due 2027-07-01 for
    // systems classified under NĐ 85.
    let mut nd85 = 0;
    for (system, list) in &by_system {
        let regime = &regimes[*system];
        let mut want: Vec<(String, Option<NaiveDate>)> =
            capdo::services::compliance::applicable(&registry, regime)
                .into_iter()
                .map(|a| (a.baseline.id.clone(), a.due_on))
                .collect();
        let mut got: Vec<(String, Option<NaiveDate>)> =
            list.iter().map(|r| (r.2.clone(), r.6)).collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{system} ({regime})");
        if regime == "nd85-2016" {
            nd85 += 1;
            let nd331 = list
                .iter()
                .find(|r| r.2 != registry.baseline_for(regime).unwrap().id);
            assert_eq!(
                nd331.and_then(|r| r.6),
                NaiveDate::from_ymd_opt(2027, 7, 1),
                "{system}: the NĐ 331 baseline review"
            );
        }
    }
    assert!(nd85 > 0, "some NĐ 85 systems among {regimes:?}");

    let mut overall = Tally::default();
    for (id, system, baseline_id, year, level, hosting, _) in &reviews {
        assert_eq!(*year, today.year());
        let baseline = registry.baseline(baseline_id).unwrap();
        let items: Vec<(String, String, String, Option<String>)> = compliance_items::table
            .filter(compliance_items::review_id.eq(id))
            .select((
                compliance_items::requirement_code,
                compliance_items::group_code,
                compliance_items::status,
                compliance_items::na_reason,
            ))
            .load(&mut conn)
            .unwrap();
        let applicable = baseline
            .requirements
            .iter()
            .filter(|r| r.applies(u8::try_from(*level).unwrap(), hosting.as_deref()))
            .count();
        assert_eq!(items.len(), applicable, "{id}: one answer per requirement");
        let mut recount: BTreeMap<String, [i32; 6]> = BTreeMap::new();
        for (code, group, status, na_reason) in &items {
            let s = ComplianceStatus::parse(status).unwrap();
            overall.count(s);
            let t = recount.entry(group.clone()).or_default();
            t[0] += 1;
            t[1 + ComplianceStatus::ALL.iter().position(|x| *x == s).unwrap()] += 1;
            assert_eq!(
                s == ComplianceStatus::NotApplicable,
                na_reason.is_some(),
                "{code}"
            );
        }
        let stored: BTreeMap<String, [i32; 6]> = compliance_group_tallies::table
            .filter(compliance_group_tallies::review_id.eq(id))
            .select((
                compliance_group_tallies::group_code,
                compliance_group_tallies::total,
                compliance_group_tallies::to_review,
                compliance_group_tallies::met,
                compliance_group_tallies::partial,
                compliance_group_tallies::not_met,
                compliance_group_tallies::not_applicable,
            ))
            .load::<(String, i32, i32, i32, i32, i32, i32)>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|(g, a, b, c, d, e, f)| (g, [a, b, c, d, e, f]))
            .collect();
        assert_eq!(stored, recount, "{id}: tallies equal a recount");

        // A met regulation always has its decision by number and date.
        let regulation = baseline.special(Special::RegulationBeforeApproval).unwrap();
        let (_, _, status, _) = items.iter().find(|i| i.0 == regulation.code).unwrap();
        if status == "met" {
            let docs: Vec<(Option<String>, Option<NaiveDate>)> = compliance_evidence::table
                .filter(compliance_evidence::system_id.eq(system))
                .filter(compliance_evidence::baseline_id.eq(baseline_id))
                .filter(compliance_evidence::requirement_code.eq(&regulation.code))
                .select((
                    compliance_evidence::document_number,
                    compliance_evidence::document_date,
                ))
                .load(&mut conn)
                .unwrap();
            assert!(
                docs.iter()
                    .any(|(n, d)| n.as_deref().is_some_and(|n| n.contains("/QĐ-"))
                        && d.is_some_and(|d| d < today)),
                "{system}: {docs:?}"
            );
        }
    }
    let share = |n: i64| n as f64 / overall.total as f64;
    assert!((0.6..0.8).contains(&share(overall.met)), "{overall:?}");
    for n in [overall.partial, overall.not_met] {
        assert!((0.05..0.16).contains(&share(n)), "{overall:?}");
    }
    for n in [overall.not_applicable, overall.to_review] {
        assert!((0.01..0.1).contains(&share(n)), "{overall:?}");
    }
    let percent = overall.percent().unwrap();
    assert!((60.0..90.0).contains(&percent), "{percent}");
    let planned: i64 = compliance_items::table
        .filter(compliance_items::target_date.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert!(planned > 0);

    // A second run finds every chosen system done and writes nothing.
    let before = counts(&mut conn);
    drop(conn);
    let out = ok(&capdo(
        dir.path(),
        &db,
        &["demo-data", "--compliance", "20"],
        "",
    ));
    assert!(out.contains("Đã lập 0 bảng"), "{out}");
    assert!(out.contains("20 hệ thống đã có bảng đánh giá"), "{out}");
    let mut conn = DatabaseTarget::parse(&db.url()).unwrap().connect().unwrap();
    assert_eq!(counts(&mut conn), before);
}
