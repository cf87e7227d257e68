//! Rows of the compliance checklists: reviews, answers, per-group tallies and evidence. No
//! business rules here.

use diesel::prelude::*;

use crate::db::schema::{
    compliance_evidence, compliance_group_tallies, compliance_items, compliance_reviews, users,
};
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = compliance_reviews, treat_none_as_null = true)]
pub struct ReviewRow {
    pub id: String,
    pub system_id: String,
    pub baseline_id: String,
    pub year: i32,
    pub level: i32,
    pub level_source: String,
    pub hosting_kind: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
    pub is_current: bool,
    pub previous_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = compliance_items, treat_none_as_null = true)]
pub struct ItemRow {
    pub id: String,
    pub review_id: String,
    pub system_id: String,
    pub requirement_code: String,
    pub group_code: String,
    pub position: i32,
    pub status: String,
    pub na_reason: Option<String>,
    pub how_met: Option<String>,
    pub responsible_id: Option<String>,
    pub target_date: Option<chrono::NaiveDate>,
    pub updated_by: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Clone, Debug, Default, Queryable, Selectable, Insertable)]
#[diesel(table_name = compliance_group_tallies)]
pub struct TallyRow {
    pub review_id: String,
    pub group_code: String,
    pub total: i32,
    pub met: i32,
    pub partial: i32,
    pub not_met: i32,
    pub not_applicable: i32,
    pub to_review: i32,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = compliance_evidence)]
pub struct EvidenceRow {
    pub id: String,
    pub system_id: String,
    pub baseline_id: String,
    pub requirement_code: String,
    pub title: Option<String>,
    pub document_number: Option<String>,
    pub document_date: Option<chrono::NaiveDate>,
    pub sha256: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub added_by: Option<String>,
    pub added_at: chrono::NaiveDateTime,
}

