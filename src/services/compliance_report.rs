//! Compliance of a subtree: totals, per-group and per-system percentages from the group
//! tallies, and the list of gaps (requirements still to do) with filters and pages.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::assessments::visible_orgs;
use super::Actor;
use crate::db::AnyConn;
use crate::domain::compliance::{ComplianceStatus, Tally};
use crate::error::AppError;
use crate::repo::compliance_report::{self as repo, GapFilter, GapItem, Sums};
use crate::repo::Page;
use crate::rules::Registry;

/// Systems per page of the summary.
pub const PER_PAGE: i64 = 50;

/// How the per-system table is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SummarySort {
    /// Lowest percentage first (worst first).
    #[default]
    PercentAsc,
    PercentDesc,
    Name,
}

impl SummarySort {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "percent" => Some(Self::PercentAsc),
            "-percent" => Some(Self::PercentDesc),
            "name" => Some(Self::Name),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct SummaryQuery {
    pub organization_id: Option<String>,
    /// One catalogue, or every catalogue when `None`.
    pub baseline: Option<String>,
    pub page: i64,
    pub sort: SummarySort,
}

/// Một nhóm yêu cầu của một danh mục, cộng trên các hệ thống.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GroupSummary {
    pub baseline: String,
    pub group_code: String,
    pub title: String,
    /// `management` hoặc `technical`.
    pub part: String,
    pub tally: Tally,
    pub percent: Option<f64>,
}

/// Một bảng đánh giá hiện hành của một hệ thống.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SystemSummary {
    pub system_id: String,
    pub name: String,
    pub organization_name: String,
    pub level: i32,
    pub baseline: String,
    pub year: i32,
    pub tally: Tally,
    pub percent: Option<f64>,
    pub gaps: i64,
    /// Số tồn tại đã quá ngày mục tiêu.
    pub overdue: i64,
    pub path: String,
}

/// Tổng hợp đáp ứng yêu cầu cơ bản của một phạm vi.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub tally: Tally,
    pub percent: Option<f64>,
    pub percent_rule: String,
    pub by_group: Vec<GroupSummary>,
    pub systems: Vec<SystemSummary>,
    /// Số bảng đánh giá hiện hành (mọi trang).
    pub systems_total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Số hệ thống đã có cấp độ nhưng chưa lập bảng đánh giá hiện hành.
    pub systems_without_checklist: i64,
}

pub(crate) fn tally_of(s: &Sums) -> Tally {
    let n = |v: Option<i64>| v.unwrap_or(0);
    Tally {
        total: n(s.total),
        met: n(s.met),
        partial: n(s.partial),
        not_met: n(s.not_met),
        not_applicable: n(s.not_applicable),
        to_review: n(s.to_review),
    }
}

/// The catalogues asked for: one (checked) or all.
pub(crate) fn baselines(
    registry: &Registry,
    baseline: Option<&str>,
) -> Result<Vec<String>, AppError> {
    match baseline.filter(|b| !b.is_empty()) {
        None => Ok(registry.baselines().iter().map(|b| b.id.clone()).collect()),
        Some(b) => registry
            .baseline(b)
            .map(|b| vec![b.id.clone()])
            .ok_or_else(|| AppError::field("baseline", "Không có danh mục yêu cầu này")),
    }
}

/// The current reviews of the scope with their tallies, sorted as asked.
pub(crate) fn sorted_reviews(
    conn: &mut AnyConn,
    visible: Option<&[String]>,
    baselines: &[String],
    sort: SummarySort,
) -> Result<Vec<(repo::ReviewTally, Tally)>, AppError> {
    let mut rows: Vec<_> = repo::review_tallies(conn, visible, baselines)?
        .into_iter()
        .map(|r| {
            let t = tally_of(&r.sums);
            (r, t)
        })
        .collect();
    let key = |t: &Tally| t.percent().unwrap_or(f64::INFINITY);
    rows.sort_by(|(a, ta), (b, tb)| {
        let by_name = a
            .system_name
            .cmp(&b.system_name)
            .then_with(|| a.system_id.cmp(&b.system_id))
            .then_with(|| a.baseline_id.cmp(&b.baseline_id));
        match sort {
            SummarySort::PercentAsc => key(ta).total_cmp(&key(tb)).then(by_name),
            SummarySort::PercentDesc => key(tb).total_cmp(&key(ta)).then(by_name),
            SummarySort::Name => by_name,
        }
    });
    Ok(rows)
}

