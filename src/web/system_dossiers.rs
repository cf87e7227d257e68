//! The dossier section of a system's page: the dossiers holding the system, and the further
//! systems "Lập hồ sơ" may add when the regime allows one dossier for several.

use super::dossier_page::status_badge;
use super::system_templates::OptionItem;
use super::system_views::date_vn;
use crate::db::AnyConn;
use crate::error::AppError;
use crate::repo::Page;
use crate::rules::Registry;
use crate::services::dossier_list::{self, ListQuery};
use crate::services::dossier_multi::eligible_extras;
use crate::services::{self, Actor};

/// At most this many dossiers are listed on the system's page.
const SHOWN: i64 = 50;

/// Một hồ sơ có hệ thống này, như dòng trên trang hệ thống.
#[derive(Clone, Debug)]
pub struct DossierLine {
    pub id: String,
    /// The number of the submission letter; empty before it is sent.
    pub number: String,
    pub status: String,
    pub status_label: String,
    pub status_badge: &'static str,
    pub level: i32,
    pub submitted: String,
    /// Whether the system is a further one of the dossier rather than its first.
    pub further: bool,
}

/// What the dossier section of a system's page shows.
#[derive(Default)]
pub struct SystemDossiers {
    pub rows: Vec<DossierLine>,
    pub total: i64,
    /// The regime allows one dossier for several systems.
    pub several: bool,
    /// The systems that may join a new dossier of this one now.
    pub extras: Vec<OptionItem>,
}

pub fn load(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    may_edit: bool,
) -> Result<SystemDossiers, AppError> {
    let query = ListQuery {
        system_id: Some(system_id.to_string()),
        ..Default::default()
    };
    let page = Page {
        number: 1,
        size: SHOWN,
    };
    let found = dossier_list::list(conn, actor, &query, page)?;
    let rows = found
        .items
        .into_iter()
        .map(|d| DossierLine {
            number: d.submission_number.unwrap_or_default(),
            status: d.status.as_str().to_string(),
            status_badge: status_badge(d.status),
            status_label: d.status_label,
            level: d.proposed_level,
            submitted: d.submission_date.map(date_vn).unwrap_or_default(),
            further: d.system_id != system_id,
            id: d.id,
        })
        .collect();
    let (several, extras) = if may_edit {
        let first = services::systems::find_visible(conn, actor, system_id)?;
        let (several, choices) = eligible_extras(conn, registry, actor, &first)?;
        let extras = choices
            .into_iter()
            .map(|c| OptionItem {
                label: format!("{} (đề xuất cấp độ {})", c.name, c.proposed_level),
                value: c.system_id,
            })
            .collect();
        (several, extras)
    } else {
        (false, Vec::new())
    };
    Ok(SystemDossiers {
        rows,
        total: found.total,
        several,
        extras,
    })
}