pub fn insert_review(conn: &mut AnyConn, row: &ReviewRow) -> QueryResult<()> {
    diesel::insert_into(compliance_reviews::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_review(conn: &mut AnyConn, row: &ReviewRow) -> QueryResult<()> {
    diesel::update(compliance_reviews::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(|_| ())
}

/// The review of a system and catalogue that is being kept up to date, if any.
pub fn current(
    conn: &mut AnyConn,
    system_id: &str,
    baseline_id: &str,
) -> QueryResult<Option<ReviewRow>> {
    compliance_reviews::table
        .filter(compliance_reviews::system_id.eq(system_id))
        .filter(compliance_reviews::baseline_id.eq(baseline_id))
        .filter(compliance_reviews::is_current.eq(true))
        .select(ReviewRow::as_select())
        .first(conn)
        .optional()
}

/// Every current review of a system, one per catalogue.
pub fn current_for_system(conn: &mut AnyConn, system_id: &str) -> QueryResult<Vec<ReviewRow>> {
    compliance_reviews::table
        .filter(compliance_reviews::system_id.eq(system_id))
        .filter(compliance_reviews::is_current.eq(true))
        .order(compliance_reviews::baseline_id.asc())
        .select(ReviewRow::as_select())
        .load(conn)
}

/// Every review of a system and catalogue, newest year first.
pub fn history(
    conn: &mut AnyConn,
    system_id: &str,
    baseline_id: &str,
) -> QueryResult<Vec<ReviewRow>> {
    compliance_reviews::table
        .filter(compliance_reviews::system_id.eq(system_id))
        .filter(compliance_reviews::baseline_id.eq(baseline_id))
        .order(compliance_reviews::year.desc())
        .select(ReviewRow::as_select())
        .load(conn)
}

pub fn find_review(conn: &mut AnyConn, id: &str) -> QueryResult<Option<ReviewRow>> {
    compliance_reviews::table
        .find(id)
        .select(ReviewRow::as_select())
        .first(conn)
        .optional()
}

/// The answers of a review, in catalogue order.
pub fn items(conn: &mut AnyConn, review_id: &str) -> QueryResult<Vec<ItemRow>> {
    compliance_items::table
        .filter(compliance_items::review_id.eq(review_id))
        .order(compliance_items::position.asc())
        .select(ItemRow::as_select())
        .load(conn)
}

/// The answers of a review with the name of each responsible user.
pub fn items_with_responsible(
    conn: &mut AnyConn,
    review_id: &str,
) -> QueryResult<Vec<(ItemRow, Option<String>)>> {
    compliance_items::table
        .left_join(users::table.on(compliance_items::responsible_id.eq(users::id.nullable())))
        .filter(compliance_items::review_id.eq(review_id))
        .order(compliance_items::position.asc())
        .select((ItemRow::as_select(), users::full_name.nullable()))
        .load(conn)
}

pub fn find_item(conn: &mut AnyConn, review_id: &str, code: &str) -> QueryResult<Option<ItemRow>> {
    compliance_items::table
        .filter(compliance_items::review_id.eq(review_id))
        .filter(compliance_items::requirement_code.eq(code))
        .select(ItemRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts answers as multi-row statements, per backend (MultiConnection has no batch insert),
/// in chunks small enough for SQLite's bound-parameter limit.
pub fn insert_items(conn: &mut AnyConn, rows: &[ItemRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        let insert = diesel::insert_into(compliance_items::table).values(chunk);
        match conn {
            AnyConn::Sqlite(lite) => insert.execute(lite)?,
            AnyConn::Postgres(pg) => insert.execute(pg)?,
        };
    }
    Ok(())
}

pub fn update_item(conn: &mut AnyConn, row: &ItemRow) -> QueryResult<()> {
    diesel::update(compliance_items::table.find(&row.id))
        .set(row)
        .execute(conn)
        .map(|_| ())
}

pub fn delete_items(conn: &mut AnyConn, ids: &[String]) -> QueryResult<()> {
    for chunk in ids.chunks(500) {
        diesel::delete(compliance_items::table.filter(compliance_items::id.eq_any(chunk)))
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces the per-group tallies of a review.
pub fn replace_tallies(conn: &mut AnyConn, review_id: &str, rows: &[TallyRow]) -> QueryResult<()> {
    diesel::delete(
        compliance_group_tallies::table.filter(compliance_group_tallies::review_id.eq(review_id)),
    )
    .execute(conn)?;
    let insert = diesel::insert_into(compliance_group_tallies::table).values(rows);
    match conn {
        AnyConn::Sqlite(lite) => insert.execute(lite)?,
        AnyConn::Postgres(pg) => insert.execute(pg)?,
    };
    Ok(())
}

pub fn tallies(conn: &mut AnyConn, review_id: &str) -> QueryResult<Vec<TallyRow>> {
    compliance_group_tallies::table
        .filter(compliance_group_tallies::review_id.eq(review_id))
        .select(TallyRow::as_select())
        .load(conn)
}

pub fn insert_evidence(conn: &mut AnyConn, row: &EvidenceRow) -> QueryResult<()> {
    diesel::insert_into(compliance_evidence::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The evidence recorded for a system under one catalogue, oldest first, with who added it.
pub fn evidence_for(
    conn: &mut AnyConn,
    system_id: &str,
    baseline_id: &str,
) -> QueryResult<Vec<(EvidenceRow, Option<String>)>> {
    compliance_evidence::table
        .left_join(users::table.on(compliance_evidence::added_by.eq(users::id.nullable())))
        .filter(compliance_evidence::system_id.eq(system_id))
        .filter(compliance_evidence::baseline_id.eq(baseline_id))
        .order((
            compliance_evidence::added_at.asc(),
            compliance_evidence::id.asc(),
        ))
        .select((EvidenceRow::as_select(), users::full_name.nullable()))
        .load(conn)
}

pub fn find_evidence(
    conn: &mut AnyConn,
    system_id: &str,
    id: &str,
) -> QueryResult<Option<EvidenceRow>> {
    compliance_evidence::table
        .filter(compliance_evidence::system_id.eq(system_id))
        .filter(compliance_evidence::id.eq(id))
        .select(EvidenceRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete_evidence(conn: &mut AnyConn, id: &str) -> QueryResult<usize> {
    diesel::delete(compliance_evidence::table.find(id)).execute(conn)
}

/// Whether any evidence record points at this content.
pub fn sha256_referenced(conn: &mut AnyConn, sha256: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        compliance_evidence::table.filter(compliance_evidence::sha256.eq(sha256)),
    ))
    .get_result(conn)
}
