//! The legal condition a checklist puts on approval: the cybersecurity regulation (quy chế) is
//! issued before the dossier is approved (TT 12/2022 Đ9 k7, NĐ 331 Đ30 k7).

use super::compliance_views::{evidence_view, has_dated_document};
use crate::db::AnyConn;
use crate::domain::compliance::ComplianceStatus;
use crate::error::AppError;
use crate::repo::compliance as repo;
use crate::rules::baseline::Special;
use crate::rules::Registry;

/// Refuses (409) the approval of a dossier of `regime` while one of its systems has not recorded
/// the regulation as met with its number and date. A regime without a catalogue, or a catalogue
/// without the condition, asks nothing.
pub fn check_regulation(
    conn: &mut AnyConn,
    registry: &Registry,
    regime: &str,
    systems: &[(String, String)],
) -> Result<(), AppError> {
    let Some(baseline) = registry.baseline_for(regime) else {
        return Ok(());
    };
    let Some(requirement) = baseline.special(Special::RegulationBeforeApproval) else {
        return Ok(());
    };
    let mut missing = Vec::new();
    for (system_id, name) in systems {
        let recorded = match repo::current(conn, system_id, &baseline.id)? {
            None => false,
            Some(review) => {
                let met = repo::find_item(conn, &review.id, &requirement.code)?.is_some_and(|i| {
                    ComplianceStatus::parse(&i.status) == Some(ComplianceStatus::Met)
                });
                met && {
                    let evidence: Vec<_> = repo::evidence_for(conn, system_id, &baseline.id)?
                        .into_iter()
                        .filter(|(e, _)| e.requirement_code == requirement.code)
                        .map(|(e, by)| evidence_view(system_id, e, by))
                        .collect();
                    has_dated_document(&evidence)
                }
            }
        };
        if !recorded {
            missing.push(format!("“{name}”"));
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(AppError::Conflict(format!(
        "Chưa thể phê duyệt hồ sơ: chưa ghi nhận quy chế bảo đảm an toàn đã ban hành cho hệ thống {} ({}). Hãy mở “Đáp ứng yêu cầu” của hệ thống, ghi số, ký hiệu và ngày ban hành quy chế ở yêu cầu {} và đánh dấu Đáp ứng.",
        missing.join(", "),
        requirement.citation,
        requirement.code
    )))
}
