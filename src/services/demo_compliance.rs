//! Demo compliance checklists for demonstrations and the compliance benchmark: this year's
//! review of every catalogue that applies to N systems, with plausible answers, written as
//! multi-row inserts with tallies computed here exactly as `compliance::refresh_tallies` would.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;

use super::audit::{self, Change};
use super::compliance::applicable;
use super::demo::Lcg;
use super::Actor;
use crate::db::schema::{compliance_evidence, compliance_group_tallies, compliance_reviews};
use crate::db::schema::{systems, users};
use crate::db::{self, write_tx, AnyConn};
use crate::domain::compliance::{ComplianceStatus, Tally};
use crate::domain::document_number::DocNumber;
use crate::error::AppError;
use crate::repo::compliance::{self as repo, EvidenceRow, ItemRow, ReviewRow, TallyRow};
use crate::repo::organizations::OrganizationRow;
use crate::repo::systems as systems_repo;
use crate::rules::baseline::{Baseline, Special};
use crate::rules::Registry;

/// Systems per write transaction (each brings one to two reviews of 20–80 answers).
const BATCH: usize = 250;

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct ComplianceSeedReport {
    /// Systems that received at least one review.
    pub systems: usize,
    /// Systems chosen that already had every current review, left as they were.
    pub skipped: usize,
    pub reviews: usize,
    pub items: usize,
    pub evidence: usize,
}

/// A system to seed: its regime, hosting and the level its checklists follow.
struct Candidate {
    id: String,
    regime: String,
    hosting: Option<String>,
    level: u8,
    source: &'static str,
}

type SystemCols = (
    String,
    String,
    Option<String>,
    Option<i32>,
    Option<i32>,
    Option<i32>,
);

/// The level a checklist follows, as `compliance::level_of` picks it from a system row.
fn level_of(
    approved: Option<i32>,
    proposed: Option<i32>,
    computed: Option<i32>,
) -> Option<(u8, &'static str)> {
    let pick = |v: Option<i32>, source| v.and_then(|l| u8::try_from(l).ok()).map(|l| (l, source));
    pick(approved, "approved")
        .or_else(|| pick(proposed, "proposed"))
        .or_else(|| pick(computed, "computed"))
        .filter(|(l, _)| (1..=5).contains(l))
}

/// The first `count` systems of `org`'s subtree (own or operated) that are not retired, have a
/// level and a catalogue, in id order.
fn candidates(
    conn: &mut AnyConn,
    registry: &Registry,
    org: &OrganizationRow,
    count: usize,
) -> Result<Vec<Candidate>, AppError> {
    let scope = systems_repo::scope_ids(conn, &org.path)?;
    let mut out = Vec::new();
    let mut after = String::new();
    while out.len() < count {
        let mut q = systems::table
            .filter(systems::status.ne("retired"))
            .filter(systems::id.gt(after.clone()))
            .into_boxed();
        if let Some(ids) = &scope {
            q = q.filter(
                systems::organization_id
                    .eq_any(ids.clone())
                    .or(systems::operator_id.eq_any(ids.clone())),
            );
        }
        let rows: Vec<SystemCols> = q
            .select((
                systems::id,
                systems::regime_id,
                systems::hosting_kind,
                systems::approved_level,
                systems::proposed_level,
                systems::computed_level,
            ))
            .order(systems::id.asc())
            .limit(2000)
            .load(conn)?;
        let Some(last) = rows.last() else { break };
        after = last.0.clone();
        for (id, regime, hosting, approved, proposed, computed) in rows {
            let Some((level, source)) = level_of(approved, proposed, computed) else {
                continue;
            };
            if out.len() < count && registry.baseline_for(&regime).is_some() {
                out.push(Candidate {
                    id,
                    regime,
                    hosting,
                    level,
                    source,
                });
            }
        }
    }
    Ok(out)
}

/// Active users of the subtree, who may be named responsible.
fn responsibles(conn: &mut AnyConn, org: &OrganizationRow) -> Result<Vec<String>, AppError> {
    let mut q = users::table.filter(users::active.eq(true)).into_boxed();
    if let Some(ids) = systems_repo::scope_ids(conn, &org.path)? {
        q = q.filter(users::organization_id.eq_any(ids));
    }
    Ok(q.select(users::id).order(users::id.asc()).load(conn)?)
}

/// A status in the proportions 70 % met, 10 % partial, 10 % not met, 5 % N/A, 5 % to review;
/// the regulation is never "not applicable" (it is a legal condition of approval).
fn draw_status(rng: &mut Lcg, regulation: bool) -> ComplianceStatus {
    match rng.next(100) {
        0..70 => ComplianceStatus::Met,
        70..80 => ComplianceStatus::Partial,
        80..90 => ComplianceStatus::NotMet,
        90..95 if !regulation => ComplianceStatus::NotApplicable,
        _ => ComplianceStatus::ToReview,
    }
}

