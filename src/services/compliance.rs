//! The compliance checklist of a system: generated from its regime's requirements catalogue and
//! its level, started each year from last year's answers, and kept in step with the level.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::audit::{self, Change};
use super::compliance_views::{checklist_view, ChecklistView};
use super::systems::{find_visible, may_edit};
use super::Actor;
use crate::db::{self, write_tx, AnyConn};
use crate::domain::compliance::{ComplianceStatus, Tally};
use crate::error::AppError;
use crate::repo::compliance::{self as repo, ItemRow, ReviewRow, TallyRow};
use crate::repo::compliance_rollups as rollups;
use crate::repo::organizations;
use crate::repo::systems::SystemRow;
use crate::rules::baseline::Baseline;
use crate::rules::Registry;

/// A catalogue a system must meet, and by when when it is not its own regime's.
#[derive(Clone, Debug)]
pub struct Applicable {
    pub baseline: Arc<Baseline>,
    pub due_on: Option<NaiveDate>,
}

/// The catalogues that apply to a system of `regime`: its own regime's first, then those it must
/// also meet by a date (the Decree 331 baseline for systems classified under Decree 85).
pub fn applicable(registry: &Registry, regime: &str) -> Vec<Applicable> {
    let mut list: Vec<Applicable> = registry
        .baseline_for(regime)
        .map(|b| Applicable {
            baseline: b.clone(),
            due_on: None,
        })
        .into_iter()
        .collect();
    for (b, also) in registry.also_required_for(regime) {
        list.push(Applicable {
            baseline: b.clone(),
            due_on: Some(also.due),
        });
    }
    list
}

/// The level a checklist follows: the approved one, else the proposed one, else the one the
/// rules computed; with where it came from.
pub fn level_of(row: &SystemRow) -> Option<(u8, &'static str)> {
    let pick = |v: Option<i32>, source| v.and_then(|l| u8::try_from(l).ok()).map(|l| (l, source));
    pick(row.approved_level, "approved")
        .or_else(|| pick(row.proposed_level, "proposed"))
        .or_else(|| pick(row.computed_level, "computed"))
        .filter(|(l, _)| (1..=5).contains(l))
}

