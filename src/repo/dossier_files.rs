//! Rows of `dossier_files`: every upload to a dossier component is a new version. No
//! business rules here.

use diesel::prelude::*;

use crate::db::schema::{dossier_files, users};
use crate::db::AnyConn;

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_files)]
pub struct FileRow {
    pub id: String,
    pub dossier_id: String,
    pub component_id: String,
    pub version: i32,
    pub sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: Option<String>,
    pub uploaded_at: chrono::NaiveDateTime,
}

/// A file with the name of the account that uploaded it.
#[derive(Clone, Debug)]
pub struct FileWithUploader {
    pub file: FileRow,
    pub uploader_name: Option<String>,
}

pub fn insert(conn: &mut AnyConn, row: &FileRow) -> QueryResult<()> {
    diesel::insert_into(dossier_files::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The version the next upload to this component gets (1 for the first).
pub fn next_version(conn: &mut AnyConn, dossier_id: &str, component_id: &str) -> QueryResult<i32> {
    let last: Option<i32> = dossier_files::table
        .filter(dossier_files::dossier_id.eq(dossier_id))
        .filter(dossier_files::component_id.eq(component_id))
        .select(diesel::dsl::max(dossier_files::version))
        .first(conn)?;
    Ok(last.unwrap_or(0) + 1)
}

/// Every file of a dossier in one query, by component then newest version first.
pub fn for_dossier(conn: &mut AnyConn, dossier_id: &str) -> QueryResult<Vec<FileWithUploader>> {
    let rows: Vec<(FileRow, Option<String>)> = dossier_files::table
        .left_join(users::table.on(dossier_files::uploaded_by.eq(users::id.nullable())))
        .filter(dossier_files::dossier_id.eq(dossier_id))
        .order((
            dossier_files::component_id.asc(),
            dossier_files::version.desc(),
        ))
        .select((FileRow::as_select(), users::full_name.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(file, uploader_name)| FileWithUploader {
            file,
            uploader_name,
        })
        .collect())
}

pub fn find(conn: &mut AnyConn, dossier_id: &str, id: &str) -> QueryResult<Option<FileRow>> {
    dossier_files::table
        .filter(dossier_files::dossier_id.eq(dossier_id))
        .filter(dossier_files::id.eq(id))
        .select(FileRow::as_select())
        .first(conn)
        .optional()
}

/// Whether any file record points at this content.
pub fn sha256_referenced(conn: &mut AnyConn, sha256: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        dossier_files::table.filter(dossier_files::sha256.eq(sha256)),
    ))
    .get_result(conn)
}
