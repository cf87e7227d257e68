//! Subtree-wide compliance queries: tallies of current reviews, gap items and their due dates.
//! No business rules here.

use chrono::NaiveDate;
use diesel::dsl::{sql, sum};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::schema::{
    compliance_group_tallies as t, compliance_items as i, compliance_reviews as r, organizations,
    systems, users,
};
use crate::db::{AnyConn, MultiBackend};

/// Gap statuses written literally, so that PostgreSQL matches the partial index
/// `compliance_items_gap_due_idx` even under a generic plan.
const GAP_SQL: &str =
    "compliance_items.is_current AND compliance_items.status IN ('to_review', 'partial', 'not_met')";

/// One current review with its tally summed over its groups.
#[derive(Clone, Debug)]
pub struct ReviewTally {
    pub review_id: String,
    pub system_id: String,
    pub system_name: String,
    pub organization_name: String,
    pub level: i32,
    pub baseline_id: String,
    pub year: i32,
    pub sums: Sums,
}

/// Summed counts, as the database returns them.
#[derive(Clone, Copy, Debug, Default, Queryable)]
pub struct Sums {
    pub total: Option<i64>,
    pub met: Option<i64>,
    pub partial: Option<i64>,
    pub not_met: Option<i64>,
    pub not_applicable: Option<i64>,
    pub to_review: Option<i64>,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        let plus = |a: &mut Option<i64>, b: Option<i64>| *a = Some(a.unwrap_or(0) + b.unwrap_or(0));
        plus(&mut self.total, o.total);
        plus(&mut self.met, o.met);
        plus(&mut self.partial, o.partial);
        plus(&mut self.not_met, o.not_met);
        plus(&mut self.not_applicable, o.not_applicable);
        plus(&mut self.to_review, o.to_review);
    }
}

/// One group of one catalogue summed over the current reviews.
#[derive(Clone, Debug)]
pub struct GroupTally {
    pub baseline_id: String,
    pub group_code: String,
    pub sums: Sums,
}

/// A gap item with what the lists print about it.
#[derive(Clone, Debug, Queryable)]
pub struct GapItem {
    pub id: String,
    pub review_id: String,
    pub system_id: String,
    pub system_name: String,
    pub organization_id: String,
    pub organization_name: String,
    pub level: i32,
    pub baseline_id: String,
    pub requirement_code: String,
    pub group_code: String,
    pub position: i32,
    pub status: String,
    pub how_met: Option<String>,
    pub responsible_id: Option<String>,
    pub responsible_name: Option<String>,
    pub target_date: Option<NaiveDate>,
}

/// Filters of the gap queries.
#[derive(Clone, Debug, Default)]
pub struct GapFilter {
    pub baselines: Vec<String>,
    pub responsible_id: Option<String>,
    pub statuses: Vec<String>,
    /// Only gaps with a target date before this day.
    pub due_before: Option<NaiveDate>,
    /// Only gaps with a target date on or before this day.
    pub due_by: Option<NaiveDate>,
    pub review_ids: Option<Vec<String>>,
}

macro_rules! sums {
    () => {
        (
            sum(t::total),
            sum(t::met),
            sum(t::partial),
            sum(t::not_met),
            sum(t::not_applicable),
            sum(t::to_review),
        )
    };
}

/// Systems seen by `visible` organisations (all when `None`): owned or operated.
/// The systems a subtree sees, found first on their owner and operator indexes, so the driving
/// table is probed by system id instead of an OR being tested on every joined row. A very large
/// subtree keeps the OR (bound parameters have a limit).
pub enum Seen {
    All,
    Systems(Vec<String>),
    Organizations(Vec<String>),
}

const MAX_SEEN_IDS: usize = 20_000;

/// A range every id is in. Counting over the whole register, SQLite's planner prices a scan of
/// the table below one of a small covering partial index (it does not know the rows' size), so
/// the counts bound the index's first column to walk `compliance_reviews_current_idx` or
/// `systems_with_level_idx`; PostgreSQL plans them the same way.
const WALK_INDEX: &str = "";

pub fn seen(conn: &mut AnyConn, visible: Option<&[String]>) -> QueryResult<Seen> {
    let Some(ids) = visible else {
        return Ok(Seen::All);
    };
    let systems: Vec<String> = systems::table
        .filter(
            systems::organization_id
                .eq_any(ids.to_vec())
                .or(systems::operator_id.eq_any(ids.to_vec())),
        )
        .select(systems::id)
        .limit(MAX_SEEN_IDS as i64 + 1)
        .load(conn)?;
    Ok(if systems.len() > MAX_SEEN_IDS {
        Seen::Organizations(ids.to_vec())
    } else {
        Seen::Systems(systems)
    })
}