pub fn summary(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    q: SummaryQuery,
    today: NaiveDate,
) -> Result<Summary, AppError> {
    let orgs = visible_orgs(
        conn,
        actor,
        q.organization_id.as_deref().filter(|o| !o.is_empty()),
    )?;
    let visible = orgs.as_deref();
    let ids = baselines(registry, q.baseline.as_deref())?;
    let mut tally = Tally::default();
    let mut by_group = Vec::new();
    for id in &ids {
        let groups = repo::group_tallies(conn, visible, id)?;
        for g in &groups {
            tally.add(&tally_of(&g.sums));
        }
        let Some(b) = registry.baseline(id) else {
            continue;
        };
        let rows: HashMap<String, Sums> =
            groups.into_iter().map(|g| (g.group_code, g.sums)).collect();
        for g in &b.groups {
            let Some(s) = rows.get(&g.code) else { continue };
            let t = tally_of(s);
            by_group.push(GroupSummary {
                baseline: b.id.clone(),
                group_code: g.code.clone(),
                title: g.title.clone(),
                part: g.part.as_str().to_string(),
                percent: t.percent(),
                tally: t,
            });
        }
    }
    let page = q.page.max(1);
    let order = match q.sort {
        SummarySort::PercentAsc => repo::ReviewOrder::ScoreAsc,
        SummarySort::PercentDesc => repo::ReviewOrder::ScoreDesc,
        SummarySort::Name => repo::ReviewOrder::Name,
    };
    let seen = repo::seen(conn, visible)?;
    let every_catalogue = ids.len() == registry.baselines().len();
    let counts = repo::review_counts(conn, &seen, &ids, every_catalogue)?;
    let rows = repo::review_page(conn, &seen, &ids, order, (page - 1) * PER_PAGE, PER_PAGE)?;
    let shown: Vec<_> = rows
        .into_iter()
        .map(|r| {
            let t = tally_of(&r.sums);
            (r, t)
        })
        .collect();
    let review_ids: Vec<String> = shown.iter().map(|(r, _)| r.review_id.clone()).collect();
    let overdue: HashMap<String, i64> = repo::overdue_by_review(conn, &review_ids, today)?
        .into_iter()
        .collect();
    let systems = shown
        .into_iter()
        .map(|(r, t)| SystemSummary {
            path: format!(
                "/systems/{}/compliance?baseline={}",
                r.system_id, r.baseline_id
            ),
            overdue: overdue.get(&r.review_id).copied().unwrap_or(0),
            percent: t.percent(),
            gaps: t.gaps(),
            tally: t,
            system_id: r.system_id,
            name: r.system_name,
            organization_name: r.organization_name,
            level: r.level,
            baseline: r.baseline_id,
            year: r.year,
        })
        .collect();
    Ok(Summary {
        percent: tally.percent(),
        tally,
        percent_rule: crate::domain::compliance::PERCENT_RULE.to_string(),
        by_group,
        systems,
        systems_total: counts.reviews,
        page,
        per_page: PER_PAGE,
        systems_without_checklist: repo::without_review(conn, &seen, counts.systems)?,
    })
}

#[derive(Clone, Debug)]
pub struct GapQuery {
    pub organization_id: Option<String>,
    pub baseline: Option<String>,
    pub responsible_id: Option<String>,
    /// `to_review`, `partial` or `not_met`.
    pub status: Option<String>,
    pub overdue_only: bool,
    pub page: Page,
}

