//! The counts behind the annual report: GROUP BY aggregates over systems, dossier steps,
//! assessments and warning deliveries of a subtree, on either backend.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count, count_star};
use diesel::prelude::*;

use crate::db::schema::{
    alert_deliveries, alerts, assessments, dossier_steps, dossiers, outbox, systems,
};
use crate::db::AnyConn;

/// Systems of one group: classification regime, approved and proposed level, status.
#[derive(Clone, Debug, Queryable)]
pub struct SystemCount {
    pub regime_id: String,
    pub approved_level: Option<i32>,
    pub proposed_level: Option<i32>,
    pub status: String,
    pub count: i64,
}

/// Systems held (owned or operated) by the organisations `scope` (`None`: all), grouped.
pub fn system_counts(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
) -> QueryResult<Vec<SystemCount>> {
    let q = systems::table
        .group_by((
            systems::regime_id,
            systems::approved_level,
            systems::proposed_level,
            systems::status,
        ))
        .select((
            systems::regime_id,
            systems::approved_level,
            systems::proposed_level,
            systems::status,
            count_star(),
        ));
    match scope {
        None => q.load(conn),
        Some(ids) => q
            .filter(
                systems::organization_id
                    .eq_any(ids.to_vec())
                    .or(systems::operator_id.eq_any(ids.to_vec())),
            )
            .load(conn),
    }
}

/// Dossiers that reached `to_status` on a day of the period: one group per proposed and
/// approved level, each dossier counted once however many times it reached the status.
#[derive(Clone, Debug, Queryable)]
pub struct DossierCount {
    pub proposed_level: i32,
    pub approved_level: Option<i32>,
    pub count: i64,
}

pub fn dossiers_reaching(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    to_status: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<DossierCount>> {
    let q = dossier_steps::table
        .inner_join(dossiers::table.inner_join(systems::table))
        .filter(dossier_steps::to_status.eq(to_status.to_string()))
        .filter(dossier_steps::occurred_on.ge(from))
        .filter(dossier_steps::occurred_on.le(to))
        .group_by((dossiers::proposed_level, dossiers::approved_level))
        .select((
            dossiers::proposed_level,
            dossiers::approved_level,
            count(dossier_steps::dossier_id).aggregate_distinct(),
        ));
    match scope {
        None => q.load(conn),
        Some(ids) => q
            .filter(
                systems::organization_id
                    .eq_any(ids.to_vec())
                    .or(systems::operator_id.eq_any(ids.to_vec())),
            )
            .load(conn),
    }
}

/// Which assessments to count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssessmentCount {
    /// Done on a day of the period.
    Done,
    /// Due on a day of the period (done or not).
    Due,
    /// Due on a day of the period and done (at any time).
    DueAndDone,
}

/// (scope, count) of the assessments of the organisations `scope` or of systems they operate.
pub fn assessments(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    which: AssessmentCount,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(String, i64)>> {
    let joined = assessments::table
        .left_join(systems::table.on(assessments::system_id.eq(systems::id.nullable())));
    let mut q = joined
        .group_by(assessments::scope)
        .select((assessments::scope, count_star()))
        .into_boxed();
    q = match which {
        AssessmentCount::Done => q
            .filter(assessments::done_on.ge(from))
            .filter(assessments::done_on.le(to)),
        AssessmentCount::Due => q
            .filter(assessments::due_on.ge(from))
            .filter(assessments::due_on.le(to)),
        AssessmentCount::DueAndDone => q
            .filter(assessments::due_on.ge(from))
            .filter(assessments::due_on.le(to))
            .filter(assessments::done_on.is_not_null()),
    };
    if let Some(ids) = scope {
        q = q.filter(
            assessments::organization_id
                .eq_any(ids.to_vec())
                .or(systems::operator_id.eq_any(ids.to_vec())),
        );
    }
    q.load(conn)
}

/// Warnings issued by the organisations `scope` and sent in `[from, until)` (UTC).
pub fn alerts_sent(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<i64> {
    let mut q = alerts::table
        .filter(alerts::sent_at.ge(from))
        .filter(alerts::sent_at.lt(until))
        .into_boxed();
    if let Some(ids) = scope {
        q = q.filter(alerts::organization_id.eq_any(ids.to_vec()));
    }
    q.count().get_result(conn)
}

/// The deliveries of those warnings.
pub fn deliveries(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<i64> {
    let mut q = alert_deliveries::table
        .inner_join(alerts::table)
        .filter(alerts::sent_at.ge(from))
        .filter(alerts::sent_at.lt(until))
        .into_boxed();
    if let Some(ids) = scope {
        q = q.filter(alerts::organization_id.eq_any(ids.to_vec()));
    }
    q.count().get_result(conn)
}

/// (status of the latest message, count) over the deliveries of those warnings that have a
/// message (the others are still waiting to be queued).
pub fn delivery_statuses(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    let q = alert_deliveries::table
        .inner_join(alerts::table)
        .inner_join(outbox::table.on(outbox::id.nullable().eq(alert_deliveries::outbox_id)))
        .filter(alerts::sent_at.ge(from))
        .filter(alerts::sent_at.lt(until))
        .group_by(outbox::status)
        .select((outbox::status, count_star()));
    match scope {
        None => q.load(conn),
        Some(ids) => q
            .filter(alerts::organization_id.eq_any(ids.to_vec()))
            .load(conn),
    }
}

/// (answer, count) over the deliveries of those warnings; `None` is "no answer yet".
pub fn delivery_answers(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<(Option<String>, i64)>> {
    let q = alert_deliveries::table
        .inner_join(alerts::table)
        .filter(alerts::sent_at.ge(from))
        .filter(alerts::sent_at.lt(until))
        .group_by(alert_deliveries::answer)
        .select((alert_deliveries::answer, count_star()));
    match scope {
        None => q.load(conn),
        Some(ids) => q
            .filter(alerts::organization_id.eq_any(ids.to_vec()))
            .load(conn),
    }
}