const NA_REASONS: &[&str] = &[
    "Hệ thống không có thành phần mà yêu cầu này áp dụng.",
    "Hạ tầng do Trung tâm dữ liệu tỉnh quản lý; yêu cầu thuộc trách nhiệm của đơn vị cung cấp hạ tầng.",
    "Hệ thống không kết nối mạng không dây và không cho phép truy cập từ xa.",
];
const HOW_MET: &[&str] = &[
    "Đã triển khai theo phương án bảo đảm an toàn thông tin được phê duyệt.",
    "Đã ban hành quy trình và phân công cán bộ thực hiện; kiểm tra định kỳ hằng quý.",
    "Thực hiện qua giải pháp của Trung tâm dữ liệu tỉnh; có biên bản bàn giao.",
];

/// Everything written for one batch, inserted in a few multi-row statements.
#[derive(Default)]
struct Batch {
    reviews: Vec<ReviewRow>,
    items: Vec<ItemRow>,
    tallies: Vec<TallyRow>,
    evidence: Vec<EvidenceRow>,
}

struct Run<'a> {
    today: NaiveDate,
    now: chrono::NaiveDateTime,
    users: &'a [String],
    /// The symbol of decisions, e.g. `QĐ-SCT`.
    decision_symbol: String,
    serial: usize,
}

/// One review of `b` for `c`, with its answers, tallies and evidence, appended to `batch`.
fn review_of(
    run: &mut Run,
    rng: &mut Lcg,
    batch: &mut Batch,
    c: &Candidate,
    b: &Baseline,
    due_on: Option<NaiveDate>,
) {
    let (today, now) = (run.today, run.now);
    let review = ReviewRow {
        id: db::new_id(),
        system_id: c.id.clone(),
        baseline_id: b.id.clone(),
        year: today.year(),
        level: i32::from(c.level),
        level_source: c.source.into(),
        hosting_kind: c.hosting.clone(),
        due_on,
        is_current: true,
        previous_id: None,
        created_by: None,
        created_at: now,
        updated_at: now,
    };
    let regulation = b
        .special(Special::RegulationBeforeApproval)
        .map(|r| r.code.as_str());
    let mut by_group: BTreeMap<String, Tally> = BTreeMap::new();
    for (position, r) in b.requirements.iter().enumerate() {
        if !r.applies(c.level, c.hosting.as_deref()) {
            continue;
        }
        let is_regulation = regulation == Some(r.code.as_str());
        let status = draw_status(rng, is_regulation);
        by_group.entry(r.group.clone()).or_default().count(status);
        let mut item = ItemRow {
            id: db::new_id(),
            review_id: review.id.clone(),
            system_id: c.id.clone(),
            requirement_code: r.code.clone(),
            group_code: r.group.clone(),
            position: i32::try_from(position).unwrap_or(i32::MAX),
            status: status.as_str().into(),
            na_reason: None,
            how_met: None,
            responsible_id: None,
            target_date: None,
            updated_by: None,
            updated_at: now,
        };
        match status {
            ComplianceStatus::NotApplicable => {
                item.na_reason = Some(NA_REASONS[rng.next(NA_REASONS.len())].into());
            }
            ComplianceStatus::Met | ComplianceStatus::Partial => {
                item.how_met = Some(HOW_MET[rng.next(HOW_MET.len())].into());
            }
            _ => {}
        }
        // Gaps mostly have someone and a date (some already past); a few met ones a keeper.
        let plan = if status.is_gap() {
            rng.next(10) < 6
        } else {
            rng.next(10) < 2
        };
        if plan && !run.users.is_empty() {
            item.responsible_id = Some(run.users[rng.next(run.users.len())].clone());
        }
        if plan && status.is_gap() {
            item.target_date = Some(today + Duration::days(rng.next(121) as i64 - 30));
        }
        // The regulation, when met, always with its decision: approval depends on it.
        if status == ComplianceStatus::Met && (is_regulation || rng.next(5) == 0) {
            run.serial += 1;
            let number = format!("{}/{}", run.serial, run.decision_symbol);
            let number = DocNumber::parse(&number)
                .map(DocNumber::into_string)
                .unwrap_or(number);
            let title = if is_regulation {
                "Quyết định ban hành Quy chế bảo đảm an toàn hệ thống thông tin"
            } else {
                "Quyết định ban hành quy trình, quy định liên quan"
            };
            batch.evidence.push(EvidenceRow {
                id: db::new_id(),
                system_id: c.id.clone(),
                baseline_id: b.id.clone(),
                requirement_code: r.code.clone(),
                title: Some(title.into()),
                document_number: Some(number),
                document_date: Some(today - Duration::days(30 + rng.next(700) as i64)),
                sha256: None,
                file_name: None,
                content_type: None,
                size_bytes: None,
                added_by: None,
                added_at: now,
            });
        }
        batch.items.push(item);
    }
    let n = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
    batch
        .tallies
        .extend(by_group.into_iter().map(|(group_code, t)| TallyRow {
            review_id: review.id.clone(),
            group_code,
            total: n(t.total),
            met: n(t.met),
            partial: n(t.partial),
            not_met: n(t.not_met),
            not_applicable: n(t.not_applicable),
            to_review: n(t.to_review),
        }));
    batch.reviews.push(review);
}