/// Một tồn tại: yêu cầu chưa đáp ứng, đáp ứng một phần hoặc chưa đánh giá.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Gap {
    pub item_id: String,
    pub system_id: String,
    pub system_name: String,
    pub organization_name: String,
    pub level: i32,
    pub baseline: String,
    pub requirement_code: String,
    pub requirement_text: String,
    pub group_title: String,
    pub citation: Option<String>,
    pub status: ComplianceStatus,
    pub status_label: String,
    pub how_met: Option<String>,
    pub responsible_id: Option<String>,
    pub responsible_name: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub overdue: bool,
    /// Đường dẫn đến bảng đánh giá của hệ thống.
    pub path: String,
}

/// Một trang danh sách tồn tại.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GapPage {
    pub items: Vec<Gap>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A gap row worded with its catalogue entry.
pub(crate) fn gap_of(registry: &Registry, g: GapItem, today: NaiveDate) -> Gap {
    let baseline = registry.baseline(&g.baseline_id);
    let req = baseline.and_then(|b| b.requirement(&g.requirement_code));
    let group = baseline.and_then(|b| b.group(&g.group_code));
    let status = ComplianceStatus::parse(&g.status).unwrap_or(ComplianceStatus::ToReview);
    Gap {
        path: format!(
            "/systems/{}/compliance?baseline={}",
            g.system_id, g.baseline_id
        ),
        requirement_text: req.map(|r| r.text.clone()).unwrap_or_default(),
        citation: req.map(|r| r.citation.clone()),
        group_title: group
            .map(|x| x.title.clone())
            .unwrap_or_else(|| g.group_code.clone()),
        status,
        status_label: status.label().to_string(),
        overdue: g.target_date.is_some_and(|d| d < today),
        item_id: g.id,
        system_id: g.system_id,
        system_name: g.system_name,
        organization_name: g.organization_name,
        level: g.level,
        baseline: g.baseline_id,
        requirement_code: g.requirement_code,
        how_met: g.how_met,
        responsible_id: g.responsible_id,
        responsible_name: g.responsible_name,
        target_date: g.target_date,
    }
}

pub fn gaps(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    q: GapQuery,
    today: NaiveDate,
) -> Result<GapPage, AppError> {
    let orgs = visible_orgs(
        conn,
        actor,
        q.organization_id.as_deref().filter(|o| !o.is_empty()),
    )?;
    let statuses = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => Vec::new(),
        Some(s) => match ComplianceStatus::parse(s).filter(|s| s.is_gap()) {
            Some(s) => vec![s.as_str().to_string()],
            None => {
                return Err(AppError::field(
                    "status",
                    "Mức đáp ứng là một trong: to_review, partial, not_met",
                ))
            }
        },
    };
    let all = baselines(registry, q.baseline.as_deref())?;
    let filter = GapFilter {
        // No filter when every catalogue is asked for: the index on due dates then leads.
        baselines: if q.baseline.as_deref().is_some_and(|b| !b.is_empty()) {
            all.clone()
        } else {
            Vec::new()
        },
        responsible_id: q.responsible_id.filter(|r| !r.is_empty()),
        statuses,
        due_before: q.overdue_only.then_some(today),
        ..GapFilter::default()
    };
    // Without a filter on the answers themselves, the roll-ups hold the count.
    let known_total = if filter.responsible_id.is_none() && filter.due_before.is_none() {
        let mut total = 0;
        for id in &all {
            for g in repo::group_tallies(conn, orgs.as_deref(), id)? {
                let t = tally_of(&g.sums);
                total += match filter.statuses.first().map(String::as_str) {
                    Some("to_review") => t.to_review,
                    Some("partial") => t.partial,
                    Some("not_met") => t.not_met,
                    _ => t.gaps(),
                };
            }
        }
        Some(total)
    } else {
        None
    };
    let (rows, total) = repo::gaps(
        conn,
        orgs.as_deref(),
        &filter,
        (q.page.offset(), q.page.size),
        known_total,
    )?;
    Ok(GapPage {
        items: rows
            .into_iter()
            .map(|g| gap_of(registry, g, today))
            .collect(),
        total,
        page: q.page.number,
        per_page: q.page.size,
    })
}
