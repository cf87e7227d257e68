//! Demo dossiers for demonstrations and the deadline benchmark: N open level-proposal dossiers
//! on systems that have none, driven through the real services with dates of the past months,
//! so their clocks, checklists and timelines are exactly what users would produce.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::demo::Lcg;
use super::dossier_workflow::{transition, Transition};
use super::dossiers::{self, procedure_level, update_component, ComponentChanges, NewDossier};
use super::Actor;
use crate::db::schema::{dossier_systems, dossiers as dossier_rows, systems};
use crate::db::{write_tx, AnyConn};
use crate::domain::document_number::DocNumber;
use crate::domain::dossier::{AppraisalOpinion, ComponentStatus, DossierStatus};
use crate::error::AppError;
use crate::repo::organizations::OrganizationRow;
use crate::repo::systems as systems_repo;
use crate::rules::calendar::Calendar;
use crate::rules::dossier::{ClockStep, DossierStep};
use crate::rules::Registry;
use dates::{days, plan, working_on_or_before};

#[path = "demo_dossier_dates.rs"]
mod dates;

/// How open dossiers spread over the statuses, in parts of 100.
const MIX: [(DossierStatus, usize); 6] = [
    (DossierStatus::Draft, 20),
    (DossierStatus::Submitted, 15),
    (DossierStatus::Received, 20),
    (DossierStatus::Returned, 10),
    (DossierStatus::UnderAppraisal, 20),
    (DossierStatus::Appraised, 15),
];

/// Dossiers per write transaction: large enough that commits do not dominate, small enough
/// that the server's other writers (if one runs) are not held off for long.
const BATCH: usize = 200;

/// What was opened.
#[derive(Clone, Debug)]
pub struct DossierSeedReport {
    pub created: usize,
    pub by_status: Vec<(DossierStatus, usize)>,
    /// Dossiers whose legal clock runs, and how many of those are past their due day.
    pub clocks: usize,
    pub overdue: usize,
}

/// `count` statuses in the proportions of `MIX` (largest remainder), in `MIX` order.
fn quotas(count: usize) -> Vec<(DossierStatus, usize)> {
    let total: usize = MIX.iter().map(|(_, w)| w).sum();
    let mut out: Vec<(DossierStatus, usize, usize)> = MIX
        .iter()
        .map(|(s, w)| (*s, count * w / total, count * w % total))
        .collect();
    let mut left = count - out.iter().map(|(_, n, _)| n).sum::<usize>();
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(out[*i].2));
    for i in order {
        if left == 0 {
            break;
        }
        out[i].1 += 1;
        left -= 1;
    }
    out.into_iter().map(|(s, n, _)| (s, n)).collect()
}

/// Systems of `org`'s subtree that may take a new dossier: not retired, with a proposed
/// level, a pack that lists dossier components, and no open dossier (as the dossier's own
/// system or as a further one), in id order.
fn free_systems(
    conn: &mut AnyConn,
    registry: &Registry,
    org: &OrganizationRow,
) -> Result<Vec<String>, AppError> {
    let open_own = dossier_rows::table
        .filter(dossier_rows::status.ne(DossierStatus::Approved.as_str()))
        .select(dossier_rows::system_id);
    let open_further = dossier_systems::table
        .inner_join(dossier_rows::table)
        .filter(dossier_rows::status.ne(DossierStatus::Approved.as_str()))
        .select(dossier_systems::system_id);
    let mut q = systems::table
        .filter(systems::proposed_level.is_not_null())
        .filter(systems::status.ne("retired"))
        .filter(diesel::dsl::not(systems::id.eq_any(open_own)))
        .filter(diesel::dsl::not(systems::id.eq_any(open_further)))
        .into_boxed();
    if let Some(ids) = systems_repo::scope_ids(conn, &org.path)? {
        q = q.filter(systems::organization_id.eq_any(ids));
    }
    let rows: Vec<(String, String)> = q
        .select((systems::id, systems::regime_id))
        .order(systems::id.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, regime)| registry.get(regime).is_some_and(|p| p.dossier.is_some()))
        .map(|(id, _)| id)
        .collect())
}