/// Multi-row inserts per backend (MultiConnection has no batch insert), in chunks under
/// SQLite's bound-parameter limit.
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr, $chunk:expr) => {
        for chunk in $rows.chunks($chunk) {
            let insert = diesel::insert_into($table).values(chunk);
            match $conn {
                AnyConn::Sqlite(lite) => insert.execute(lite)?,
                AnyConn::Postgres(pg) => insert.execute(pg)?,
            };
        }
    };
}

fn write(conn: &mut AnyConn, batch: &Batch) -> Result<(), AppError> {
    insert_all!(&mut *conn, compliance_reviews::table, batch.reviews, 500);
    repo::insert_items(conn, &batch.items)?;
    insert_all!(
        &mut *conn,
        compliance_group_tallies::table,
        batch.tallies,
        1000
    );
    insert_all!(&mut *conn, compliance_evidence::table, batch.evidence, 500);
    let ids: Vec<String> = batch.reviews.iter().map(|r| r.id.clone()).collect();
    crate::repo::compliance_rollups::review_totals(conn, &ids)?;
    crate::repo::compliance_rollups::organization_totals(conn, &ids, 1)?;
    Ok(())
}

/// Starts this year's review of every applicable catalogue on the first `count` systems of
/// `org`'s subtree that have a level; catalogues a system already has a current review of are
/// left alone, so a second run adds nothing.
pub fn seed_compliance(
    conn: &mut AnyConn,
    registry: &Registry,
    org: &OrganizationRow,
    count: usize,
    today: NaiveDate,
) -> Result<ComplianceSeedReport, AppError> {
    let chosen = candidates(conn, registry, org, count)?;
    let users = responsibles(conn, org)?;
    let actor = Actor {
        label: "capdo (dữ liệu mẫu)".into(),
        ..Actor::console()
    };
    let symbol = format!("QĐ-{}", org.code);
    let mut run = Run {
        today,
        now: db::now(),
        users: &users,
        decision_symbol: if DocNumber::parse(&format!("1/{symbol}")).is_ok() {
            symbol
        } else {
            "QĐ-SCT".into()
        },
        serial: 0,
    };
    let mut rng = Lcg(count as u64 ^ 0xC0FF_11A7);
    let mut report = ComplianceSeedReport::default();
    for part in chosen.chunks(BATCH) {
        write_tx(conn, |conn| {
            let ids: Vec<&str> = part.iter().map(|c| c.id.as_str()).collect();
            let existing: HashSet<(String, String)> = compliance_reviews::table
                .filter(compliance_reviews::system_id.eq_any(&ids))
                .filter(compliance_reviews::is_current.eq(true))
                .select((
                    compliance_reviews::system_id,
                    compliance_reviews::baseline_id,
                ))
                .load::<(String, String)>(conn)?
                .into_iter()
                .collect();
            let mut batch = Batch::default();
            for c in part {
                let before = batch.reviews.len();
                for a in applicable(registry, &c.regime) {
                    if !existing.contains(&(c.id.clone(), a.baseline.id.clone())) {
                        review_of(&mut run, &mut rng, &mut batch, c, &a.baseline, a.due_on);
                    }
                }
                if batch.reviews.len() == before {
                    report.skipped += 1;
                } else {
                    report.systems += 1;
                }
            }
            write(conn, &batch)?;
            report.reviews += batch.reviews.len();
            report.items += batch.items.len();
            report.evidence += batch.evidence.len();
            if !batch.reviews.is_empty() {
                audit::record(
                    conn,
                    &actor,
                    Change {
                        entity_type: "organization",
                        entity_id: &org.id,
                        action: "compliance_demo_seeded",
                        before: None,
                        after: Some(serde_json::json!({
                            "reviews": batch.reviews.len(),
                            "items": batch.items.len(),
                            "evidence": batch.evidence.len(),
                            "year": today.year(),
                        })),
                        scope_path: &org.path,
                    },
                )?;
            }
            Ok::<_, AppError>(())
        })?;
    }
    refresh_statistics(conn)?;
    Ok(report)
}

/// Fresh planner statistics after the bulk load, as after seeding systems.
fn refresh_statistics(conn: &mut AnyConn) -> Result<(), AppError> {
    use diesel::connection::SimpleConnection;
    let sql = match conn {
        AnyConn::Sqlite(_) => "ANALYZE",
        AnyConn::Postgres(_) => {
            "VACUUM ANALYZE compliance_reviews, compliance_items, compliance_group_tallies, compliance_evidence"
        }
    };
    conn.batch_execute(sql).map_err(AppError::from)
}
