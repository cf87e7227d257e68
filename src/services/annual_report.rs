//! The annual report's figures for a subtree and a report year: systems by level, regime and
//! status; dossiers submitted and approved, assessments done and due, warnings relayed with
//! their delivery and acknowledgement rates in the period; current compliance.

use chrono::NaiveDate;
use serde::Serialize;

pub use super::annual_report_period::{basis, current_year, parse_year, Basis, Period};
use super::assessments::visible_orgs;
use super::compliance_report::tally_of;
use super::Actor;
use crate::db::AnyConn;
use crate::domain::compliance::Tally;
use crate::domain::system::SystemStatus;
use crate::error::AppError;
use crate::repo::annual_report::{self as repo, AssessmentCount};
use crate::repo::{compliance_report, organizations};
use crate::rules::Registry;

/// Đơn vị báo cáo: the organisation whose subtree is counted.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReportUnit {
    pub id: Option<String>,
    pub name: String,
}

/// Số hệ thống của một cấp độ.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct LevelLine {
    pub level: u8,
    /// Cấp độ đã được phê duyệt, hoặc cấp độ đề xuất nếu chưa phê duyệt.
    pub total: i64,
    pub approved: i64,
    /// Mới đề xuất, chưa được phê duyệt.
    pub proposed_only: i64,
}

/// Số hệ thống theo văn bản xác định cấp độ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RegimeLine {
    pub regime_id: String,
    pub title: String,
    /// Cấp độ 1 đến 5.
    pub levels: [i64; 5],
    pub undetermined: i64,
    pub total: i64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StatusLine {
    pub status: String,
    pub label: String,
    pub count: i64,
}

/// Hệ thống thông tin thuộc phạm vi (tại thời điểm lập báo cáo).
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct SystemFigures {
    /// Mọi hệ thống, kể cả đã dừng vận hành.
    pub total: i64,
    /// Hệ thống đang quản lý (đang xây dựng hoặc đang vận hành): cơ sở của các bảng cấp độ.
    pub managed: i64,
    pub by_level: Vec<LevelLine>,
    /// Chưa xác định được cấp độ (chưa đề xuất, chưa phê duyệt).
    pub undetermined: i64,
    pub approved: i64,
    pub by_regime: Vec<RegimeLine>,
    pub by_status: Vec<StatusLine>,
}

/// Hồ sơ đề xuất cấp độ trong kỳ, mỗi hồ sơ tính một lần.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct DossierFigures {
    /// Đã gửi trong kỳ (theo ngày văn bản gửi hồ sơ).
    pub submitted: i64,
    /// Theo cấp độ đề xuất 1 đến 5.
    pub submitted_by_level: [i64; 5],
    /// Đã được phê duyệt trong kỳ (theo ngày quyết định phê duyệt).
    pub approved: i64,
    /// Theo cấp độ được phê duyệt 1 đến 5.
    pub approved_by_level: [i64; 5],
}

/// Kiểm tra, đánh giá.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct AssessmentFigures {
    /// Đã thực hiện trong kỳ.
    pub done: i64,
    pub done_systems: i64,
    pub done_agency: i64,
    /// Đến hạn trong kỳ.
    pub due: i64,
    /// Đến hạn trong kỳ và đã thực hiện.
    pub due_done: i64,
    /// Đến hạn trong kỳ, chưa thực hiện.
    pub due_open: i64,
}

/// Cảnh báo đã gửi trong kỳ.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct AlertFigures {
    pub alerts: i64,
    /// Lượt gửi tới người nhận.
    pub deliveries: i64,
    pub delivered: i64,
    pub failed: i64,
    /// Đang chờ gửi hoặc đang gửi.
    pub pending: i64,
    /// Đã xác nhận (đã nhận, đã khắc phục hoặc không ảnh hưởng).
    pub acknowledged: i64,
    /// Phần trăm, một chữ số thập phân; không có khi chưa có lượt gửi.
    pub delivery_rate: Option<f64>,
    pub acknowledgement_rate: Option<f64>,
}

