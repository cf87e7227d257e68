//! The regime-change report: for every system of a subtree, its approved level, its level under
//! the lapsed regime and under the one in force, the direction, the clauses behind the change,
//! the facts still missing and the action due by when.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::Actor;
use crate::db::AnyConn;
use crate::domain::labels::field_label;
use crate::domain::SystemFacts;
use crate::error::AppError;
use crate::repo::organizations;
use crate::repo::regime_report::{self as repo, ReportSource};
use crate::rules::change::{change, Cause, Direction};
use crate::rules::transition::{Route, Situation};
use crate::rules::{Registry, RulePack};

/// Systems are read this many at a time.
const BATCH: i64 = 1000;
/// Component systems are folded in to this depth, as the register does.
const MAX_DEPTH: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct ReportFilter {
    /// Only this organisation's subtree (within the actor's).
    pub organization_id: Option<String>,
    pub direction: Option<Direction>,
    /// Level under the regime in force.
    pub level: Option<u8>,
    /// Only systems whose level was approved (`true`) or not (`false`).
    pub approved: Option<bool>,
}

/// A step due for one system.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Action {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// A fact still missing, with the question that asks for it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MissingFact {
    pub field: String,
    pub label: &'static str,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReportRow {
    pub system_id: String,
    pub name: String,
    pub organization_id: String,
    pub organization_name: String,
    pub approved_level: Option<i32>,
    pub approved_regime: Option<String>,
    pub approval_decision_number: Option<String>,
    pub approval_decision_date: Option<NaiveDate>,
    /// Level under the lapsed regime (as it stood on its last day) and under the one in force.
    pub old_level: Option<u8>,
    pub new_level: Option<u8>,
    pub direction: Direction,
    pub needs_review: bool,
    pub causes: Vec<Cause>,
    pub missing: Vec<MissingFact>,
    /// How the system's own determination follows the transition.
    pub route: Route,
    pub actions: Vec<Action>,
}

/// The two regimes compared and the date of the report.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReportHeader {
    pub old_regime: String,
    pub old_title: String,
    pub new_regime: String,
    pub new_title: String,
    pub date: NaiveDate,
}

#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ReportTotals {
    pub systems: u64,
    pub up: u64,
    pub down: u64,
    pub same: u64,
    pub undetermined: u64,
    pub needs_review: u64,
    pub missing_facts: u64,
}

impl ReportTotals {
    fn count(&mut self, row: &ReportRow) {
        self.systems += 1;
        match row.direction {
            Direction::Up => self.up += 1,
            Direction::Down => self.down += 1,
            Direction::Same => self.same += 1,
            Direction::Undetermined => self.undetermined += 1,
        }
        self.needs_review += u64::from(row.needs_review);
        self.missing_facts += u64::from(!row.missing.is_empty());
    }
}

/// The regimes the report compares: the one in force on `today` and the one it replaced.
pub fn regimes(registry: &Registry, today: NaiveDate) -> Result<(&RulePack, &RulePack), AppError> {
    let current = registry
        .resolve(None, None, today)
        .map_err(|e| AppError::field("date", e.to_string()))?;
    let old = current
        .transition
        .as_ref()
        .and_then(|t| registry.get(&t.predecessor))
        .ok_or_else(|| {
            AppError::Conflict(format!(
                "{} không thay thế văn bản nào trong các bộ quy tắc đã nạp: không có báo cáo thay đổi cấp độ",
                current.meta.title
            ))
        })?;
    Ok((old, current))
}

/// Walks the subtree in id order, sending every row that passes `filter` to `sink`; returns the
/// totals over those rows. Nothing is held beyond one batch.
pub fn scan(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    filter: &ReportFilter,
    today: NaiveDate,
    mut sink: impl FnMut(ReportRow) -> Result<(), AppError>,
) -> Result<(ReportHeader, ReportTotals), AppError> {
    let (old, new) = regimes(registry, today)?;
    let header = ReportHeader {
        old_regime: old.meta.id.clone(),
        old_title: old.meta.title.clone(),
        new_regime: new.meta.id.clone(),
        new_title: new.meta.title.clone(),
        date: today,
    };
    let path = match &filter.organization_id {
        Some(id) => {
            organizations::find_in_scope(conn, &actor.scope_path, id)?
                .ok_or_else(|| {
                    AppError::field(
                        "organization_id",
                        "Không có đơn vị này trong phạm vi của bạn",
                    )
                })?
                .path
        }
        None => actor.scope_path.clone(),
    };
    let scope = repo::subtree(conn, &path)?;
    let old_date = old.meta.effective_until.map_or(today, |u| u.min(today));
    let mut totals = ReportTotals::default();
    let mut after: Option<String> = None;
    loop {
        let batch = repo::batch(conn, &scope, after.as_deref(), BATCH)?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id.clone());
        let components = component_facts(conn, &batch)?;
        let build = |source: &ReportSource| -> Result<ReportRow, AppError> {
            let facts = with_components(&source.id, &source.facts_json, &components, 0)?;
            report_row(registry, old, new, old_date, today, source, &facts)
        };
        for row in in_parallel(&batch, build) {
            let row = row?;
            if passes(filter, &row) {
                totals.count(&row);
                sink(row)?;
            }
        }
    }
    Ok((header, totals))
}

