//! The roll-ups of compliance answers: each review's totals and score, and each owning
//! organisation's totals per catalogue and group over its current reviews. Written as set
//! statements (the same on both backends) so that one review and a seeding batch of hundreds
//! go the same way. No business rules here.

use diesel::prelude::*;

use crate::db::AnyConn;

/// The ids as an SQL list. They are UUIDs this application generated; anything else is refused
/// rather than quoted, so no text from outside reaches the statement.
fn id_list(ids: &[String]) -> QueryResult<String> {
    if ids
        .iter()
        .any(|id| id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
    {
        return Err(diesel::result::Error::QueryBuilderError(
            "a review id is not a UUID".into(),
        ));
    }
    Ok(ids
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(", "))
}

const COUNTS: [&str; 6] = [
    "total",
    "met",
    "partial",
    "not_met",
    "not_applicable",
    "to_review",
];

/// Recomputes the totals and score of these reviews from their group tallies.
pub fn review_totals(conn: &mut AnyConn, review_ids: &[String]) -> QueryResult<()> {
    for chunk in review_ids.chunks(500) {
        let ids = id_list(chunk)?;
        let sets = COUNTS
            .iter()
            .map(|c| {
                format!("{c} = COALESCE((SELECT SUM(t.{c}) FROM compliance_group_tallies t WHERE t.review_id = compliance_reviews.id), 0)")
            })
            .collect::<Vec<_>>()
            .join(", ");
        diesel::sql_query(format!(
            "UPDATE compliance_reviews SET {sets} WHERE id IN ({ids})"
        ))
        .execute(conn)?;
        // Rounded per mille of (met + ½ partial) / (total − not applicable), for sorting;
        // 1001 (after every score) when nothing applies.
        diesel::sql_query(format!(
            "UPDATE compliance_reviews SET score = CASE WHEN total - not_applicable > 0 \
             THEN ((2 * met + partial) * 1000 + (total - not_applicable)) / (2 * (total - not_applicable)) \
             ELSE 1001 END WHERE id IN ({ids})"
        ))
        .execute(conn)?;
    }
    Ok(())
}

/// Adds (`sign` 1) or takes away (`sign` -1) the group tallies of these reviews, those that are
/// current, to or from their systems' owning organisations.
pub fn organization_totals(
    conn: &mut AnyConn,
    review_ids: &[String],
    sign: i32,
) -> QueryResult<()> {
    debug_assert!(sign == 1 || sign == -1);
    for chunk in review_ids.chunks(500) {
        let ids = id_list(chunk)?;
        let sums = COUNTS
            .iter()
            .map(|c| format!("SUM(t.{c}) * {sign}"))
            .collect::<Vec<_>>()
            .join(", ");
        let updates = COUNTS
            .iter()
            .map(|c| format!("{c} = compliance_org_tallies.{c} + excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        diesel::sql_query(format!(
            "INSERT INTO compliance_org_tallies \
             (organization_id, baseline_id, group_code, total, met, partial, not_met, not_applicable, to_review) \
             SELECT s.organization_id, r.baseline_id, t.group_code, {sums} \
             FROM compliance_group_tallies t \
             JOIN compliance_reviews r ON r.id = t.review_id \
             JOIN systems s ON s.id = r.system_id \
             WHERE r.is_current AND r.id IN ({ids}) \
             GROUP BY s.organization_id, r.baseline_id, t.group_code \
             ON CONFLICT (organization_id, baseline_id, group_code) DO UPDATE SET {updates}"
        ))
        .execute(conn)?;
    }
    Ok(())
}

/// The ids of a system's current reviews.
pub fn current_ids(conn: &mut AnyConn, system_id: &str) -> QueryResult<Vec<String>> {
    use crate::db::schema::compliance_reviews as r;
    r::table
        .filter(r::system_id.eq(system_id))
        .filter(r::is_current.eq(true))
        .select(r::id)
        .load(conn)
}

/// Marks the answers of a review that is no longer current as history.
pub fn retire_items(conn: &mut AnyConn, review_id: &str) -> QueryResult<()> {
    use crate::db::schema::compliance_items as i;
    diesel::update(i::table.filter(i::review_id.eq(review_id)))
        .set(i::is_current.eq(false))
        .execute(conn)
        .map(|_| ())
}
