//! Organisation tree use cases, every read and write limited to the actor's subtree.

use serde::Serialize;

use super::audit::{self, Change};
use super::{utc, Actor};
use crate::db::{self, write_tx, AnyConn};
use crate::domain::organization::normalize_code;
use crate::domain::search::{contains_pattern, search_key};
use crate::domain::OrgKind;
use crate::error::AppError;
use crate::repo::organizations::{
    self as repo, NewOrganization, OrganizationChanges, OrganizationFilter, OrganizationRow,
};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OrganizationView {
    pub id: String,
    pub name: String,
    /// Short code used in document numbers, e.g. `SCT-VP`.
    pub code: String,
    pub kind: OrgKind,
    /// Vietnamese label of the kind.
    pub kind_label: String,
    pub parent_id: Option<String>,
    /// 0 for the root of the tree.
    pub depth: usize,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl OrganizationView {
    pub fn from_row(row: &OrganizationRow) -> Self {
        let kind = OrgKind::parse(&row.kind).unwrap_or(OrgKind::Unit);
        Self {
            id: row.id.clone(),
            name: row.name.clone(),
            code: row.code.clone(),
            kind,
            kind_label: kind.label().to_string(),
            parent_id: row.parent_id.clone(),
            depth: row.path.matches('/').count().saturating_sub(2),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// Values for a new organisation, as the API or CLI received them.
pub struct OrganizationInput {
    pub name: String,
    pub code: String,
    pub kind: OrgKind,
    pub parent_id: Option<String>,
}

#[derive(Default)]
pub struct OrganizationPatch {
    pub name: Option<String>,
    pub code: Option<String>,
    pub kind: Option<OrgKind>,
    pub parent_id: Option<String>,
}

fn clean_name(raw: &str) -> Result<String, AppError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.chars().count() {
        0 => Err(AppError::field("name", "Vui lòng nhập tên đơn vị")),
        n if n > 200 => Err(AppError::field(
            "name",
            "Tên đơn vị không được dài quá 200 ký tự",
        )),
        _ => Ok(name),
    }
}

fn clean_code(raw: &str) -> Result<String, AppError> {
    normalize_code(raw).ok_or_else(|| {
        AppError::field(
            "code",
            "Mã đơn vị gồm 2–20 chữ cái không dấu, chữ số hoặc dấu gạch ngang, bắt đầu bằng chữ cái (ví dụ SCT-VP)",
        )
    })
}

fn misplaced(child: OrgKind, parent: OrgKind) -> AppError {
    AppError::field(
        "kind",
        format!(
            "Không thể đặt {} trực thuộc {}",
            child.label().to_lowercase(),
            parent.label().to_lowercase()
        ),
    )
}

fn code_taken(code: &str) -> AppError {
    AppError::Conflict(format!(
        "Mã đơn vị `{code}` đã được dùng cho một đơn vị khác"
    ))
}

/// Maps a unique violation (the only unique column is `code`) to a clear conflict.
fn on_code_conflict(code: &str) -> impl Fn(AppError) -> AppError + '_ {
    move |e| match e {
        AppError::Conflict(_) => code_taken(code),
        other => other,
    }
}

pub fn list(
    conn: &mut AnyConn,
    actor: &Actor,
    filter: OrganizationFilter,
) -> Result<Vec<OrganizationView>, AppError> {
    let filter = OrganizationFilter {
        search: filter.search.as_deref().map(contains_pattern),
        ..filter
    };
    Ok(repo::list_in_scope(conn, &actor.scope_path, &filter)?
        .iter()
        .map(OrganizationView::from_row)
        .collect())
}

pub fn get(conn: &mut AnyConn, actor: &Actor, id: &str) -> Result<OrganizationView, AppError> {
    let row = repo::find_in_scope(conn, &actor.scope_path, id)?.ok_or_else(AppError::not_found)?;
    Ok(OrganizationView::from_row(&row))
}

/// Creates the root of the tree; only on a database without organisations (`capdo init`).
pub fn create_root(
    conn: &mut AnyConn,
    actor: &Actor,
    name: &str,
    code: &str,
    kind: OrgKind,
) -> Result<OrganizationView, AppError> {
    let name = clean_name(name)?;
    let code = clean_code(code)?;
    if kind == OrgKind::External {
        return Err(AppError::field(
            "kind",
            "Đơn vị gốc không thể là tổ chức bên ngoài",
        ));
    }
    if repo::count(conn)? > 0 {
        return Err(AppError::Conflict("Cơ sở dữ liệu đã có đơn vị gốc".into()));
    }
    insert(conn, actor, &name, &code, kind, None)
}

pub fn create(
    conn: &mut AnyConn,
    actor: &Actor,
    input: OrganizationInput,
) -> Result<OrganizationView, AppError> {
    if !actor.role.can_manage_organizations_of(input.kind) {
        return Err(AppError::forbidden());
    }
    let name = clean_name(&input.name);
    let code = clean_code(&input.code);
    let (name, code) = match (name, code) {
        (Ok(n), Ok(c)) => (n, c),
        (n, c) => return Err(merge_field_errors([n.err(), c.err()])),
    };
    let parent_id = input
        .parent_id
        .ok_or_else(|| AppError::field("parent_id", "Vui lòng chọn đơn vị cấp trên"))?;
    let parent = repo::find_in_scope(conn, &actor.scope_path, &parent_id)?
        .ok_or_else(|| AppError::field("parent_id", "Không tìm thấy đơn vị cấp trên"))?;
    let parent_kind = OrgKind::parse(&parent.kind).unwrap_or(OrgKind::Unit);
    if !parent_kind.may_contain(input.kind) {
        return Err(misplaced(input.kind, parent_kind));
    }
    insert(conn, actor, &name, &code, input.kind, Some(&parent))
}

fn insert(
    conn: &mut AnyConn,
    actor: &Actor,
    name: &str,
    code: &str,
    kind: OrgKind,
    parent: Option<&OrganizationRow>,
) -> Result<OrganizationView, AppError> {
    let id = db::new_id();
    let path = format!("{}{id}/", parent.map(|p| p.path.as_str()).unwrap_or("/"));
    let now = db::now();
    let key = search_key(name);
    let row = OrganizationRow {
        id: id.clone(),
        name: name.to_string(),
        code: code.to_string(),
        kind: kind.as_str().to_string(),
        parent_id: parent.map(|p| p.id.clone()),
        path: path.clone(),
        search_key: key.clone(),
        created_at: now,
        updated_at: now,
    };
    let view = OrganizationView::from_row(&row);
    write_tx(conn, |conn| {
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "organization",
                entity_id: &id,
                action: "create",
                before: None,
                after: audit::snapshot(&view),
                scope_path: &path,
            },
        )?;
        repo::insert(
            conn,
            &NewOrganization {
                id: &id,
                name,
                code,
                kind: kind.as_str(),
                parent_id: parent.map(|p| p.id.as_str()),
                path: &path,
                search_key: &key,
                created_at: now,
                updated_at: now,
            },
        )
        .map_err(AppError::from)
    })
    .map_err(on_code_conflict(code))?;
    Ok(view)
}

