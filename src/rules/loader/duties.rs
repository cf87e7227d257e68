//! Reads and checks the pack sections beyond criteria and levels: escalations, obligations,
//! forms, the dossier scope and the transition.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{at, Checker};
use crate::rules::condition::{compile, RawCondition, VocabularyLookup};
use crate::rules::duties::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEscalation {
    id: Spanned<String>,
    to_level: Spanned<i64>,
    from_levels: Vec<Spanned<i64>>,
    citation: String,
    summary: String,
    basis: Spanned<String>,
    when: RawCondition,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawObligation {
    id: Spanned<String>,
    title: String,
    citation: String,
    basis: Spanned<String>,
    #[serde(default)]
    levels: Option<Vec<Spanned<i64>>>,
    #[serde(default)]
    before_step: Option<String>,
    #[serde(default)]
    due_yearly: Option<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawForm {
    id: Spanned<String>,
    title: String,
    purpose: String,
    levels: Vec<Spanned<i64>>,
    citation: String,
    basis: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDossierScope {
    several_systems: bool,
    citation: String,
    summary: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTransitionRule {
    #[serde(default)]
    citation: Option<String>,
    summary: Spanned<String>,
    basis: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKeepApproved {
    approved_before: Spanned<String>,
    comply_by: Spanned<String>,
    #[serde(default)]
    citation: Option<String>,
    summary: Spanned<String>,
    basis: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInvestmentProjects {
    started_before: Spanned<String>,
    finish_under: Spanned<String>,
    approve_by: Spanned<String>,
    comply_by: Spanned<String>,
    #[serde(default)]
    citation: Option<String>,
    summary: Spanned<String>,
    basis: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTransition {
    predecessor: Spanned<String>,
    keep_approved: RawKeepApproved,
    #[serde(default)]
    investment_projects: Option<RawInvestmentProjects>,
    not_covered: RawTransitionRule,
    #[serde(default)]
    gap: Option<RawTransitionRule>,
    redetermination: RawTransitionRule,
}

impl Checker<'_> {
    fn levels(&mut self, raw: &[Spanned<i64>]) -> Vec<u8> {
        raw.iter().map(|l| self.level(l)).collect()
    }

    fn transition_rule(&mut self, raw: &RawTransitionRule) -> TransitionRule {
        self.rule_parts(&raw.citation, &raw.summary, &raw.basis)
    }

    fn rule_parts(
        &mut self,
        citation: &Option<String>,
        summary: &Spanned<String>,
        basis: &Spanned<String>,
    ) -> TransitionRule {
        self.required(
            &summary.value,
            at(summary),
            "summary của quy tắc chuyển tiếp",
        );
        TransitionRule {
            citation: citation.clone(),
            summary: summary.value.clone(),
            basis: self.basis(basis),
        }
    }

    fn date_or_default(&mut self, raw: &Spanned<String>, what: &str) -> NaiveDate {
        self.date(raw, what).unwrap_or_default()
    }
}

pub(super) fn escalations(
    c: &mut Checker,
    raw: &[RawEscalation],
    vocabulary: &dyn VocabularyLookup,
    unique: &mut dyn FnMut(&mut Checker, &Spanned<String>),
) -> Vec<Escalation> {
    let mut out = Vec::new();
    for e in raw {
        unique(c, &e.id);
        let to_level = c.level(&e.to_level);
        let from_levels = c.levels(&e.from_levels);
        if from_levels.is_empty() || from_levels.iter().any(|l| *l >= to_level) {
            c.error(
                at(&e.id),
                format!(
                    "`{}`: from_levels phải khác rỗng và thấp hơn to_level {to_level}",
                    e.id.value
                ),
            );
        }
        c.required(
            &e.citation,
            at(&e.id),
            &format!("citation của `{}`", e.id.value),
        );
        c.required(
            &e.summary,
            at(&e.id),
            &format!("summary của `{}`", e.id.value),
        );
        let basis = c.basis(&e.basis);
        match compile(&e.when, vocabulary, at(&e.id)) {
            Ok(condition) => out.push(Escalation {
                id: e.id.value.clone(),
                to_level,
                from_levels,
                citation: e.citation.clone(),
                summary: e.summary.clone(),
                basis,
                condition,
            }),
            Err(err) => c.error((err.line, err.column), err.message),
        }
    }
    out
}

pub(super) fn obligations(
    c: &mut Checker,
    raw: &[RawObligation],
    unique: &mut dyn FnMut(&mut Checker, &Spanned<String>),
) -> Vec<Obligation> {
    raw.iter()
        .map(|o| {
            unique(c, &o.id);
            c.required(&o.title, at(&o.id), &format!("title của `{}`", o.id.value));
            c.required(
                &o.citation,
                at(&o.id),
                &format!("citation của `{}`", o.id.value),
            );
            if let Some(due) = &o.due_yearly {
                let valid = NaiveDate::parse_from_str(&format!("2024-{}", due.value), "%Y-%m-%d");
                if valid.is_err() {
                    c.error(
                        at(due),
                        format!("due_yearly `{}` không phải ngày dạng MM-DD", due.value),
                    );
                }
            }
            Obligation {
                id: o.id.value.clone(),
                title: o.title.clone(),
                citation: o.citation.clone(),
                basis: c.basis(&o.basis),
                levels: match &o.levels {
                    Some(levels) => c.levels(levels),
                    None => vec![1, 2, 3, 4, 5],
                },
                before_step: o.before_step.clone(),
                due_yearly: o.due_yearly.as_ref().map(|d| d.value.clone()),
                note: o.note.clone(),
            }
        })
        .collect()
}

pub(super) fn forms(c: &mut Checker, raw: &[RawForm]) -> Vec<Form> {
    let mut seen = HashSet::new();
    raw.iter()
        .map(|f| {
            if !seen.insert(f.id.value.clone()) {
                c.error(at(&f.id), format!("mẫu `{}` bị trùng", f.id.value));
            }
            c.required(
                &f.title,
                at(&f.id),
                &format!("title của mẫu `{}`", f.id.value),
            );
            c.required(
                &f.citation,
                at(&f.id),
                &format!("citation của mẫu `{}`", f.id.value),
            );
            Form {
                id: f.id.value.clone(),
                title: f.title.clone(),
                purpose: f.purpose.clone(),
                levels: c.levels(&f.levels),
                citation: f.citation.clone(),
                basis: c.basis(&f.basis),
            }
        })
        .collect()
}

pub(super) fn dossier_scope(raw: &Option<RawDossierScope>) -> Option<DossierScope> {
    raw.as_ref().map(|d| DossierScope {
        several_systems: d.several_systems,
        citation: d.citation.clone(),
        summary: d.summary.clone(),
    })
}

pub(super) fn transition(c: &mut Checker, raw: &Option<RawTransition>) -> Option<Transition> {
    let t = raw.as_ref()?;
    let keep_approved = KeepApproved {
        approved_before: c.date_or_default(&t.keep_approved.approved_before, "approved_before"),
        comply_by: c.date_or_default(&t.keep_approved.comply_by, "comply_by"),
        rule: c.rule_parts(
            &t.keep_approved.citation,
            &t.keep_approved.summary,
            &t.keep_approved.basis,
        ),
    };
    let investment_projects = t.investment_projects.as_ref().map(|p| {
        let started_before = c.date_or_default(&p.started_before, "started_before");
        let approve_by = c.date_or_default(&p.approve_by, "approve_by");
        if approve_by < started_before {
            c.error(at(&p.approve_by), "approve_by trước started_before");
        }
        InvestmentProjects {
            started_before,
            finish_under: p.finish_under.value.clone(),
            approve_by,
            comply_by: c.date_or_default(&p.comply_by, "comply_by"),
            rule: c.rule_parts(&p.citation, &p.summary, &p.basis),
        }
    });
    if t.predecessor.value.trim().is_empty() {
        c.error(
            at(&t.predecessor),
            "thiếu predecessor (bộ quy tắc được thay thế)",
        );
    }
    Some(Transition {
        predecessor: t.predecessor.value.clone(),
        keep_approved,
        investment_projects,
        not_covered: c.transition_rule(&t.not_covered),
        gap: t.gap.as_ref().map(|g| c.transition_rule(g)),
        redetermination: c.transition_rule(&t.redetermination),
    })
}

/// Which pack ids a transition names; the registry checks they exist.
pub fn named_packs(t: &Transition) -> Vec<&str> {
    let mut ids = vec![t.predecessor.as_str()];
    if let Some(p) = &t.investment_projects {
        ids.push(p.finish_under.as_str());
    }
    ids
}
