//! Rows of `system_regimes`: a system's transitional project flag, chosen regime and the
//! regime of its approval. A system without a row has the defaults.

use diesel::prelude::*;

use crate::db::schema::system_regimes;
use crate::db::AnyConn;

#[derive(Clone, Debug, Default, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = system_regimes, treat_none_as_null = true)]
pub struct SystemRegimeRow {
    pub system_id: String,
    pub investment_before_law: bool,
    pub chosen_regime: Option<String>,
    pub approved_regime_id: Option<String>,
    pub approved_regime_version: Option<String>,
}

impl SystemRegimeRow {
    pub fn default_for(system_id: &str) -> Self {
        Self {
            system_id: system_id.to_string(),
            ..Self::default()
        }
    }
}

pub fn find(conn: &mut AnyConn, system_id: &str) -> QueryResult<SystemRegimeRow> {
    Ok(system_regimes::table
        .find(system_id)
        .select(SystemRegimeRow::as_select())
        .first(conn)
        .optional()?
        .unwrap_or_else(|| SystemRegimeRow::default_for(system_id)))
}

/// Every row of `ids` that has one (the others have the defaults).
pub fn find_many(conn: &mut AnyConn, ids: &[String]) -> QueryResult<Vec<SystemRegimeRow>> {
    let mut out = Vec::with_capacity(ids.len());
    // Bounded IN lists: SQLite allows at most 32766 bound parameters per statement.
    for chunk in ids.chunks(5000) {
        out.extend(
            system_regimes::table
                .filter(system_regimes::system_id.eq_any(chunk))
                .select(SystemRegimeRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

pub fn save(conn: &mut AnyConn, row: &SystemRegimeRow) -> QueryResult<()> {
    let updated = diesel::update(system_regimes::table.find(&row.system_id))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(system_regimes::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}