/// Đáp ứng yêu cầu an toàn cơ bản (bảng đánh giá hiện hành).
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ComplianceFigures {
    pub tally: Tally,
    pub percent: Option<f64>,
}

/// Số liệu báo cáo hằng năm.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AnnualReport {
    pub year: i32,
    pub basis: Basis,
    pub period: Period,
    pub unit: ReportUnit,
    pub prepared_on: NaiveDate,
    pub systems: SystemFigures,
    pub dossiers: DossierFigures,
    pub assessments: AssessmentFigures,
    pub alerts: AlertFigures,
    pub compliance: ComplianceFigures,
}

/// Percentage with one decimal, `None` over nothing.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

fn level_index(level: Option<i32>) -> Option<usize> {
    level
        .filter(|l| (1..=5).contains(l))
        .map(|l| (l - 1) as usize)
}

/// The report of the actor's subtree (or `organization_id`'s) for `year` (already checked).
pub fn gather(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    organization_id: Option<&str>,
    year: i32,
    today: NaiveDate,
) -> Result<AnnualReport, AppError> {
    let organization_id = organization_id.filter(|o| !o.is_empty());
    let orgs = visible_orgs(conn, actor, organization_id)?;
    let scope = orgs.as_deref();
    let unit = unit_of(conn, actor, organization_id)?;
    let period = Period::of(year);
    Ok(AnnualReport {
        year,
        basis: basis(year),
        systems: systems(conn, registry, scope)?,
        dossiers: dossiers(conn, scope, &period)?,
        assessments: assessments(conn, scope, &period)?,
        alerts: alerts(conn, scope, &period)?,
        compliance: compliance(conn, registry, scope)?,
        period,
        unit,
        prepared_on: today,
    })
}

fn unit_of(
    conn: &mut AnyConn,
    actor: &Actor,
    organization_id: Option<&str>,
) -> Result<ReportUnit, AppError> {
    // The actor's own organisation is the last segment of its scope path ("/root/child/").
    let id = organization_id.map(str::to_string).or_else(|| {
        actor
            .scope_path
            .split('/')
            .rfind(|s| !s.is_empty())
            .map(str::to_string)
    });
    let name = match &id {
        Some(id) => organizations::find(conn, id)?.map(|o| o.name),
        None => None,
    };
    Ok(ReportUnit {
        name: name.unwrap_or_else(|| "Toàn bộ các đơn vị".into()),
        id,
    })
}

fn systems(
    conn: &mut AnyConn,
    registry: &Registry,
    scope: Option<&[String]>,
) -> Result<SystemFigures, AppError> {
    let mut f = SystemFigures {
        by_level: (1..=5)
            .map(|level| LevelLine {
                level,
                ..LevelLine::default()
            })
            .collect(),
        ..SystemFigures::default()
    };
    let statuses = [
        SystemStatus::Planned,
        SystemStatus::InOperation,
        SystemStatus::Retired,
    ];
    let mut by_status = [0i64; 3];
    for row in repo::system_counts(conn, scope)? {
        f.total += row.count;
        let status = SystemStatus::parse(&row.status);
        if let Some(i) = statuses.iter().position(|s| Some(*s) == status) {
            by_status[i] += row.count;
        }
        if status == Some(SystemStatus::Retired) {
            continue;
        }
        f.managed += row.count;
        let level = level_index(row.approved_level).or(level_index(row.proposed_level));
        let at = match f
            .by_regime
            .iter()
            .position(|r| r.regime_id == row.regime_id)
        {
            Some(i) => i,
            None => {
                let title = registry
                    .get(&row.regime_id)
                    .map(|p| p.meta.title.clone())
                    .unwrap_or_else(|| row.regime_id.clone());
                f.by_regime.push(RegimeLine {
                    regime_id: row.regime_id.clone(),
                    title,
                    levels: [0; 5],
                    undetermined: 0,
                    total: 0,
                });
                f.by_regime.len() - 1
            }
        };
        let regime = &mut f.by_regime[at];
        regime.total += row.count;
        match level {
            Some(i) => {
                regime.levels[i] += row.count;
                let line = &mut f.by_level[i];
                line.total += row.count;
                if level_index(row.approved_level).is_some() {
                    line.approved += row.count;
                    f.approved += row.count;
                } else {
                    line.proposed_only += row.count;
                }
            }
            None => {
                regime.undetermined += row.count;
                f.undetermined += row.count;
            }
        }
    }
    f.by_regime.sort_by(|a, b| a.regime_id.cmp(&b.regime_id));
    f.by_status = statuses
        .iter()
        .zip(by_status)
        .map(|(s, count)| StatusLine {
            status: s.as_str().into(),
            label: s.label().into(),
            count,
        })
        .collect();
    Ok(f)
}

