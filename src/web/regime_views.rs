//! What the regime comparison and the regime-change report show, in Vietnamese: both results
//! side by side with the clauses that differ, the direction of the change, the actions due and
//! the transition stored with the system's own result.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;

use super::system_panel::{basis_label, QuestionView, ResultView, RuleView};
use super::system_views::date_vn;
use crate::rules::change::{Cause, Direction};
use crate::rules::transition::Route;
use crate::services::regime_report::{Action, ReportHeader, ReportRow, SystemComparison};

/// A badge class per direction; the label always carries the meaning (not colour alone).
pub fn direction_badge(d: Direction) -> &'static str {
    match d {
        Direction::Up => "badge-warning",
        Direction::Down => "badge-info",
        Direction::Same => "badge-success",
        Direction::Undetermined => "badge-neutral",
    }
}

/// The query value of a direction (as `Direction::parse` reads it).
pub fn direction_code(d: Direction) -> &'static str {
    match d {
        Direction::Up => "up",
        Direction::Down => "down",
        Direction::Same => "same",
        Direction::Undetermined => "undetermined",
    }
}

fn route_text(code: &str) -> &'static str {
    match code {
        "keeps_approved" => "Giữ cấp độ đã được phê duyệt theo văn bản cũ",
        "investment_project" => {
            "Dự án đầu tư, xây dựng trước ngày 01/07/2026: hoàn thành thẩm định, phê duyệt theo văn bản cũ"
        }
        "gap" => "Ngày xác định nằm giữa hai văn bản (văn bản cũ đã hết hiệu lực, văn bản mới chưa có hiệu lực)",
        _ => "Xác định theo văn bản đang có hiệu lực",
    }
}

pub fn route_label(route: Route) -> &'static str {
    route_text(match route {
        Route::InForce => "in_force",
        Route::KeepsApproved => "keeps_approved",
        Route::InvestmentProject => "investment_project",
        Route::Gap => "gap",
    })
}

/// One clause of a result, marked when the other result has no clause with the same citation
/// and level.
pub struct ClauseRow {
    pub level: u8,
    pub citation: String,
    pub summary: String,
    pub basis: &'static str,
    pub caution: bool,
    /// A minimum level set by another instrument.
    pub minimum: bool,
    pub differs: bool,
    /// At the result's final level: this clause sets the level.
    pub decides: bool,
    pub note: Option<String>,
}

/// One regime's result, as a column of the comparison.
pub struct RegimeColumn {
    pub title: String,
    /// "Đã hết hiệu lực" or "Đang có hiệu lực".
    pub standing: &'static str,
    pub level: Option<u8>,
    pub status_label: &'static str,
    pub status_badge: &'static str,
    pub clauses: Vec<ClauseRow>,
    pub differing: usize,
    pub questions: Vec<QuestionView>,
    pub warnings: Vec<String>,
}

type Key = (String, u8);

fn keys(r: &ResultView) -> HashSet<Key> {
    r.matched
        .iter()
        .chain(&r.minimums)
        .map(|m| (m.citation.clone(), m.level))
        .collect()
}

fn column(r: ResultView, standing: &'static str, other: &HashSet<Key>) -> RegimeColumn {
    let level = r.level;
    let clause = |m: RuleView, minimum: bool| ClauseRow {
        differs: !other.contains(&(m.citation.clone(), m.level)),
        decides: Some(m.level) == level,
        basis: m.basis_label(),
        caution: m.basis_caution(),
        minimum,
        level: m.level,
        citation: m.citation,
        summary: m.summary,
        note: m.note,
    };
    let status_label = r.status_label();
    let status_badge = r.status_badge();
    let mut clauses: Vec<ClauseRow> = r.matched.into_iter().map(|m| clause(m, false)).collect();
    clauses.extend(r.minimums.into_iter().map(|m| clause(m, true)));
    RegimeColumn {
        title: r.regime.title,
        standing,
        level,
        status_label,
        status_badge,
        differing: clauses.iter().filter(|c| c.differs).count(),
        clauses,
        questions: r.questions,
        warnings: r.warnings,
    }
}