/// Maps a batch on every core (classification is pure and CPU-bound), keeping the order.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if workers < 2 || items.len() < 256 {
        return items.iter().map(f).collect();
    }
    let size = items.len().div_ceil(workers);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| s.spawn(|| chunk.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("report worker panicked"))
            .collect()
    })
}

fn passes(filter: &ReportFilter, row: &ReportRow) -> bool {
    filter.direction.is_none_or(|d| d == row.direction)
        && filter.level.is_none_or(|l| row.new_level == Some(l))
        && filter
            .approved
            .is_none_or(|a| a == row.approved_level.is_some())
}

/// Facts of every component below the batch's systems, by parent: (component id, facts).
pub(super) type ComponentMap = HashMap<String, Vec<(String, String)>>;

pub(super) fn component_facts(
    conn: &mut AnyConn,
    batch: &[ReportSource],
) -> Result<ComponentMap, AppError> {
    let mut map: ComponentMap = HashMap::new();
    let mut frontier: Vec<String> = batch.iter().map(|s| s.id.clone()).collect();
    for _ in 0..MAX_DEPTH {
        if frontier.is_empty() {
            break;
        }
        let edges = repo::components_of(conn, &frontier)?;
        frontier = Vec::new();
        for (parent, child, facts) in edges {
            if !map.contains_key(&child) {
                frontier.push(child.clone());
            }
            map.entry(parent).or_default().push((child, facts));
        }
    }
    Ok(map)
}

pub(super) fn with_components(
    id: &str,
    facts_json: &str,
    components: &ComponentMap,
    depth: usize,
) -> Result<SystemFacts, AppError> {
    let mut facts: SystemFacts = serde_json::from_str(facts_json).map_err(AppError::internal)?;
    facts.components.clear();
    if depth < MAX_DEPTH {
        for (child, child_json) in components.get(id).map(Vec::as_slice).unwrap_or_default() {
            facts
                .components
                .push(with_components(child, child_json, components, depth + 1)?);
        }
    }
    Ok(facts)
}

fn report_row(
    registry: &Registry,
    old: &RulePack,
    new: &RulePack,
    old_date: NaiveDate,
    today: NaiveDate,
    source: &ReportSource,
    facts: &SystemFacts,
) -> Result<ReportRow, AppError> {
    let invalid = |_| AppError::internal(anyhow::anyhow!("stored facts of {} invalid", source.id));
    let old_result = registry.classify(old, facts, old_date).map_err(invalid)?;
    let new_result = registry.classify(new, facts, today).map_err(invalid)?;
    let moved = change(&old_result, &new_result);
    let approved = source.approved_level.is_some();
    let situation = Situation {
        approved_regime: source.approved_regime_id.as_deref().filter(|_| approved),
        approved,
        investment_before_law: source.investment_before_law.unwrap_or(false),
        chosen_regime: source.chosen_regime.as_deref(),
    };
    let plan = registry
        .plan(situation, today)
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    let actions = actions(new, source, &plan.route, &plan.deadlines, &moved);
    Ok(ReportRow {
        system_id: source.id.clone(),
        name: source.name.clone(),
        organization_id: source.organization_id.clone(),
        organization_name: source.organization_name.clone(),
        approved_level: source.approved_level,
        approved_regime: situation.approved_regime.map(str::to_string),
        approval_decision_number: source.approval_decision_number.clone(),
        approval_decision_date: source.approval_decision_date,
        old_level: moved.from,
        new_level: moved.to,
        direction: moved.direction,
        needs_review: moved.needs_review,
        missing: moved
            .missing_fields
            .iter()
            .map(|f| MissingFact {
                field: f.clone(),
                label: field_label(f.rsplit('.').next().unwrap_or(f)),
            })
            .collect(),
        causes: moved.causes,
        route: plan.route,
        actions,
    })
}

