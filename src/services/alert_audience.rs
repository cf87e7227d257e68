//! Who a warning reaches: organisations with their subtrees, roles, named users, and the
//! contacts and operators of registered systems that run an affected product. Duplicates are
//! merged, keeping every reason a person was chosen.

use std::collections::BTreeMap;

use serde::Serialize;

use super::alerts::Audience;
use super::Actor;
use crate::db::AnyConn;
use crate::domain::alert::{version_in_range, AffectedProduct};
use crate::domain::search::{contains_pattern, search_key};
use crate::error::AppError;
use crate::repo::alerts as repo;
use crate::repo::organizations;

/// One person the warning will reach.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Recipient {
    pub user_id: String,
    pub email: String,
    pub full_name: String,
    /// Why: "Đơn vị: …", "Vai trò: …", "Chọn trực tiếp", "Hệ thống: … (Apache 2.4.57)".
    pub reasons: Vec<String>,
}

/// The audience resolved within the actor's subtree, in email order.
pub fn resolve(
    conn: &mut AnyConn,
    actor: &Actor,
    audience: &Audience,
    products: &[AffectedProduct],
) -> Result<Vec<Recipient>, AppError> {
    let mut by_email: BTreeMap<String, Recipient> = BTreeMap::new();
    let mut add = |reached: repo::Reached, reason: String| {
        let entry = by_email
            .entry(reached.email.to_lowercase())
            .or_insert_with(|| Recipient {
                user_id: reached.user_id,
                email: reached.email,
                full_name: reached.full_name,
                reasons: Vec::new(),
            });
        if !entry.reasons.contains(&reason) {
            entry.reasons.push(reason);
        }
    };
    for id in &audience.organization_ids {
        let Some(org) = organizations::find_in_scope(conn, &actor.scope_path, id)? else {
            continue;
        };
        for user in repo::users_in_subtree(conn, &org.path)? {
            add(user, format!("Đơn vị: {}", org.name));
        }
    }
    for role in &audience.roles {
        for user in repo::users_with_role(conn, &actor.scope_path, role.as_str())? {
            add(user, format!("Vai trò: {}", role.label()));
        }
    }
    for (user, path) in repo::users_by_id(conn, &audience.user_ids)? {
        // Named users outside the sender's subtree are not reachable.
        if path.starts_with(&actor.scope_path) {
            add(user, "Chọn trực tiếp".into());
        }
    }
    if audience.systems_with_affected_products {
        for product in products {
            let key = search_key(&product.name);
            if key.is_empty() {
                continue;
            }
            for used in repo::products_matching(conn, &actor.scope_path, &contains_pattern(&key))? {
                let in_range = match (&product.versions, &used.version) {
                    (None, _) => true,
                    // A registered product without a version may be affected: include it.
                    (Some(_), None) => true,
                    (Some(range), Some(v)) => version_in_range(v, range).unwrap_or(true),
                };
                if !in_range {
                    continue;
                }
                let reason = format!(
                    "Hệ thống: {} ({}{})",
                    used.system_name,
                    product.name,
                    used.version
                        .as_deref()
                        .map(|v| format!(" {v}"))
                        .unwrap_or_default()
                );
                for user in repo::system_contacts(conn, &used.system_id)? {
                    add(user, reason.clone());
                }
                if let Some(op) = &used.operator_id {
                    for user in repo::unit_operators(conn, op)? {
                        add(user, reason.clone());
                    }
                }
            }
        }
    }
    Ok(by_email.into_values().collect())
}
