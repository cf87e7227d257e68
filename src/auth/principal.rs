//! The signed-in user as requests see it, with a short-lived cache so a token check costs a
//! signature check and a map lookup, not a database query.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::domain::Role;

/// How long a cached principal is trusted before the database is asked again; changes made
/// by this process invalidate at once, this bounds how long another process's changes take.
const TTL: Duration = Duration::from_secs(20);

#[derive(Clone, Debug)]
pub struct Principal {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub active: bool,
    pub token_version: i32,
    pub organization_id: String,
    pub organization_name: String,
    pub organization_code: String,
    pub organization_kind: String,
    /// Materialised path of the user's organisation: the subtree every query is scoped to.
    pub scope_path: String,
}

#[derive(Default)]
pub struct PrincipalCache {
    entries: RwLock<HashMap<String, (Arc<Principal>, Instant)>>,
}

impl PrincipalCache {
    pub fn get(&self, user_id: &str) -> Option<Arc<Principal>> {
        let entries = self.entries.read().ok()?;
        entries
            .get(user_id)
            .filter(|(_, at)| at.elapsed() < TTL)
            .map(|(p, _)| p.clone())
    }

    pub fn put(&self, principal: Arc<Principal>) {
        if let Ok(mut entries) = self.entries.write() {
            entries.insert(principal.id.clone(), (principal, Instant::now()));
        }
    }

    pub fn invalidate(&self, user_id: &str) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(user_id);
        }
    }

    /// After a change that may touch many users (an organisation renamed or moved).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    pub fn prune(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, (_, at)| at.elapsed() < TTL);
        }
    }
}