/// The clock a dossier in `status` runs (at levels that have one).
fn clock_step(status: DossierStatus) -> Option<ClockStep> {
    match status {
        DossierStatus::Received => Some(ClockStep::ValidityCheck),
        DossierStatus::UnderAppraisal => Some(ClockStep::Appraisal),
        DossierStatus::Appraised => Some(ClockStep::Approval),
        _ => None,
    }
}

fn move_to(to: DossierStatus) -> Transition {
    Transition {
        to,
        document_number: None,
        document_date: None,
        recipient: None,
        date: None,
        opinion: None,
        approved_level: None,
        note: None,
    }
}

/// Shared by the dossiers of one run.
struct Run<'a> {
    registry: &'a Registry,
    calendar: &'a Calendar,
    actor: Actor,
    today: NaiveDate,
    /// The owner's symbol on its letters, e.g. `SCT-VP`.
    letter_symbol: String,
    /// Clocks planned so far; every third one is planned overdue.
    clocks: usize,
}

/// Opens one dossier on `system_id` and moves it to `target`, each step on its own day as a
/// user would record it; returns the due day of the clock that runs at the end.
fn open_one(
    conn: &mut AnyConn,
    run: &mut Run,
    rng: &mut Lcg,
    system_id: &str,
    target: DossierStatus,
    serial: usize,
) -> Result<Option<NaiveDate>, AppError> {
    let system = systems_repo::find(conn, system_id)?.ok_or_else(AppError::not_found)?;
    let pack = run
        .registry
        .get(&system.regime_id)
        .ok_or_else(AppError::not_found)?;
    let proposed = system
        .proposed_level
        .and_then(|l| u8::try_from(l).ok())
        .unwrap_or(1);
    let level = procedure_level(conn, pack, &system, proposed)?;
    let clock = clock_step(target)
        .and_then(|step| pack.dossier.as_ref()?.clock(step, level))
        .cloned();
    let overdue = clock.is_some() && run.clocks % 3 == 0;
    run.clocks += usize::from(clock.is_some());
    let today = run.today;
    let d = plan(run.calendar, rng, today, target, clock.as_ref(), overdue);
    let created = d.created.unwrap_or(today);
    let (registry, actor) = (run.registry, &run.actor);
    let view = dossiers::create(
        conn,
        registry,
        actor,
        system_id,
        NewDossier::default(),
        created,
    )?;
    let id = view.id.clone();

    // The proposal documents: all of them before a submission, some of them in a draft.
    let required: Vec<String> = view
        .components
        .iter()
        .filter(|c| c.required && c.step == DossierStep::Proposal)
        .map(|c| c.component.clone())
        .collect();
    let done = match target {
        DossierStatus::Draft => rng.next(required.len() + 1),
        _ => required.len(),
    };
    let until = d.submitted.unwrap_or(today);
    let room = usize::try_from((until - created).num_days()).unwrap_or(0);
    for component in required.iter().take(done) {
        let on =
            working_on_or_before(run.calendar, created + days(rng.next(room + 1))).max(created);
        let changes = ComponentChanges {
            status: Some(ComponentStatus::Complete),
            document_date: Some(Some(on)),
            ..ComponentChanges::default()
        };
        update_component(conn, registry, actor, &id, component, changes, on)?;
    }

    let mut last = view;
    if let Some(on) = d.submitted {
        let mut t = move_to(DossierStatus::Submitted);
        t.document_number = Some(format!("{serial}/{}", run.letter_symbol));
        t.document_date = Some(on);
        last = transition(conn, registry, actor, &id, t, on)?;
    }
    if let Some(on) = d.received {
        let mut t = move_to(DossierStatus::Received);
        t.date = Some(on);
        last = transition(conn, registry, actor, &id, t, on)?;
    }
    if let Some(on) = d.started {
        let mut t = move_to(DossierStatus::UnderAppraisal);
        t.date = Some(on);
        last = transition(conn, registry, actor, &id, t, on)?;
    }
    if let Some(on) = d.appraised {
        let mut t = move_to(DossierStatus::Appraised);
        t.opinion = Some(if rng.next(10) == 0 {
            AppraisalOpinion::FavourableWithConditions
        } else {
            AppraisalOpinion::Favourable
        });
        t.document_number = Some(format!("{serial}/TĐ-ATTT"));
        t.document_date = Some(on);
        last = transition(conn, registry, actor, &id, t, on)?;
    }
    if let Some(on) = d.returned {
        let mut t = move_to(DossierStatus::Returned);
        t.date = Some(on);
        t.note = Some(
            "Đề nghị bổ sung tài liệu thuyết minh phương án bảo đảm an toàn thông tin theo cấp độ và hoàn thiện hồ sơ.".into(),
        );
        last = transition(conn, registry, actor, &id, t, on)?;
    }
    if last.status != target {
        return Err(AppError::internal(anyhow::anyhow!(
            "demo dossier {id} ended in {:?}, not {target:?}",
            last.status
        )));
    }
    Ok(last.clock.and_then(|c| c.due_on))
}

