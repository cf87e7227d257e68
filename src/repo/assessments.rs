//! Rows of `assessments` (periodic inspection and assessment). No business rules here.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::Page;
use crate::db::schema::{assessments, systems};
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = assessments, treat_none_as_null = true)]
pub struct AssessmentRow {
    pub id: String,
    pub organization_id: String,
    /// `None` for the agency-wide review.
    pub system_id: Option<String>,
    /// `system` or `agency`.
    pub scope: String,
    pub regime_id: String,
    pub citation: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub assessor: Option<String>,
    pub result: Option<String>,
    pub document_number: Option<String>,
    pub document_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    /// The interval (months) that planned it; `None` on rows planned before intervals were kept.
    pub interval_months: Option<i32>,
    /// The agency's reason when its own interval applied; `None` = the pack's default.
    pub interval_reason: Option<String>,
}

pub fn insert(conn: &mut AnyConn, row: &AssessmentRow) -> QueryResult<()> {
    diesel::insert_into(assessments::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut AnyConn, row: &AssessmentRow) -> QueryResult<()> {
    diesel::update(assessments::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut AnyConn, id: &str) -> QueryResult<Option<AssessmentRow>> {
    assessments::table
        .find(id)
        .select(AssessmentRow::as_select())
        .first(conn)
        .optional()
}

/// The planned (not done) assessment of a system, or of an organisation as a whole.
pub fn open_one(
    conn: &mut AnyConn,
    organization_id: &str,
    system_id: Option<&str>,
) -> QueryResult<Option<AssessmentRow>> {
    let q = assessments::table
        .filter(assessments::done_on.is_null())
        .select(AssessmentRow::as_select())
        .order(assessments::due_on.asc())
        .into_boxed();
    match system_id {
        Some(s) => q.filter(assessments::system_id.eq(s.to_string())),
        None => q
            .filter(assessments::system_id.is_null())
            .filter(assessments::organization_id.eq(organization_id.to_string())),
    }
    .first(conn)
    .optional()
}

/// Which assessments a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Not done (planned, due or overdue).
    Open,
    /// Not done, due on or before `until`.
    DueBy(NaiveDate),
    /// Not done, due before `today`.
    OverdueOn(NaiveDate),
    Done,
    All,
}

/// An assessment with the name of its system.
pub type Listed = (AssessmentRow, Option<String>);

/// Assessments of the organisations `org_ids` (all when `None`) or of systems they operate,
/// in `state`, by due day; with the total.
pub fn list(
    conn: &mut AnyConn,
    org_ids: Option<&[String]>,
    state: State,
    page: Page,
) -> QueryResult<(Vec<Listed>, i64)> {
    let build = || {
        let mut q = assessments::table
            .left_join(systems::table.on(assessments::system_id.eq(systems::id.nullable())))
            .into_boxed();
        if let Some(ids) = org_ids {
            q = q.filter(
                assessments::organization_id
                    .eq_any(ids.to_vec())
                    .or(systems::operator_id.eq_any(ids.to_vec())),
            );
        }
        match state {
            State::Open => q = q.filter(assessments::done_on.is_null()),
            State::DueBy(until) => {
                q = q
                    .filter(assessments::done_on.is_null())
                    .filter(assessments::due_on.le(until))
            }
            State::OverdueOn(today) => {
                q = q
                    .filter(assessments::done_on.is_null())
                    .filter(assessments::due_on.lt(today))
            }
            State::Done => q = q.filter(assessments::done_on.is_not_null()),
            State::All => {}
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let order_done = matches!(state, State::Done);
    let q = build().select((AssessmentRow::as_select(), systems::name.nullable()));
    let q = if order_done {
        q.order((assessments::done_on.desc(), assessments::id.desc()))
    } else {
        q.order((assessments::due_on.asc(), assessments::id.asc()))
    };
    let rows = q.limit(page.size).offset(page.offset()).load(conn)?;
    Ok((rows, total))
}