macro_rules! visible {
    ($q:expr, $seen:expr, $column:expr) => {{
        let mut q = $q;
        match &$seen {
            Seen::All => {}
            Seen::Systems(ids) => q = q.filter($column.eq_any(ids.clone())),
            Seen::Organizations(ids) => {
                q = q.filter(
                    systems::organization_id
                        .eq_any(ids.clone())
                        .or(systems::operator_id.eq_any(ids.clone())),
                )
            }
        }
        q
    }};
}

type ReviewColumns = (
    r::id,
    r::system_id,
    systems::name,
    organizations::name,
    r::level,
    r::baseline_id,
    r::year,
    (
        r::total,
        r::met,
        r::partial,
        r::not_met,
        r::not_applicable,
        r::to_review,
    ),
);

fn review_columns() -> ReviewColumns {
    (
        r::id,
        r::system_id,
        systems::name,
        organizations::name,
        r::level,
        r::baseline_id,
        r::year,
        (
            r::total,
            r::met,
            r::partial,
            r::not_met,
            r::not_applicable,
            r::to_review,
        ),
    )
}

type ReviewRowData = (
    String,
    String,
    String,
    String,
    i32,
    String,
    i32,
    (i32, i32, i32, i32, i32, i32),
);

fn review_tally(row: ReviewRowData) -> ReviewTally {
    let (review_id, system_id, system_name, organization_name, level, baseline_id, year, c) = row;
    let n = |v: i32| Some(i64::from(v));
    ReviewTally {
        sums: Sums {
            total: n(c.0),
            met: n(c.1),
            partial: n(c.2),
            not_met: n(c.3),
            not_applicable: n(c.4),
            to_review: n(c.5),
        },
        review_id,
        system_id,
        system_name,
        organization_name,
        level,
        baseline_id,
        year,
    }
}

/// How a page of reviews is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewOrder {
    /// Lowest score first, reviews with nothing applicable last.
    ScoreAsc,
    ScoreDesc,
    Name,
}

macro_rules! current_reviews {
    ($visible:expr, $baselines:expr) => {{
        let q = r::table
            .inner_join(systems::table)
            .inner_join(organizations::table.on(organizations::id.eq(systems::organization_id)))
            .filter(r::is_current)
            .filter(r::baseline_id.eq_any($baselines.to_vec()))
            .into_boxed::<MultiBackend>();
        visible!(q, $visible, r::system_id)
    }};
}

/// How many current reviews of the catalogues the visible systems have, and for how many systems.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReviewCounts {
    pub reviews: i64,
    pub systems: i64,
}

/// Both counts, each on `compliance_reviews_current_idx` (system, catalogue): bounding its first
/// column makes SQLite walk it rather than the table, and in system order the distinct count
/// needs no sort. `every_catalogue` drops the catalogue filter, which would bring the sort back.
pub fn review_counts(
    conn: &mut AnyConn,
    seen: &Seen,
    baselines: &[String],
    every_catalogue: bool,
) -> QueryResult<ReviewCounts> {
    macro_rules! scoped {
        ($catalogues:expr) => {{
            let mut q = r::table
                .inner_join(systems::table)
                .filter(r::is_current)
                .filter(r::system_id.gt(WALK_INDEX))
                .into_boxed::<MultiBackend>();
            if $catalogues {
                q = q.filter(r::baseline_id.eq_any(baselines.to_vec()));
            }
            visible!(q, seen, r::system_id)
        }};
    }
    // Only a subtree too large for an id list filters on the systems' columns through a join.
    let (reviews, systems): (i64, i64) = match seen {
        Seen::Organizations(_) => (
            scoped!(true).count().get_result(conn)?,
            scoped!(!every_catalogue)
                .select(diesel::dsl::count(r::system_id).aggregate_distinct())
                .get_result(conn)?,
        ),
        Seen::All | Seen::Systems(_) => {
            let base = |with_catalogues: bool| {
                let mut q = r::table
                    .filter(r::is_current)
                    .filter(r::system_id.gt(WALK_INDEX))
                    .into_boxed::<MultiBackend>();
                if with_catalogues {
                    q = q.filter(r::baseline_id.eq_any(baselines.to_vec()));
                }
                if let Seen::Systems(ids) = seen {
                    q = q.filter(r::system_id.eq_any(ids.clone()));
                }
                q
            };
            (
                base(true).count().get_result(conn)?,
                base(!every_catalogue)
                    .select(diesel::dsl::count(r::system_id).aggregate_distinct())
                    .get_result(conn)?,
            )
        }
    };
    Ok(ReviewCounts { reviews, systems })
}