/// Opens `count` dossiers on free systems of `org`'s subtree, spread evenly over them, in the
/// proportions of `MIX`. Refuses, writing nothing, when fewer systems are free.
pub fn seed_dossiers(
    conn: &mut AnyConn,
    registry: &Registry,
    org: &OrganizationRow,
    count: usize,
    today: NaiveDate,
) -> Result<DossierSeedReport, AppError> {
    // The calendar the workflow reckons the clocks on, so the planned ones match.
    let calendar = registry.calendar().as_ref();
    let free = free_systems(conn, registry, org)?;
    if free.len() < count {
        return Err(AppError::Conflict(format!(
            "Không đủ hệ thống để mở {count} hồ sơ đề xuất cấp độ: {} chỉ có {} hệ thống đã có cấp độ đề xuất và chưa có hồ sơ đang mở. Hãy tạo thêm hệ thống (--systems) hoặc giảm số hồ sơ (--dossiers); chưa có hồ sơ nào được tạo.",
            org.name,
            free.len()
        )));
    }
    let by_status = quotas(count);
    let mut rng = Lcg(count as u64 ^ 0xD055_1E55);
    let mut targets: Vec<DossierStatus> = by_status
        .iter()
        .flat_map(|(s, n)| std::iter::repeat_n(*s, *n))
        .collect();
    for i in (1..targets.len()).rev() {
        targets.swap(i, rng.next(i + 1));
    }
    let symbol = format!("{}-VP", org.code);
    let mut run = Run {
        registry,
        calendar,
        actor: Actor {
            label: "capdo (dữ liệu mẫu)".into(),
            ..Actor::console()
        },
        today,
        letter_symbol: if DocNumber::parse(&format!("1/{symbol}")).is_ok() {
            symbol
        } else {
            "SCT-VP".into()
        },
        clocks: 0,
    };
    let (mut clocks, mut overdue) = (0, 0);
    let mut done = 0;
    while done < count {
        let batch = (count - done).min(BATCH);
        write_tx(conn, |conn| {
            for i in done..done + batch {
                let system = &free[i * free.len() / count];
                let due = open_one(conn, &mut run, &mut rng, system, targets[i], i + 1)?;
                clocks += usize::from(due.is_some());
                overdue += usize::from(due.is_some_and(|d| d < today));
            }
            Ok::<_, AppError>(())
        })?;
        done += batch;
    }
    refresh_statistics(conn)?;
    Ok(DossierSeedReport {
        created: count,
        by_status,
        clocks,
        overdue,
    })
}

/// Fresh planner statistics after the bulk load, as after seeding systems.
fn refresh_statistics(conn: &mut AnyConn) -> Result<(), AppError> {
    use diesel::connection::SimpleConnection;
    let sql = match conn {
        AnyConn::Sqlite(_) => "ANALYZE",
        AnyConn::Postgres(_) => {
            "VACUUM ANALYZE dossiers, dossier_components, dossier_steps, dossier_systems, audit_log"
        }
    };
    conn.batch_execute(sql).map_err(AppError::from)
}