pub fn update(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    patch: OrganizationPatch,
) -> Result<OrganizationView, AppError> {
    let current =
        repo::find_in_scope(conn, &actor.scope_path, id)?.ok_or_else(AppError::not_found)?;
    let current_kind = OrgKind::parse(&current.kind).unwrap_or(OrgKind::Unit);
    let new_kind = patch.kind.unwrap_or(current_kind);
    if !actor.role.can_manage_organizations_of(current_kind)
        || !actor.role.can_manage_organizations_of(new_kind)
    {
        return Err(AppError::forbidden());
    }
    let name = patch.name.as_deref().map(clean_name).transpose();
    let code = patch.code.as_deref().map(clean_code).transpose();
    let (name, code) = match (name, code) {
        (Ok(n), Ok(c)) => (n, c),
        (n, c) => return Err(merge_field_errors([n.err(), c.err()])),
    };

    // Where the organisation will sit, and whether that is allowed.
    let mut new_parent: Option<OrganizationRow> = match &current.parent_id {
        Some(pid) => repo::find(conn, pid)?,
        None => None,
    };
    let moving = patch
        .parent_id
        .as_ref()
        .is_some_and(|p| Some(p) != current.parent_id.as_ref());
    if let Some(target_id) = patch.parent_id.as_ref().filter(|_| moving) {
        if current.parent_id.is_none() || current.path == actor.scope_path {
            return Err(AppError::field(
                "parent_id",
                "Không thể chuyển đơn vị gốc của phạm vi quản lý",
            ));
        }
        let target = repo::find_in_scope(conn, &actor.scope_path, target_id)?
            .ok_or_else(|| AppError::field("parent_id", "Không tìm thấy đơn vị cấp trên"))?;
        if target.path.starts_with(&current.path) {
            return Err(AppError::field(
                "parent_id",
                "Không thể chuyển một đơn vị vào chính nó hoặc cấp dưới của nó",
            ));
        }
        new_parent = Some(target);
    }
    if let Some(parent) = &new_parent {
        let parent_kind = OrgKind::parse(&parent.kind).unwrap_or(OrgKind::Unit);
        if !parent_kind.may_contain(new_kind) {
            return Err(misplaced(new_kind, parent_kind));
        }
    } else if new_kind == OrgKind::External {
        return Err(AppError::field(
            "kind",
            "Đơn vị gốc không thể là tổ chức bên ngoài",
        ));
    }
    let descendants = repo::descendants(conn, &current.path)?;
    if new_kind != current_kind {
        let children_fit = descendants
            .iter()
            .filter(|d| d.parent_id.as_deref() == Some(id))
            .all(|d| new_kind.may_contain(OrgKind::parse(&d.kind).unwrap_or(OrgKind::Unit)));
        if !children_fit {
            return Err(AppError::field(
                "kind",
                "Các đơn vị cấp dưới hiện có không thể trực thuộc loại đơn vị này",
            ));
        }
    }

    let new_path = match (&new_parent, moving) {
        (Some(parent), true) => format!("{}{id}/", parent.path),
        _ => current.path.clone(),
    };
    let mut next = current.clone();
    if let Some(n) = &name {
        next.name = n.clone();
        next.search_key = search_key(n);
    }
    if let Some(c) = &code {
        next.code = c.clone();
    }
    next.kind = new_kind.as_str().to_string();
    next.parent_id = new_parent.as_ref().map(|p| p.id.clone());
    next.path = new_path.clone();
    next.updated_at = db::now();

    let before = OrganizationView::from_row(&current);
    let after = OrganizationView::from_row(&next);
    let changes = OrganizationChanges {
        name: name.clone(),
        code: code.clone(),
        kind: Some(next.kind.clone()),
        parent_id: moving.then(|| next.parent_id.clone()),
        path: moving.then(|| new_path.clone()),
        search_key: name.as_ref().map(|_| next.search_key.clone()),
        updated_at: Some(next.updated_at),
    };
    let code_for_error = next.code.clone();
    write_tx(conn, |conn| {
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "organization",
                entity_id: id,
                action: "update",
                before: audit::snapshot(&before),
                after: audit::snapshot(&after),
                scope_path: &new_path,
            },
        )?;
        repo::update(conn, id, &changes)?;
        if moving {
            for d in &descendants {
                let moved = format!("{new_path}{}", &d.path[current.path.len()..]);
                repo::set_path(conn, &d.id, &moved)?;
            }
        }
        Ok::<_, AppError>(())
    })
    .map_err(on_code_conflict(&code_for_error))?;
    Ok(after)
}

