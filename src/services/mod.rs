//! Use cases. Each one that changes data runs in one write transaction that also writes its
//! audit row, so a failure leaves nothing half-written.

pub mod alert_audience;
pub mod alert_email;
pub mod alert_report;
pub mod alert_send;
pub mod alerts;
pub mod annual_report;
pub mod annual_report_docx;
pub mod annual_report_period;
pub mod annual_report_tables;
pub mod annual_report_xlsx;
pub mod assessment_completion;
pub mod assessment_intervals;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod authorities;
pub mod classification;
pub mod compliance;
pub mod compliance_evidence;
pub mod compliance_gate;
pub mod compliance_items;
pub mod compliance_plan;
pub mod compliance_report;
pub mod compliance_views;
pub mod compliance_xlsx;
pub mod deadlines;
pub mod demo;
pub mod demo_compliance;
pub mod demo_dossiers;
pub mod dossier_access;
pub mod dossier_clock;
pub mod dossier_components;
pub mod dossier_fields;
pub mod dossier_files;
pub mod dossier_list;
pub mod dossier_multi;
pub mod dossier_routing;
pub mod dossier_views;
pub mod dossier_workflow;
pub mod dossiers;
pub mod justification_blocks;
pub mod justification_content;
pub mod justification_docx;
pub mod justification_outline;
pub mod organizations;
pub mod regime_report;
pub mod regime_report_xlsx;
pub mod reminder_digest;
pub mod reminders;
pub mod setup;
pub mod system_checks;
pub mod system_classification;
pub mod system_import;
pub mod system_import_apply;
pub mod system_import_map;
pub mod system_import_rows;
pub mod system_lifecycle;
pub mod system_refresh;
pub mod system_register;
pub mod system_register_docx;
pub mod system_views;
pub mod systems;
pub mod users;

use crate::auth::Principal;
use crate::domain::Role;

/// Who performs a use case: a signed-in user, or the command line.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<String>,
    pub label: String,
    pub role: Role,
    /// Path prefix of the subtree the actor may see.
    pub scope_path: String,
}

impl Actor {
    pub fn user(p: &Principal) -> Self {
        Self {
            user_id: Some(p.id.clone()),
            label: p.email.clone(),
            role: p.role,
            scope_path: p.scope_path.clone(),
        }
    }

    /// The operator at the server's console (`capdo init`, `capdo user add`): sees everything.
    pub fn console() -> Self {
        Self {
            user_id: None,
            label: "capdo (dòng lệnh)".into(),
            role: Role::Admin,
            scope_path: "/".into(),
        }
    }
}

/// RFC 3339 in UTC for a stored naive UTC timestamp.
pub fn utc(at: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_naive_utc_and_offset(at, chrono::Utc)
}