fn dossiers(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    period: &Period,
) -> Result<DossierFigures, AppError> {
    let mut f = DossierFigures::default();
    for row in repo::dossiers_reaching(conn, scope, "submitted", period.from, period.to)? {
        f.submitted += row.count;
        if let Some(i) = level_index(Some(row.proposed_level)) {
            f.submitted_by_level[i] += row.count;
        }
    }
    for row in repo::dossiers_reaching(conn, scope, "approved", period.from, period.to)? {
        f.approved += row.count;
        if let Some(i) = level_index(row.approved_level.or(Some(row.proposed_level))) {
            f.approved_by_level[i] += row.count;
        }
    }
    Ok(f)
}

fn assessments(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    period: &Period,
) -> Result<AssessmentFigures, AppError> {
    let mut f = AssessmentFigures::default();
    let count = |conn: &mut AnyConn, which| -> Result<Vec<(String, i64)>, AppError> {
        Ok(repo::assessments(
            conn,
            scope,
            which,
            period.from,
            period.to,
        )?)
    };
    for (scope, n) in count(conn, AssessmentCount::Done)? {
        f.done += n;
        if scope == "agency" {
            f.done_agency += n;
        } else {
            f.done_systems += n;
        }
    }
    f.due = count(conn, AssessmentCount::Due)?.iter().map(|r| r.1).sum();
    f.due_done = count(conn, AssessmentCount::DueAndDone)?
        .iter()
        .map(|r| r.1)
        .sum();
    f.due_open = f.due - f.due_done;
    Ok(f)
}

fn alerts(
    conn: &mut AnyConn,
    scope: Option<&[String]>,
    period: &Period,
) -> Result<AlertFigures, AppError> {
    let (from, until) = period.utc_bounds();
    let mut f = AlertFigures {
        alerts: repo::alerts_sent(conn, scope, from, until)?,
        ..AlertFigures::default()
    };
    f.deliveries = repo::deliveries(conn, scope, from, until)?;
    for (status, n) in repo::delivery_statuses(conn, scope, from, until)? {
        match status.as_str() {
            "sent" => f.delivered += n,
            "failed" => f.failed += n,
            _ => {}
        }
    }
    f.pending = f.deliveries - f.delivered - f.failed;
    f.acknowledged = repo::delivery_answers(conn, scope, from, until)?
        .iter()
        .filter(|(answer, _)| answer.is_some())
        .map(|r| r.1)
        .sum();
    f.delivery_rate = rate(f.delivered, f.deliveries);
    f.acknowledgement_rate = rate(f.acknowledged, f.deliveries);
    Ok(f)
}

/// Summed over every catalogue's group tallies (kept up to date on each change, so cheap).
fn compliance(
    conn: &mut AnyConn,
    registry: &Registry,
    scope: Option<&[String]>,
) -> Result<ComplianceFigures, AppError> {
    let mut tally = Tally::default();
    for baseline in registry.baselines() {
        for g in compliance_report::group_tallies(conn, scope, &baseline.id)? {
            tally.add(&tally_of(&g.sums));
        }
    }
    Ok(ComplianceFigures {
        percent: tally.percent(),
        tally,
    })
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn rates_have_one_decimal_and_none_over_nothing() {
        assert_eq!(rate(1, 3), Some(33.3));
        assert_eq!(rate(2, 3), Some(66.7));
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(4, 4), Some(100.0));
    }
}
