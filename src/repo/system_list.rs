//! The register's list query: filters, sorting, a page, and its total (from the trigger-kept
//! `system_tallies` whenever no text search is asked for).

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::systems::{scope_ids, SystemListRow};
use super::Page;
use crate::db::schema::{organizations, system_search, system_tallies, systems};
use crate::db::{AnyConn, MultiBackend};

#[derive(Clone, Debug, Default)]
pub struct SystemFilter {
    pub organization_id: Option<String>,
    pub level: Option<i32>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub below_criteria: Option<bool>,
    pub redetermination_required: Option<bool>,
    /// LIKE pattern over the search key.
    pub search: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SystemSort {
    #[default]
    Name,
    NameDesc,
    Level,
    LevelDesc,
    Updated,
    UpdatedDesc,
}

/// Which systems of the register an actor's subtree sees.
#[derive(Clone, Copy)]
enum Visible<'a> {
    /// The whole register (the root's subtree).
    All,
    /// Owned by, or operated by, one of these organisations.
    OwnedOrOperated(&'a [String]),
    /// Operated by one of these organisations but owned outside them: the part of a subtree's
    /// list that the owners' tallies do not hold.
    OperatedOnly(&'a [String]),
}

/// The organisation filter: absent, the path of the organisation's subtree, or an unknown
/// organisation (which holds nothing).
type OrgFilter = Option<Option<String>>;

type Subtree = diesel::dsl::Select<
    diesel::dsl::Filter<organizations::table, diesel::dsl::Like<organizations::path, String>>,
    organizations::id,
>;

/// The ids of the organisations of a subtree, as a subquery.
fn subtree_of(path: &str) -> Subtree {
    organizations::table
        .filter(organizations::path.like(format!("{path}%")))
        .select(organizations::id)
}

fn filtered(
    visible: Visible<'_>,
    org: &OrgFilter,
    filter: &SystemFilter,
) -> systems::BoxedQuery<'static, MultiBackend> {
    let mut q = systems::table.into_boxed();
    match visible {
        Visible::All => {}
        Visible::OwnedOrOperated(ids) => {
            q = q.filter(
                systems::organization_id
                    .eq_any(ids.to_vec())
                    .or(systems::operator_id.eq_any(ids.to_vec())),
            )
        }
        Visible::OperatedOnly(ids) => {
            q = q
                .filter(systems::operator_id.eq_any(ids.to_vec()))
                .filter(systems::organization_id.ne_all(ids.to_vec()))
        }
    }
    match org {
        None => {}
        Some(Some(path)) => q = q.filter(systems::organization_id.eq_any(subtree_of(path))),
        Some(None) => q = q.filter(systems::id.ne(systems::id)),
    }
    if let Some(level) = filter.level {
        q = q.filter(systems::computed_level.eq(level));
    }
    if let Some(status) = &filter.status {
        q = q.filter(systems::status.eq(status.clone()));
    }
    if let Some(kind) = &filter.kind {
        q = q.filter(systems::kind.eq(kind.clone()));
    }
    if let Some(flag) = filter.below_criteria {
        q = q.filter(systems::below_criteria.eq(flag));
    }
    if let Some(flag) = filter.redetermination_required {
        q = q.filter(systems::redetermination_required.eq(flag));
    }
    if let Some(pattern) = &filter.search {
        let matching = system_search::table
            .filter(system_search::search_key.like(pattern.clone()))
            .select(system_search::system_id);
        q = q.filter(systems::id.eq_any(matching));
    }
    q
}

/// The number of systems owned within `scope` (all when `None`) that pass the filters other
/// than the text search, summed from the tallies.
fn tallied(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    org: &OrgFilter,
    filter: &SystemFilter,
) -> QueryResult<i64> {
    let mut q = system_tallies::table.into_boxed::<MultiBackend>();
    if let Some(ids) = scope {
        q = q.filter(system_tallies::organization_id.eq_any(ids.to_vec()));
    }
    match org {
        None => {}
        Some(Some(path)) => q = q.filter(system_tallies::organization_id.eq_any(subtree_of(path))),
        Some(None) => return Ok(0),
    }
    if let Some(level) = filter.level {
        q = q.filter(system_tallies::computed_level.eq(level));
    }
    if let Some(status) = &filter.status {
        q = q.filter(system_tallies::status.eq(status.clone()));
    }
    if let Some(kind) = &filter.kind {
        q = q.filter(system_tallies::kind.eq(kind.clone()));
    }
    if let Some(flag) = filter.below_criteria {
        q = q.filter(system_tallies::below_criteria.eq(flag));
    }
    if let Some(flag) = filter.redetermination_required {
        q = q.filter(system_tallies::redetermination_required.eq(flag));
    }
    // SUM of a bigint is numeric on PostgreSQL: cast back so both backends return an i64.
    q.select(sql::<BigInt>("CAST(COALESCE(SUM(total), 0) AS BIGINT)"))
        .first(conn)
}

/// The total of a list without text search: the owners' tallies plus, for a subtree, the few
/// systems it sees only as their operating unit (counted on the operator index).
fn total_without_search(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    org: &OrgFilter,
    filter: &SystemFilter,
) -> QueryResult<i64> {
    let owned = tallied(conn, scope, org, filter)?;
    let operated = match scope {
        None => 0,
        Some(ids) => filtered(Visible::OperatedOnly(ids), org, filter)
            .count()
            .get_result::<i64>(conn)?,
    };
    Ok(owned + operated)
}

pub fn list_in_scope(
    conn: &mut AnyConn,
    scope_path: &str,
    filter: &SystemFilter,
    sort: SystemSort,
    page: Page,
) -> QueryResult<(Vec<SystemListRow>, i64)> {
    let scope = scope_ids(conn, scope_path)?;
    // The organisation filter covers the organisation's whole subtree (its path is a prefix).
    let org: OrgFilter = match &filter.organization_id {
        Some(id) => Some(
            organizations::table
                .filter(organizations::id.eq(id.clone()))
                .select(organizations::path)
                .first::<String>(conn)
                .optional()?,
        ),
        None => None,
    };
    let visible = match &scope {
        None => Visible::All,
        Some(ids) => Visible::OwnedOrOperated(ids),
    };
    let build = || filtered(visible, &org, filter);
    let ordered = |q: systems::BoxedQuery<'static, MultiBackend>| match sort {
        SystemSort::Name => q.order((systems::name.asc(), systems::id.asc())),
        SystemSort::NameDesc => q.order((systems::name.desc(), systems::id.desc())),
        SystemSort::Level => q.order((systems::computed_level.asc(), systems::name.asc())),
        SystemSort::LevelDesc => q.order((systems::computed_level.desc(), systems::name.asc())),
        SystemSort::Updated => q.order((systems::updated_at.asc(), systems::id.asc())),
        SystemSort::UpdatedDesc => q.order((systems::updated_at.desc(), systems::id.desc())),
    };
    if filter.search.is_some() && matches!(conn, AnyConn::Sqlite(_)) {
        // SQLite's trigram search costs the same however few rows it returns, and a search
        // reads every match anyway (to sort them): the total comes with the page from one
        // query instead of running the search a second time to count. PostgreSQL counts
        // through its trigram index cheaply, while a window over many matches is slow there.
        let rows: Vec<(SystemListRow, i64)> = ordered(build())
            .select((
                SystemListRow::as_select(),
                sql::<BigInt>("COUNT(*) OVER ()"),
            ))
            .limit(page.size)
            .offset(page.offset())
            .load(conn)?;
        let total = match rows.first() {
            Some((_, total)) => *total,
            // A page past the end has no row to carry the total.
            None if page.offset() > 0 => build().count().get_result(conn)?,
            None => 0,
        };
        return Ok((rows.into_iter().map(|(row, _)| row).collect(), total));
    }
    let total = if filter.search.is_some() {
        build().count().get_result(conn)?
    } else {
        total_without_search(conn, scope.as_deref(), &org, filter)?
    };
    let rows = ordered(build())
        .select(SystemListRow::as_select())
        .limit(page.size)
        .offset(page.offset())
        .load(conn)?;
    Ok((rows, total))
}

pub fn count_flagged_in_scope(conn: &mut AnyConn, scope_path: &str) -> QueryResult<i64> {
    let scope = scope_ids(conn, scope_path)?;
    count_flagged(conn, scope.as_deref())
}

/// Systems flagged for re-determination that the organisations `visible` (all when `None`)
/// own or operate, from the tallies.
pub fn count_flagged(conn: &mut AnyConn, visible: Option<&[String]>) -> QueryResult<i64> {
    let filter = SystemFilter {
        redetermination_required: Some(true),
        ..Default::default()
    };
    total_without_search(conn, visible, &None, &filter)
}
