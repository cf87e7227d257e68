//! Authority assignments: which concrete unit appraises or approves the dossiers of an
//! organisation's subtree, with a dated history (e.g. Sở TT&TT until 02/2025, then the
//! provincial police), and the lookup of the one in force on a day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::audit::{self, Change};
use super::{utc, Actor};
use crate::db::{self, write_tx, AnyConn};
use crate::domain::Role;
use crate::error::{AppError, FieldErrors};
use crate::repo::authorities::{self as repo, AssignmentRow};
use crate::repo::organizations::{self, OrganizationRow};

/// What the assigned unit does with the dossiers routed to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityRole {
    /// Thẩm định.
    Appraiser,
    /// Phê duyệt.
    Approver,
}

impl AuthorityRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Appraiser => "appraiser",
            Self::Approver => "approver",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "appraiser" => Some(Self::Appraiser),
            "approver" => Some(Self::Approver),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Appraiser => "thẩm định",
            Self::Approver => "phê duyệt",
        }
    }
}

/// Một phân công đơn vị thẩm định hoặc phê duyệt, có thời hạn hiệu lực.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AssignmentView {
    pub id: String,
    /// Tổ chức được phân công (áp dụng cho cả cây đơn vị trực thuộc).
    pub organization_id: String,
    pub role: AuthorityRole,
    pub min_level: i32,
    pub max_level: i32,
    /// Đơn vị thẩm định/phê duyệt nếu là tổ chức có trong capdo.
    pub unit_id: Option<String>,
    pub unit_name: String,
    pub valid_from: NaiveDate,
    /// Ngày cuối cùng có hiệu lực; `null` khi còn hiệu lực.
    pub valid_until: Option<NaiveDate>,
    /// Căn cứ phân công, ví dụ số quyết định của UBND tỉnh.
    pub basis: Option<String>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl AssignmentView {
    fn from_row(r: &AssignmentRow) -> Self {
        Self {
            id: r.id.clone(),
            organization_id: r.organization_id.clone(),
            role: AuthorityRole::parse(&r.role).unwrap_or(AuthorityRole::Appraiser),
            min_level: r.min_level,
            max_level: r.max_level,
            unit_id: r.unit_id.clone(),
            unit_name: r.unit_name.clone(),
            valid_from: r.valid_from,
            valid_until: r.valid_until,
            basis: r.basis.clone(),
            note: r.note.clone(),
            created_by: r.created_by.clone(),
            created_at: utc(r.created_at),
        }
    }
}

/// A new assignment as the API received it.
#[derive(Clone, Debug)]
pub struct NewAssignment {
    pub role: AuthorityRole,
    pub min_level: u8,
    pub max_level: u8,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub basis: Option<String>,
    pub note: Option<String>,
}

/// The new assignment and the open ones it closed the day before it starts.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AssignmentCreated {
    pub assignment: AssignmentView,
    pub closed: Vec<AssignmentView>,
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn organization(conn: &mut AnyConn, actor: &Actor, id: &str) -> Result<OrganizationRow, AppError> {
    organizations::find_in_scope(conn, &actor.scope_path, id)?.ok_or_else(AppError::not_found)
}

/// The history of an organisation's assignments, newest first (admins and security officers
/// of a subtree that holds it).
pub fn list(
    conn: &mut AnyConn,
    actor: &Actor,
    org_id: &str,
) -> Result<Vec<AssignmentView>, AppError> {
    let org = organization(conn, actor, org_id)?;
    if !matches!(actor.role, Role::Admin | Role::SecurityOfficer) {
        return Err(AppError::forbidden());
    }
    Ok(repo::for_organization(conn, &org.id)?
        .iter()
        .map(AssignmentView::from_row)
        .collect())
}

fn text(
    value: Option<String>,
    max: usize,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<String> {
    let value = value
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty());
    if value.as_ref().is_some_and(|v| v.chars().count() > max) {
        errors
            .entry(field.into())
            .or_default()
            .push(format!("Tối đa {max} ký tự"));
    }
    value
}

/// Adds an assignment from `valid_from`; the open one of the same role and overlapping levels
/// ends the day before. Refuses (409) whatever would leave two in force on one day.
pub fn create(
    conn: &mut AnyConn,
    actor: &Actor,
    org_id: &str,
    input: NewAssignment,
) -> Result<AssignmentCreated, AppError> {
    write_tx(conn, |conn| create_in_tx(conn, actor, org_id, input))
}

