//! Synchronous queries over `&mut AnyConn`, one file per aggregate. No business rules here.

pub mod alerts;
pub mod annual_report;
pub mod assessment_intervals;
pub mod assessments;
pub mod audit;
pub mod authorities;
pub mod compliance;
pub mod compliance_report;
pub mod compliance_rollups;
pub mod deadlines;
pub mod dossier_files;
pub mod dossiers;
pub mod organizations;
pub mod outbox;
pub mod regime_report;
pub mod reminders;
pub mod system_list;
pub mod system_regimes;
pub mod system_register;
pub mod systems;
pub mod users;

/// One page of a list.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub number: i64,
    pub size: i64,
}

impl Page {
    pub fn offset(self) -> i64 {
        (self.number - 1) * self.size
    }
}