/// A clause behind a change of level, with the regime it belongs to.
pub struct CauseRow {
    pub regime: String,
    pub level: u8,
    pub citation: String,
    pub summary: String,
}

fn regime_title(header: &ReportHeader, id: &str) -> String {
    if id == header.old_regime {
        header.old_title.clone()
    } else if id == header.new_regime {
        header.new_title.clone()
    } else {
        id.to_string()
    }
}

fn causes(header: &ReportHeader, causes: &[Cause]) -> Vec<CauseRow> {
    causes
        .iter()
        .map(|c| CauseRow {
            regime: regime_title(header, &c.regime),
            level: c.level,
            citation: c.citation.clone(),
            summary: c.summary.clone(),
        })
        .collect()
}

/// A step due, with its date as dd/mm/yyyy ("" when the law sets none).
pub struct ActionRow {
    pub title: String,
    pub due: String,
    pub citation: String,
}

fn actions(actions: &[Action]) -> Vec<ActionRow> {
    actions
        .iter()
        .map(|a| ActionRow {
            title: a.title.clone(),
            due: a.due.map(date_vn).unwrap_or_default(),
            citation: a.citation.clone().unwrap_or_default(),
        })
        .collect()
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PlanJson {
    regime: String,
    route: String,
    deadlines: Vec<DeadlineJson>,
    notes: Vec<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct DeadlineJson {
    due: Option<NaiveDate>,
    title: String,
    citation: Option<String>,
    basis: String,
}

pub struct DeadlineRow {
    pub title: String,
    pub due: String,
    pub citation: String,
    pub basis: &'static str,
    pub caution: bool,
}

/// The transition stored with the system's own result at its last change.
pub struct StoredTransition {
    pub regime: String,
    pub route: &'static str,
    pub deadlines: Vec<DeadlineRow>,
    pub notes: Vec<String>,
}

impl StoredTransition {
    /// Reads `transition` of a stored result; `None` for results stored before it existed.
    pub fn from_result(result: &serde_json::Value, header: &ReportHeader) -> Option<Self> {
        let plan: PlanJson = serde_json::from_value(result.get("transition")?.clone()).ok()?;
        Some(Self {
            regime: regime_title(header, &plan.regime),
            route: route_text(&plan.route),
            deadlines: plan
                .deadlines
                .into_iter()
                .map(|d| DeadlineRow {
                    due: d.due.map(date_vn).unwrap_or_default(),
                    basis: basis_label(&d.basis),
                    caution: d.basis != "law",
                    title: d.title,
                    citation: d.citation.unwrap_or_default(),
                })
                .collect(),
            notes: plan.notes,
        })
    }
}

/// Everything the comparison fragment shows.
pub struct Comparison {
    pub system_id: String,
    pub system_name: String,
    pub date: String,
    pub old: RegimeColumn,
    pub new: RegimeColumn,
    pub direction: &'static str,
    pub direction_badge: &'static str,
    pub direction_code: &'static str,
    pub from: Option<u8>,
    pub to: Option<u8>,
    pub needs_review: bool,
    pub causes: Vec<CauseRow>,
    pub missing: Vec<&'static str>,
    pub approved: Option<i32>,
    pub route: &'static str,
    pub actions: Vec<ActionRow>,
    pub stored: Option<StoredTransition>,
}

impl Comparison {
    /// The lapsed regime's column, then the one in force.
    pub fn columns(&self) -> [&RegimeColumn; 2] {
        [&self.old, &self.new]
    }

    /// `stored` is the system's own stored result (with its `transition`).
    pub fn new(c: SystemComparison, stored: &serde_json::Value) -> Self {
        let mut results = c
            .results
            .iter()
            .map(|v| ResultView::from_json(v).unwrap_or_default());
        let old = results.next().unwrap_or_default();
        let new = results.next().unwrap_or_default();
        let (old_keys, new_keys) = (keys(&old), keys(&new));
        let header = &c.header;
        Self {
            system_id: c.row.system_id.clone(),
            system_name: c.row.name.clone(),
            date: date_vn(header.date),
            old: column(old, "Đã hết hiệu lực", &new_keys),
            new: column(new, "Đang có hiệu lực", &old_keys),
            direction: c.change.direction.label(),
            direction_badge: direction_badge(c.change.direction),
            direction_code: direction_code(c.change.direction),
            from: c.change.from,
            to: c.change.to,
            needs_review: c.change.needs_review,
            causes: causes(header, &c.change.causes),
            missing: c.row.missing.iter().map(|m| m.label).collect(),
            approved: c.row.approved_level,
            route: route_label(c.row.route),
            actions: actions(&c.row.actions),
            stored: StoredTransition::from_result(stored, header),
        }
    }
}

/// One row of the regime-change report.
pub struct ReportLine {
    pub id: String,
    pub name: String,
    pub org: String,
    pub approved: Option<i32>,
    pub old_level: Option<u8>,
    pub new_level: Option<u8>,
    pub direction: &'static str,
    pub direction_badge: &'static str,
    pub needs_review: bool,
    pub causes: Vec<CauseRow>,
    pub missing: Vec<&'static str>,
    pub actions: Vec<ActionRow>,
}

impl ReportLine {
    pub fn new(row: &ReportRow, header: &ReportHeader) -> Self {
        Self {
            id: row.system_id.clone(),
            name: row.name.clone(),
            org: row.organization_name.clone(),
            approved: row.approved_level,
            old_level: row.old_level,
            new_level: row.new_level,
            direction: row.direction.label(),
            direction_badge: direction_badge(row.direction),
            needs_review: row.needs_review,
            causes: causes(header, &row.causes),
            missing: row.missing.iter().map(|m| m.label).collect(),
            actions: actions(&row.actions),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(citation: &str, level: u8) -> RuleView {
        RuleView {
            citation: citation.into(),
            level,
            basis: "law".into(),
            ..RuleView::default()
        }
    }

    #[test]
    fn clauses_in_both_results_are_not_marked() {
        let old = ResultView {
            level: Some(3),
            matched: vec![rule("Điều 9 khoản 2 điểm a NĐ 85", 3)],
            minimums: vec![rule("Điều 8 khoản 2 Thông tư 21/2023/TT-BTTTT", 3)],
            ..ResultView::default()
        };
        let new = ResultView {
            level: Some(2),
            matched: vec![rule("Điều 12 khoản 2 điểm a NĐ 331", 2)],
            minimums: vec![rule("Điều 8 khoản 2 Thông tư 21/2023/TT-BTTTT", 3)],
            ..ResultView::default()
        };
        let col = column(old, "Đã hết hiệu lực", &keys(&new));
        assert_eq!(col.differing, 1);
        assert!(col.clauses[0].differs && col.clauses[0].decides);
        assert!(!col.clauses[1].differs && col.clauses[1].minimum);
    }

    #[test]
    fn a_stored_transition_is_read_with_its_dates() {
        let header = ReportHeader {
            old_regime: "nd85-2016".into(),
            old_title: "Nghị định 85/2016/NĐ-CP".into(),
            new_regime: "nd331-2026".into(),
            new_title: "Nghị định 331/2026/NĐ-CP".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        };
        let result = serde_json::json!({ "transition": { "regime": "nd85-2016",
            "route": "keeps_approved", "notes": ["Giữ cấp độ"],
            "deadlines": [{ "kind": "comply_by", "due": "2027-07-01", "title": "Đáp ứng",
                "basis": "interpretation" }] } });
        let t = StoredTransition::from_result(&result, &header).unwrap();
        assert_eq!(t.regime, "Nghị định 85/2016/NĐ-CP");
        assert_eq!(t.deadlines[0].due, "01/07/2027");
        assert!(t.deadlines[0].caution);
        assert!(StoredTransition::from_result(&serde_json::json!({}), &header).is_none());
    }
}
