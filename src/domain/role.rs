//! Account roles and what each may do.

use serde::{Deserialize, Serialize};

/// The role of an account; every permission is also limited to the account's organisation subtree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị: everything in the subtree, including organisations and accounts.
    Admin,
    /// Chuyên trách ATTT: manages systems, dossiers and warnings in the subtree.
    SecurityOfficer,
    /// Đơn vị vận hành: manages the systems the unit operates.
    Operator,
    /// Chỉ xem: reads and acknowledges warnings.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::SecurityOfficer,
        Role::Operator,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::SecurityOfficer => "security_officer",
            Role::Operator => "operator",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Vietnamese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::SecurityOfficer => "Chuyên trách an toàn thông tin",
            Role::Operator => "Đơn vị vận hành",
            Role::Viewer => "Chỉ xem",
        }
    }

    /// Whether this role may create or change accounts that have `target` role.
    pub fn can_manage_accounts_with(self, target: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::SecurityOfficer => matches!(target, Role::Operator | Role::Viewer),
            Role::Operator | Role::Viewer => false,
        }
    }

    /// Whether this role may create or change organisations of `kind`.
    pub fn can_manage_organizations_of(self, kind: super::OrgKind) -> bool {
        match self {
            Role::Admin => true,
            // Security officers register outside operators and hosting companies themselves.
            Role::SecurityOfficer => kind == super::OrgKind::External,
            Role::Operator | Role::Viewer => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_every_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn security_officer_cannot_create_admins() {
        assert!(!Role::SecurityOfficer.can_manage_accounts_with(Role::Admin));
        assert!(!Role::SecurityOfficer.can_manage_accounts_with(Role::SecurityOfficer));
        assert!(Role::SecurityOfficer.can_manage_accounts_with(Role::Viewer));
        assert!(!Role::Viewer.can_manage_accounts_with(Role::Viewer));
    }
}