fn create_in_tx(
    conn: &mut AnyConn,
    actor: &Actor,
    org_id: &str,
    input: NewAssignment,
) -> Result<AssignmentCreated, AppError> {
    let org = organization(conn, actor, org_id)?;
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden(
            "Chỉ quản trị của đơn vị được phân công đơn vị thẩm định, phê duyệt".into(),
        ));
    }
    let mut errors = FieldErrors::new();
    let fail = |errors: &mut FieldErrors, field: &str, message: &str| {
        errors.entry(field.into()).or_default().push(message.into());
    };
    if !(1..=5).contains(&input.min_level) {
        fail(&mut errors, "min_level", "Cấp độ từ 1 đến 5");
    }
    if !(1..=5).contains(&input.max_level) || input.max_level < input.min_level {
        fail(
            &mut errors,
            "max_level",
            "Cấp độ cao nhất từ 1 đến 5 và không nhỏ hơn cấp độ thấp nhất",
        );
    }
    if input.valid_until.is_some_and(|u| u < input.valid_from) {
        fail(
            &mut errors,
            "valid_until",
            "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực",
        );
    }
    let unit_name = text(input.unit_name, 300, "unit_name", &mut errors);
    let basis = text(input.basis, 2000, "basis", &mut errors);
    let note = text(input.note, 2000, "note", &mut errors);
    // The unit may lie outside the actor's subtree (the provincial police is not under the
    // Sở), so any registered organisation is accepted.
    let unit = match input
        .unit_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(id) => match organizations::find(conn, id)? {
            Some(u) => Some(u),
            None => {
                fail(&mut errors, "unit_id", "Không tìm thấy đơn vị trong capdo");
                None
            }
        },
        None => None,
    };
    let name = unit_name.or_else(|| unit.as_ref().map(|u| u.name.clone()));
    if name.is_none() && !errors.contains_key("unit_id") {
        fail(
            &mut errors,
            "unit_name",
            "Vui lòng chọn đơn vị trong capdo (unit_id) hoặc nhập tên đơn vị (unit_name), ví dụ “Công an tỉnh Đồng Nai”",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let (min, max) = (i32::from(input.min_level), i32::from(input.max_level));
    let role = input.role;
    let mut to_close = Vec::new();
    for e in repo::overlapping_levels(conn, &org.id, role.as_str(), min, max)? {
        if e.valid_until.is_none() && e.valid_from < input.valid_from {
            to_close.push(e);
            continue;
        }
        let starts_before_end = input.valid_until.is_none_or(|u| e.valid_from <= u);
        let ends_after_start = e.valid_until.is_none_or(|u| u >= input.valid_from);
        if starts_before_end && ends_after_start {
            return Err(AppError::Conflict(format!(
                "Đã có đơn vị {} “{}” cho cấp độ {}–{} có hiệu lực từ ngày {}{}: phân công mới từ ngày {} sẽ khiến hai đơn vị cùng có hiệu lực trong một ngày. Hãy chọn ngày bắt đầu sau ngày bắt đầu của phân công hiện có, hoặc chọn khoảng cấp độ khác",
                role.label(),
                e.unit_name,
                e.min_level,
                e.max_level,
                dmy(e.valid_from),
                e.valid_until.map(|u| format!(" đến ngày {}", dmy(u))).unwrap_or_default(),
                dmy(input.valid_from),
            )));
        }
    }
    let day_before = input.valid_from.pred_opt().unwrap_or(input.valid_from);
    let mut closed = Vec::new();
    for mut e in to_close {
        repo::close(conn, &e.id, day_before)?;
        e.valid_until = Some(day_before);
        closed.push(AssignmentView::from_row(&e));
    }
    let row = AssignmentRow {
        id: db::new_id(),
        organization_id: org.id.clone(),
        role: role.as_str().into(),
        min_level: min,
        max_level: max,
        unit_id: unit.map(|u| u.id),
        unit_name: name.unwrap_or_default(),
        valid_from: input.valid_from,
        valid_until: input.valid_until,
        basis,
        note,
        created_by: actor.user_id.clone(),
        created_at: db::now(),
    };
    repo::insert(conn, &row)?;
    let assignment = AssignmentView::from_row(&row);
    audit::record(
        conn,
        actor,
        Change {
            entity_type: "authority_assignment",
            entity_id: &row.id,
            action: "create",
            before: None,
            after: audit::snapshot(&serde_json::json!({
                "assignment": assignment,
                "closed": closed.iter().map(|c| serde_json::json!({ "id": c.id, "valid_until": c.valid_until })).collect::<Vec<_>>(),
            })),
            scope_path: &org.path,
        },
    )?;
    Ok(AssignmentCreated { assignment, closed })
}

/// The assignment of `role` in force on `date` for `level`, set on the organisation or its
/// nearest ancestor that has one.
pub fn in_force(
    conn: &mut AnyConn,
    organization_id: &str,
    role: AuthorityRole,
    level: i32,
    date: NaiveDate,
) -> Result<Option<AssignmentRow>, AppError> {
    let Some(org) = organizations::find(conn, organization_id)? else {
        return Ok(None);
    };
    // The materialised path lists the ancestors, root first.
    let chain: Vec<String> = org
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let found = repo::in_force(conn, &chain, role.as_str(), level, date)?;
    Ok(found.into_iter().max_by_key(|a| {
        (
            chain.iter().position(|id| *id == a.organization_id),
            a.valid_from,
        )
    }))
}