/// Picks the catalogue a request names (default: the system's own regime's).
pub fn choose(
    registry: &Registry,
    row: &SystemRow,
    baseline: Option<&str>,
) -> Result<Applicable, AppError> {
    let list = applicable(registry, &row.regime_id);
    match baseline {
        None => list.into_iter().next().ok_or_else(|| {
            AppError::Conflict(format!(
                "Chưa có danh mục yêu cầu cơ bản cho chế độ pháp lý `{}` của hệ thống",
                row.regime_id
            ))
        }),
        Some(id) => {
            let known = list
                .iter()
                .map(|a| a.baseline.id.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            list.iter()
                .find(|a| a.baseline.id == id)
                .cloned()
                .ok_or_else(|| {
                    AppError::field(
                        "baseline",
                        format!("Danh mục `{id}` không áp dụng cho hệ thống này; các danh mục áp dụng: {known}"),
                    )
                })
        }
    }
}

/// The organisation path of a system, for audit rows.
pub(super) fn scope_of(conn: &mut AnyConn, row: &SystemRow) -> Result<String, AppError> {
    Ok(organizations::find(conn, &row.organization_id)?
        .map(|o| o.path)
        .unwrap_or_default())
}

/// The current checklist of a visible system under one catalogue (404 when none is started).
pub fn checklist(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    baseline: Option<&str>,
    today: NaiveDate,
) -> Result<ChecklistView, AppError> {
    let row = find_visible(conn, actor, system_id)?;
    let chosen = choose(registry, &row, baseline)?;
    let review = repo::current(conn, &row.id, &chosen.baseline.id)?.ok_or_else(|| {
        AppError::NotFound(format!(
            "Hệ thống chưa lập bảng đánh giá đáp ứng yêu cầu theo “{}”",
            chosen.baseline.title
        ))
    })?;
    let editable = may_edit(conn, actor, &row)?;
    checklist_view(
        conn,
        registry,
        &row,
        &chosen.baseline,
        &review,
        editable,
        today,
    )
}

/// Starts the review of `year` (default: this year) under one catalogue: the first one is
/// generated from the level; a later one starts from the last review's answers with every
/// status reset to "to review" and how each was met, the responsible user, the target date and
/// the evidence kept.
pub fn start(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    system_id: &str,
    baseline: Option<&str>,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<ChecklistView, AppError> {
    let year = year.unwrap_or(today.year());
    if !(2016..=today.year() + 1).contains(&year) {
        return Err(AppError::field(
            "year",
            format!("Năm rà soát từ 2016 đến {}", today.year() + 1),
        ));
    }
    write_tx(conn, |conn| {
        let row = find_visible(conn, actor, system_id)?;
        if !may_edit(conn, actor, &row)? {
            return Err(AppError::forbidden());
        }
        let chosen = choose(registry, &row, baseline)?;
        let Some((level, source)) = level_of(&row) else {
            return Err(AppError::Conflict(
                "Hệ thống chưa có cấp độ (đề xuất hoặc được phê duyệt): hãy xác định cấp độ trước khi lập bảng đánh giá đáp ứng yêu cầu".into(),
            ));
        };
        let b = &chosen.baseline;
        let previous = repo::current(conn, &row.id, &b.id)?;
        if let Some(p) = &previous {
            if p.year >= year {
                return Err(AppError::Conflict(format!(
                    "Đã có kỳ rà soát năm {} theo “{}”; kỳ mới phải sau năm đó",
                    p.year, b.title
                )));
            }
        }
        let now = db::now();
        let review = ReviewRow {
            id: db::new_id(),
            system_id: row.id.clone(),
            baseline_id: b.id.clone(),
            year,
            level: i32::from(level),
            level_source: source.into(),
            hosting_kind: row.hosting_kind.clone(),
            due_on: chosen.due_on,
            is_current: true,
            previous_id: previous.as_ref().map(|p| p.id.clone()),
            created_by: actor.user_id.clone(),
            created_at: now,
            updated_at: now,
        };
        let carried: HashMap<String, ItemRow> = match &previous {
            Some(p) => {
                // Out of the owner's roll-up while still current, then retired.
                rollups::organization_totals(conn, std::slice::from_ref(&p.id), -1)?;
                rollups::retire_items(conn, &p.id)?;
                let mut old = p.clone();
                old.is_current = false;
                old.updated_at = now;
                repo::update_review(conn, &old)?;
                repo::items(conn, &p.id)?
                    .into_iter()
                    .map(|i| (i.requirement_code.clone(), i))
                    .collect()
            }
            None => HashMap::new(),
        };
        repo::insert_review(conn, &review)?;
        let items: Vec<ItemRow> = b
            .requirements
            .iter()
            .enumerate()
            .filter(|(_, r)| r.applies(level, row.hosting_kind.as_deref()))
            .map(|(position, r)| {
                let mut item = new_item(&review, &r.code, &r.group, position, actor, now);
                // A catalogue the regime's systems must meet by a date: that date is each
                // requirement's target until someone sets an earlier one.
                item.target_date = review.due_on;
                if let Some(old) = carried.get(&r.code) {
                    item.how_met = old.how_met.clone();
                    item.na_reason = old.na_reason.clone();
                    item.responsible_id = old.responsible_id.clone();
                    item.target_date = old.target_date.or(review.due_on);
                }
                item
            })
            .collect();
        repo::insert_items(conn, &items)?;
        refresh_tallies(conn, &review.id)?;
        let scope = scope_of(conn, &row)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: &row.id,
                action: "compliance_review_started",
                before: previous
                    .as_ref()
                    .map(|p| serde_json::json!({ "review_id": p.id, "year": p.year })),
                after: Some(serde_json::json!({
                    "review_id": review.id,
                    "baseline": b.id,
                    "year": year,
                    "level": level,
                    "level_source": source,
                    "requirements": items.len(),
                    "copied_from": review.previous_id,
                })),
                scope_path: &scope,
            },
        )?;
        checklist_view(conn, registry, &row, b, &review, true, today)
    })
}

fn new_item(
    review: &ReviewRow,
    code: &str,
    group: &str,
    position: usize,
    actor: &Actor,
    now: chrono::NaiveDateTime,
) -> ItemRow {
    ItemRow {
        id: db::new_id(),
        review_id: review.id.clone(),
        system_id: review.system_id.clone(),
        requirement_code: code.to_string(),
        group_code: group.to_string(),
        position: i32::try_from(position).unwrap_or(i32::MAX),
        status: ComplianceStatus::ToReview.as_str().into(),
        na_reason: None,
        how_met: None,
        responsible_id: None,
        target_date: None,
        updated_by: actor.user_id.clone(),
        updated_at: now,
    }
}

/// Takes a system's current reviews out of its owner's roll-up (before the owner changes or the
/// system is deleted).
pub fn roll_out_system(conn: &mut AnyConn, system_id: &str) -> Result<(), AppError> {
    let ids = rollups::current_ids(conn, system_id)?;
    rollups::organization_totals(conn, &ids, -1)?;
    Ok(())
}