/// Ensures `organization_id` lies in the actor's subtree (used when placing users).
pub fn require_in_scope(
    conn: &mut AnyConn,
    actor: &Actor,
    organization_id: &str,
    field: &str,
) -> Result<OrganizationRow, AppError> {
    repo::find_in_scope(conn, &actor.scope_path, organization_id)?
        .ok_or_else(|| AppError::field(field, "Không tìm thấy đơn vị"))
}

/// Accepts an organisation id or its code (CLI convenience).
pub fn find_by_id_or_code(
    conn: &mut AnyConn,
    key: &str,
) -> Result<Option<OrganizationRow>, AppError> {
    if let Some(row) = repo::find(conn, key)? {
        return Ok(Some(row));
    }
    match normalize_code(key) {
        Some(code) => Ok(repo::find_by_code(conn, &code)?),
        None => Ok(None),
    }
}

/// Combines per-field validation errors into one 422.
pub fn merge_field_errors<const N: usize>(errors: [Option<AppError>; N]) -> AppError {
    let mut fields = crate::error::FieldErrors::new();
    for err in errors.into_iter().flatten() {
        match err {
            AppError::Validation { fields: f, .. } => {
                for (k, mut v) in f {
                    fields.entry(k).or_default().append(&mut v);
                }
            }
            other => return other,
        }
    }
    AppError::fields(fields)
}