/// One page of the current reviews of visible systems with their roll-ups, ordered in SQL on the
/// stored score: the page's ids first, from the reviews alone (joined, SQLite 3.5x chose to
/// sort the whole register instead of walking `compliance_reviews_score_idx`), then their rows.
pub fn review_page(
    conn: &mut AnyConn,
    seen: &Seen,
    baselines: &[String],
    order: ReviewOrder,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ReviewTally>> {
    if order == ReviewOrder::Name {
        let rows: Vec<ReviewRowData> = current_reviews!(seen, baselines)
            .select(review_columns())
            .order((
                systems::name.asc(),
                r::system_id.asc(),
                r::baseline_id.asc(),
            ))
            .offset(offset)
            .limit(limit)
            .load(conn)?;
        return Ok(rows.into_iter().map(review_tally).collect());
    }
    let mut q = r::table
        .filter(r::is_current)
        .filter(r::baseline_id.eq_any(baselines.to_vec()))
        .select(r::id)
        .into_boxed::<MultiBackend>();
    q = match seen {
        Seen::All => q,
        Seen::Systems(ids) => q.filter(r::system_id.eq_any(ids.clone())),
        Seen::Organizations(ids) => {
            let owned: Vec<String> = systems::table
                .filter(
                    systems::organization_id
                        .eq_any(ids.clone())
                        .or(systems::operator_id.eq_any(ids.clone())),
                )
                .select(systems::id)
                .load(conn)?;
            q.filter(r::system_id.eq_any(owned))
        }
    };
    q = match order {
        // Ties by system id: the order of `compliance_reviews_score_idx`, walked, not sorted.
        ReviewOrder::ScoreAsc => {
            q.order((r::score.asc(), r::system_id.asc(), r::baseline_id.asc()))
        }
        // Scored reviews first (1001: nothing applies).
        _ => q.order((
            r::score.eq(1001).asc(),
            r::score.desc(),
            r::system_id.asc(),
            r::baseline_id.asc(),
        )),
    };
    let ids: Vec<String> = q.offset(offset).limit(limit).load(conn)?;
    let rows: Vec<ReviewRowData> = r::table
        .inner_join(systems::table)
        .inner_join(organizations::table.on(organizations::id.eq(systems::organization_id)))
        .filter(r::id.eq_any(ids.clone()))
        .select(review_columns())
        .load(conn)?;
    let mut rows: Vec<ReviewTally> = rows.into_iter().map(review_tally).collect();
    let rank: std::collections::HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    rows.sort_by_key(|t| rank.get(t.review_id.as_str()).copied());
    Ok(rows)
}

/// Every current review of visible systems with its roll-up, by system name (the export).
pub fn review_tallies(
    conn: &mut AnyConn,
    visible: Option<&[String]>,
    baselines: &[String],
) -> QueryResult<Vec<ReviewTally>> {
    let seen = seen(conn, visible)?;
    let rows: Vec<ReviewRowData> = current_reviews!(&seen, baselines)
        .select(review_columns())
        .order((
            systems::name.asc(),
            r::system_id.asc(),
            r::baseline_id.asc(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(review_tally).collect())
}

/// The tallies of each group of a catalogue over the current reviews of visible systems: the
/// owners' roll-ups, plus the few systems the subtree only operates.
pub fn group_tallies(
    conn: &mut AnyConn,
    visible: Option<&[String]>,
    baseline: &str,
) -> QueryResult<Vec<GroupTally>> {
    use crate::db::schema::compliance_org_tallies as o;
    let owned = o::table
        .filter(o::baseline_id.eq(baseline.to_string()))
        .group_by(o::group_code)
        .select((
            o::group_code,
            (
                sum(o::total),
                sum(o::met),
                sum(o::partial),
                sum(o::not_met),
                sum(o::not_applicable),
                sum(o::to_review),
            ),
        ));
    let mut rows: Vec<(String, Sums)> = match visible {
        None => owned.load(conn)?,
        Some(ids) => owned
            .filter(o::organization_id.eq_any(ids.to_vec()))
            .load(conn)?,
    };
    if let Some(ids) = visible {
        let operated: Vec<(String, Sums)> = t::table
            .inner_join(r::table.inner_join(systems::table))
            .filter(r::is_current)
            .filter(r::baseline_id.eq(baseline.to_string()))
            .filter(systems::operator_id.eq_any(ids.to_vec()))
            .filter(systems::organization_id.ne_all(ids.to_vec()))
            .group_by(t::group_code)
            .select((t::group_code, sums!()))
            .load(conn)?;
        for (code, extra) in operated {
            match rows.iter_mut().find(|(c, _)| *c == code) {
                Some((_, s)) => s.add(&extra),
                None => rows.push((code, extra)),
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|(group_code, sums)| GroupTally {
            baseline_id: baseline.to_string(),
            group_code,
            sums,
        })
        .collect())
}

/// Visible systems with a level but no current review: those with a level less the `reviewed`
/// ones (`ReviewCounts::systems`; a review is only made for a system with a level), a count on
/// `systems_with_level_idx` instead of an anti-join over the register.
pub fn without_review(conn: &mut AnyConn, seen: &Seen, reviewed: i64) -> QueryResult<i64> {
    let q = systems::table
        .filter(
            systems::approved_level
                .is_not_null()
                .or(systems::proposed_level.is_not_null())
                .or(systems::computed_level.is_not_null()),
        )
        .into_boxed::<MultiBackend>();
    let q = match seen {
        Seen::All => q.filter(systems::organization_id.gt(WALK_INDEX)),
        _ => q,
    };
    let with_level: i64 = visible!(q, seen, systems::id).count().get_result(conn)?;
    Ok((with_level - reviewed).max(0))
}

/// Gap items per current review: (review id, overdue count) for `review_ids`.
pub fn overdue_by_review(
    conn: &mut AnyConn,
    review_ids: &[String],
    today: NaiveDate,
) -> QueryResult<Vec<(String, i64)>> {
    i::table
        .filter(i::review_id.eq_any(review_ids.to_vec()))
        .filter(i::target_date.is_not_null())
        .filter(i::target_date.lt(today))
        .filter(sql::<Bool>(GAP_SQL))
        .group_by(i::review_id)
        .select((i::review_id, diesel::dsl::count_star()))
        .load(conn)
}

/// The filters on the answers themselves: responsible user, status, due dates.
macro_rules! answer_filters {
    ($q:expr, $f:expr) => {{
        let (mut q, f): (_, &GapFilter) = ($q, $f);
        if let Some(u) = &f.responsible_id {
            q = q.filter(i::responsible_id.eq(u.clone()));
        }
        if !f.statuses.is_empty() {
            q = q.filter(i::status.eq_any(f.statuses.clone()));
        }
        if let Some(d) = f.due_before {
            q = q
                .filter(i::target_date.is_not_null())
                .filter(i::target_date.lt(d));
        }
        if let Some(d) = f.due_by {
            q = q
                .filter(i::target_date.is_not_null())
                .filter(i::target_date.le(d));
        }
        q
    }};
}

/// The gap items (current reviews, gap statuses) of visible systems that pass the filter.
macro_rules! gap_query {
    ($visible:expr, $f:expr) => {{
        let f: &GapFilter = $f;
        let mut q = i::table
            .inner_join(r::table.inner_join(systems::table))
            .inner_join(organizations::table.on(organizations::id.eq(systems::organization_id)))
            .left_join(users::table.on(i::responsible_id.eq(users::id.nullable())))
            .filter(r::is_current)
            .filter(sql::<Bool>(GAP_SQL))
            .into_boxed::<MultiBackend>();
        q = visible!(q, $visible, i::system_id);
        if !f.baselines.is_empty() {
            q = q.filter(r::baseline_id.eq_any(f.baselines.clone()));
        }
        q = answer_filters!(q, f);
        if let Some(ids) = &f.review_ids {
            q = q.filter(i::review_id.eq_any(ids.clone()));
        }
        q
    }};
}

/// How many gaps pass the filter: for the whole register on the items' indexes alone (answers
/// carry whether their review is current), else through the visible systems.
fn gap_count(conn: &mut AnyConn, seen: &Seen, f: &GapFilter) -> QueryResult<i64> {
    if !matches!(seen, Seen::All) || !f.baselines.is_empty() || f.review_ids.is_some() {
        return gap_query!(seen, f).count().get_result(conn);
    }
    let q = i::table
        .filter(sql::<Bool>(GAP_SQL))
        .into_boxed::<MultiBackend>();
    answer_filters!(q, f).count().get_result(conn)
}

type GapColumns = (
    i::id,
    i::review_id,
    i::system_id,
    systems::name,
    systems::organization_id,
    organizations::name,
    r::level,
    r::baseline_id,
    i::requirement_code,
    i::group_code,
    i::position,
    i::status,
    i::how_met,
    i::responsible_id,
    diesel::dsl::Nullable<users::full_name>,
    i::target_date,
);

fn gap_columns() -> GapColumns {
    (
        i::id,
        i::review_id,
        i::system_id,
        systems::name,
        systems::organization_id,
        organizations::name,
        r::level,
        r::baseline_id,
        i::requirement_code,
        i::group_code,
        i::position,
        i::status,
        i::how_met,
        i::responsible_id,
        users::full_name.nullable(),
        i::target_date,
    )
}

/// A page of gaps: by target date (undated last), system, position; and how many in all
/// (`known_total` when the caller has it from the roll-ups). Dated and undated gaps are read
/// apart, so the dated ones come in the order of their partial index instead of a sort of
/// every gap.
pub fn gaps(
    conn: &mut AnyConn,
    visible: Option<&[String]>,
    f: &GapFilter,
    (offset, limit): (i64, i64),
    known_total: Option<i64>,
) -> QueryResult<(Vec<GapItem>, i64)> {
    let seen = seen(conn, visible)?;
    let total = match known_total {
        Some(n) => n,
        None => gap_count(conn, &seen, f)?,
    };
    let mut rows: Vec<GapItem> = gap_query!(seen, f)
        .filter(i::target_date.is_not_null())
        .select(gap_columns())
        .order((
            i::target_date.asc(),
            systems::name.asc(),
            i::system_id.asc(),
            i::position.asc(),
        ))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    let short = limit - rows.len() as i64;
    if short > 0 {
        let dated = if rows.is_empty() {
            gap_query!(seen, f)
                .filter(i::target_date.is_not_null())
                .count()
                .get_result(conn)?
        } else {
            offset + rows.len() as i64
        };
        let undated: Vec<GapItem> = gap_query!(seen, f)
            .filter(i::target_date.is_null())
            .select(gap_columns())
            .order((systems::name.asc(), i::system_id.asc(), i::position.asc()))
            .offset((offset - dated).max(0))
            .limit(short)
            .load(conn)?;
        rows.extend(undated);
    }
    Ok((rows, total))
}

/// Gaps of a few reviews, by review and position (the export reads them chunk by chunk).
pub fn gaps_of_reviews(conn: &mut AnyConn, review_ids: &[String]) -> QueryResult<Vec<GapItem>> {
    let f = GapFilter {
        review_ids: Some(review_ids.to_vec()),
        ..GapFilter::default()
    };
    gap_query!(&Seen::All, &f)
        .select(gap_columns())
        .order((i::review_id.asc(), i::position.asc()))
        .load(conn)
}

/// The first `limit` dated gaps due on or before `until` (soonest first) and how many there are.
pub fn gaps_due(
    conn: &mut AnyConn,
    visible: Option<&[String]>,
    until: NaiveDate,
    limit: i64,
) -> QueryResult<(Vec<GapItem>, i64)> {
    let seen = seen(conn, visible)?;
    let f = GapFilter {
        due_by: Some(until),
        ..GapFilter::default()
    };
    let total = gap_count(conn, &seen, &f)?;
    let rows = gap_query!(&seen, &f)
        .select(gap_columns())
        .order((i::target_date.asc(), i::id.asc()))
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// Every dated gap due on or before `until`, in pages after `after` (target date, id).
pub fn gaps_due_after(
    conn: &mut AnyConn,
    until: NaiveDate,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> QueryResult<Vec<GapItem>> {
    let f = GapFilter {
        due_by: Some(until),
        ..GapFilter::default()
    };
    let mut q = gap_query!(&Seen::All, &f);
    if let Some((due, id)) = after {
        q = q.filter(
            i::target_date
                .gt(due)
                .or(i::target_date.eq(due).and(i::id.gt(id))),
        );
    }
    q.select(gap_columns())
        .order((i::target_date.asc(), i::id.asc()))
        .limit(limit)
        .load(conn)
}

/// Active users with an email among `ids`: (id, full name, email).
pub fn active_emails(
    conn: &mut AnyConn,
    ids: &[String],
) -> QueryResult<Vec<(String, String, String)>> {
    users::table
        .filter(users::id.eq_any(ids.to_vec()))
        .filter(users::active.eq(true))
        .filter(users::email.ne(""))
        .select((users::id, users::full_name, users::email))
        .load(conn)
}