/// Puts a system's current reviews into its (new) owner's roll-up.
pub fn roll_in_system(conn: &mut AnyConn, system_id: &str) -> Result<(), AppError> {
    let ids = rollups::current_ids(conn, system_id)?;
    rollups::organization_totals(conn, &ids, 1)?;
    Ok(())
}

/// Recounts a review's answers per group (a few dozen rows) into its tallies, its totals and
/// its owner's roll-up.
pub(super) fn refresh_tallies(conn: &mut AnyConn, review_id: &str) -> Result<(), AppError> {
    let one = [review_id.to_string()];
    rollups::organization_totals(conn, &one, -1)?;
    let mut by_group: BTreeMap<String, Tally> = BTreeMap::new();
    for item in repo::items(conn, review_id)? {
        let status = ComplianceStatus::parse(&item.status).unwrap_or(ComplianceStatus::ToReview);
        by_group.entry(item.group_code).or_default().count(status);
    }
    let n = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
    let rows: Vec<TallyRow> = by_group
        .into_iter()
        .map(|(group_code, t)| TallyRow {
            review_id: review_id.to_string(),
            group_code,
            total: n(t.total),
            met: n(t.met),
            partial: n(t.partial),
            not_met: n(t.not_met),
            not_applicable: n(t.not_applicable),
            to_review: n(t.to_review),
        })
        .collect();
    repo::replace_tallies(conn, review_id, &rows)?;
    rollups::review_totals(conn, &one)?;
    rollups::organization_totals(conn, &one, 1)?;
    Ok(())
}

/// Keeps the current checklists of a system in step with its level and hosting, inside the
/// transaction that changed them: requirements that no longer apply are dropped (listed in the
/// audit row), new ones are added "to review", answers to those that stay are kept.
pub fn sync_system(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    row: &SystemRow,
) -> Result<(), AppError> {
    let reviews = repo::current_for_system(conn, &row.id)?;
    if reviews.is_empty() {
        return Ok(());
    }
    let Some((level, source)) = level_of(row) else {
        return Ok(());
    };
    let relevant = applicable(registry, &row.regime_id);
    for mut review in reviews {
        let Some(a) = relevant
            .iter()
            .find(|a| a.baseline.id == review.baseline_id)
        else {
            // A catalogue of a regime the system left: kept as it was, for the record.
            continue;
        };
        let same_scope =
            review.level == i32::from(level) && review.hosting_kind == row.hosting_kind;
        if same_scope && review.level_source == source {
            continue;
        }
        let now = db::now();
        let (mut added, mut dropped) = (Vec::new(), Vec::new());
        if !same_scope {
            let items = repo::items(conn, &review.id)?;
            let keep: Vec<(usize, &crate::rules::baseline::Requirement)> = a
                .baseline
                .requirements
                .iter()
                .enumerate()
                .filter(|(_, r)| r.applies(level, row.hosting_kind.as_deref()))
                .collect();
            let stale: Vec<String> = items
                .iter()
                .filter(|i| !keep.iter().any(|(_, r)| r.code == i.requirement_code))
                .map(|i| {
                    dropped.push(i.requirement_code.clone());
                    i.id.clone()
                })
                .collect();
            repo::delete_items(conn, &stale)?;
            let new_rows: Vec<ItemRow> = keep
                .iter()
                .filter(|(_, r)| !items.iter().any(|i| i.requirement_code == r.code))
                .map(|(position, r)| {
                    added.push(r.code.clone());
                    let mut item = new_item(&review, &r.code, &r.group, *position, actor, now);
                    item.target_date = review.due_on;
                    item
                })
                .collect();
            repo::insert_items(conn, &new_rows)?;
        }
        let before = serde_json::json!({ "level": review.level, "level_source": review.level_source, "hosting_kind": review.hosting_kind });
        review.level = i32::from(level);
        review.level_source = source.into();
        review.hosting_kind = row.hosting_kind.clone();
        review.updated_at = now;
        repo::update_review(conn, &review)?;
        refresh_tallies(conn, &review.id)?;
        let scope = scope_of(conn, row)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "system",
                entity_id: &row.id,
                action: "compliance_checklist_regenerated",
                before: Some(before),
                after: Some(serde_json::json!({
                    "review_id": review.id,
                    "baseline": review.baseline_id,
                    "level": level,
                    "level_source": source,
                    "hosting_kind": row.hosting_kind,
                    "added": added,
                    "dropped": dropped,
                })),
                scope_path: &scope,
            },
        )?;
    }
    Ok(())
}