/// What must be done, and by when, for one system.
fn actions(
    new: &RulePack,
    source: &ReportSource,
    route: &Route,
    deadlines: &[crate::rules::transition::Deadline],
    moved: &crate::rules::change::LevelChange,
) -> Vec<Action> {
    let redetermination = new.transition.as_ref().map(|t| &t.redetermination);
    let redetermine = |title: String| Action {
        title,
        due: None,
        citation: redetermination.and_then(|r| r.citation.clone()),
    };
    let mut out: Vec<Action> = Vec::new();
    match (route, source.approved_level) {
        (Route::KeepsApproved, Some(approved)) => {
            out.push(Action {
                title: format!("Giữ cấp độ {approved} đã được phê duyệt"),
                due: None,
                citation: new
                    .transition
                    .as_ref()
                    .and_then(|t| t.keep_approved.rule.citation.clone()),
            });
            if let Some(level) = moved.to.filter(|l| i32::from(*l) != approved) {
                let word = if i32::from(level) > approved {
                    "cao hơn"
                } else {
                    "thấp hơn"
                };
                out.push(redetermine(format!(
                    "Theo {} hệ thống thuộc cấp độ {level}, {word} cấp độ đã phê duyệt: rà soát và xác định lại cấp độ theo trình tự như xác định lần đầu",
                    new.meta.title
                )));
            }
        }
        (_, Some(approved)) => {
            if let Some(level) = moved.to.filter(|l| i32::from(*l) != approved) {
                out.push(redetermine(format!(
                    "Cấp độ theo tiêu chí ({level}) khác cấp độ đã phê duyệt ({approved}): xác định lại cấp độ"
                )));
            }
        }
        (Route::InvestmentProject, None) => {}
        (_, None) => {
            let title = match moved.to {
                Some(level) => format!(
                    "Lập hồ sơ đề xuất cấp độ {level} theo {} và tổ chức thẩm định, phê duyệt",
                    new.meta.title
                ),
                None => format!("Bổ sung dữ kiện để xác định cấp độ theo {}", new.meta.title),
            };
            out.push(Action {
                title,
                due: None,
                citation: None,
            });
            if moved.direction == Direction::Down {
                out.push(redetermine(format!(
                    "Cấp độ giảm so với kết quả theo văn bản cũ: báo cáo việc giảm cấp độ và xác định lại theo {}",
                    new.meta.title
                )));
            }
        }
    }
    for d in deadlines {
        out.push(Action {
            title: d.title.clone(),
            due: Some(d.due),
            citation: d.citation.clone(),
        });
    }
    if !moved.missing_fields.is_empty() {
        out.push(Action {
            title: "Bổ sung các dữ kiện còn thiếu có thể làm thay đổi cấp độ".into(),
            due: None,
            citation: None,
        });
    }
    out
}

/// One system under both regimes, side by side, with what moves its level.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SystemComparison {
    pub header: ReportHeader,
    /// The full result under the lapsed regime (as it stood on its last day), then under the
    /// regime in force (contract §2).
    pub results: Vec<serde_json::Value>,
    pub change: crate::rules::change::LevelChange,
    pub row: ReportRow,
}

pub fn compare_system(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<SystemComparison, AppError> {
    let system = super::systems::find_visible(conn, actor, id)?;
    let (old, new) = regimes(registry, today)?;
    let input = super::systems::current_input(conn, &system)?;
    let facts = super::system_classification::facts_with_components(
        conn,
        &input.facts,
        &input.component_ids,
        0,
    )?;
    let regime = crate::repo::system_regimes::find(conn, id)?;
    let org_name = organizations::find(conn, &system.organization_id)?
        .map(|o| o.name)
        .unwrap_or_default();
    let source = ReportSource {
        id: system.id.clone(),
        name: system.name.clone(),
        organization_id: system.organization_id.clone(),
        organization_name: org_name,
        status: system.status.clone(),
        regime_id: system.regime_id.clone(),
        regime_version: system.regime_version.clone(),
        computed_level: system.computed_level,
        classification_status: system.classification_status.clone(),
        approved_level: system.approved_level,
        approval_decision_number: system.approval_decision_number.clone(),
        approval_decision_date: system.approval_decision_date,
        facts_json: String::new(),
        investment_before_law: Some(regime.investment_before_law),
        chosen_regime: regime.chosen_regime.clone(),
        approved_regime_id: regime.approved_regime_id.clone(),
    };
    let old_date = old.meta.effective_until.map_or(today, |u| u.min(today));
    let invalid = |e| super::system_classification::prefixed(e, "facts.");
    let old_result = registry.classify(old, &facts, old_date).map_err(invalid)?;
    let new_result = registry.classify(new, &facts, today).map_err(invalid)?;
    let row = report_row(registry, old, new, old_date, today, &source, &facts)?;
    Ok(SystemComparison {
        header: ReportHeader {
            old_regime: old.meta.id.clone(),
            old_title: old.meta.title.clone(),
            new_regime: new.meta.id.clone(),
            new_title: new.meta.title.clone(),
            date: today,
        },
        change: change(&old_result, &new_result),
        results: vec![
            serde_json::to_value(&old_result).map_err(AppError::internal)?,
            serde_json::to_value(&new_result).map_err(AppError::internal)?,
        ],
        row,
    })
}
