//! Who a warning reaches: organisations with their subtrees, roles, named users, and the
//! contacts and operators of registered systems that run an affected product. Duplicates are
//! merged, keeping every reason a person was chosen.

use std::collections::{HashMap, HashSet};

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

/// How many people are read from the database at a time while an audience is resolved.
const PAGE: i64 = 500;

/// What selects a person, prepared before the scan; its size follows the audience as
/// written (units, roles, named people, matching systems), never the number of people reached.
struct Selection {
    orgs: Vec<(String, String)>,
    roles: Vec<(String, String)>,
    named: HashSet<String>,
    /// Contacts and operators of systems running an affected product, with the reasons.
    by_system: HashMap<String, (repo::Reached, Vec<String>)>,
}

impl Selection {
    fn reasons(&self, user: &repo::ScopedUser) -> Vec<String> {
        let mut reasons = Vec::new();
        for (path, name) in &self.orgs {
            if user.organization_path.starts_with(path.as_str()) {
                reasons.push(format!("Đơn vị: {name}"));
            }
        }
        for (role, label) in &self.roles {
            if &user.role == role {
                reasons.push(format!("Vai trò: {label}"));
            }
        }
        if self.named.contains(&user.reached.user_id) {
            reasons.push("Chọn trực tiếp".into());
        }
        if let Some((_, by_system)) = self.by_system.get(&user.reached.user_id) {
            reasons.extend(by_system.iter().cloned());
        }
        reasons
    }
}

fn selection(
    conn: &mut AnyConn,
    actor: &Actor,
    audience: &Audience,
    products: &[AffectedProduct],
) -> Result<Selection, AppError> {
    let mut orgs = Vec::new();
    for id in &audience.organization_ids {
        if let Some(org) = organizations::find_in_scope(conn, &actor.scope_path, id)? {
            if !orgs.iter().any(|(path, _)| path == &org.path) {
                orgs.push((org.path, org.name));
            }
        }
    }
    let roles = audience
        .roles
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect();
    let mut by_system: HashMap<String, (repo::Reached, Vec<String>)> = HashMap::new();
    let mut add = |reached: repo::Reached, reason: &str| {
        let entry = by_system
            .entry(reached.user_id.clone())
            .or_insert_with(|| (reached, Vec::new()));
        if !entry.1.iter().any(|r| r == reason) {
            entry.1.push(reason.to_string());
        }
    };
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
                    add(user, &reason);
                }
                if let Some(op) = &used.operator_id {
                    for user in repo::unit_operators(conn, op)? {
                        add(user, &reason);
                    }
                }
            }
        }
    }
    Ok(Selection {
        orgs,
        roles,
        named: audience.user_ids.iter().cloned().collect(),
        by_system,
    })
}

/// Resolves the audience within the actor's subtree and hands the recipients to `each` a page
/// at a time, in email order, each person once with every reason they were chosen; returns
/// how many there were. Memory stays flat however many people the warning reaches.
///
/// Units, roles and named people are looked for in the actor's subtree only; the contacts and
/// operators of a matching system are reached wherever their account is (an outside operator
/// must hear about its systems), after everyone of the subtree.
pub fn for_each_page(
    conn: &mut AnyConn,
    actor: &Actor,
    audience: &Audience,
    products: &[AffectedProduct],
    mut each: impl FnMut(&mut AnyConn, Vec<Recipient>) -> Result<(), AppError>,
) -> Result<usize, AppError> {
    let mut selection = selection(conn, actor, audience, products)?;
    let mut count = 0;
    let mut after: Option<String> = None;
    loop {
        let page = repo::active_users_page(conn, &actor.scope_path, after.as_deref(), PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.reached.email.clone());
        let mut found = Vec::new();
        for user in page {
            let reasons = selection.reasons(&user);
            selection.by_system.remove(&user.reached.user_id);
            if !reasons.is_empty() {
                found.push(recipient(user.reached, reasons));
            }
        }
        if !found.is_empty() {
            count += found.len();
            each(conn, found)?;
        }
    }
    let mut outside: Vec<Recipient> = std::mem::take(&mut selection.by_system)
        .into_values()
        .map(|(reached, reasons)| recipient(reached, reasons))
        .collect();
    outside.sort_by(|a, b| a.email.cmp(&b.email));
    if !outside.is_empty() {
        count += outside.len();
        each(conn, outside)?;
    }
    Ok(count)
}

fn recipient(reached: repo::Reached, reasons: Vec<String>) -> Recipient {
    Recipient {
        user_id: reached.user_id,
        email: reached.email,
        full_name: reached.full_name,
        reasons,
    }
}
