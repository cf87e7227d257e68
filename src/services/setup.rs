//! First start: the root organisation and the first administrator (`capdo init`).

use super::organizations::{self, OrganizationView};
use super::users::{self, UserInput, UserView};
use super::Actor;
use crate::db::{write_tx, AnyConn};
use crate::domain::{OrgKind, Role};
use crate::error::AppError;
use crate::repo;

pub struct InitInput {
    pub org_name: String,
    pub org_code: String,
    pub org_kind: OrgKind,
    pub admin_email: String,
    pub admin_name: String,
    pub admin_password: String,
}

/// Whether the database still needs `capdo init`.
pub fn needs_init(conn: &mut AnyConn) -> Result<bool, AppError> {
    Ok(repo::users::count(conn)? == 0)
}

/// Creates both records in one transaction; refuses a database that already has users.
pub fn init(
    conn: &mut AnyConn,
    input: InitInput,
) -> Result<(OrganizationView, UserView), AppError> {
    let actor = Actor::console();
    write_tx(conn, |conn| {
        if !needs_init(conn)? {
            return Err(AppError::Conflict(
                "Cơ sở dữ liệu đã được khởi tạo (đã có tài khoản); dùng `capdo user add` để thêm người dùng".into(),
            ));
        }
        let org = organizations::create_root(
            conn,
            &actor,
            &input.org_name,
            &input.org_code,
            input.org_kind,
        )?;
        let admin = users::create(
            conn,
            &actor,
            UserInput {
                email: input.admin_email,
                full_name: input.admin_name,
                role: Role::Admin,
                organization_id: org.id.clone(),
                password: input.admin_password,
            },
        )?;
        Ok((org, admin))
    })
}
