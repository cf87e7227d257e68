//! The engine: `SystemFacts` → `Classification` under one pack. Pure and deterministic: no
//! I/O, no clock (the date of the determination is an argument).

use std::borrow::Cow;

use chrono::NaiveDate;

use super::duties::AppliedEscalation;
use super::model::RulePack;
use super::result::{Classification, ComponentResult, Matched, Question, RegimeRef, Status};
use super::schema::{FactView, VocabularyKind};
use crate::domain::SystemFacts;
use crate::error::FieldErrors;

/// What one system (or component) yields before procedures are attached.
struct Outcome<'p> {
    level: Option<u8>,
    status: Status,
    matched: Vec<Matched<'p>>,
    minimums: Vec<Matched<'p>>,
    components: Vec<ComponentResult<'p>>,
    questions: Vec<Question<'p>>,
    warnings: Vec<Cow<'p, str>>,
}

/// Checks the facts, then classifies them under `pack` as of `date`.
pub fn classify<'p>(
    pack: &'p RulePack,
    facts: &SystemFacts,
    date: NaiveDate,
) -> Result<Classification<'p>, FieldErrors> {
    let mut errors = FieldErrors::new();
    facts.check("", &mut errors);
    check_vocabulary(pack, facts, "", &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let outcome = evaluate(pack, facts, date, "");
    let mut warnings = outcome.warnings;
    if !pack.in_force_on(date) {
        warnings.insert(0, Cow::Owned(out_of_force(pack, date)));
    }
    if outcome.level.is_none() {
        warnings.push(Cow::Borrowed(pack.undetermined.as_str()));
    }
    let escalation = outcome
        .level
        .and_then(|level| escalation(pack, facts, level));
    let procedure_level = escalation
        .as_ref()
        .map(|e| e.procedure_level)
        .or(outcome.level);
    let procedure = procedure_level.and_then(|l| pack.procedure(l));
    let applies = |levels: &[u8]| procedure_level.is_some_and(|l| levels.contains(&l));
    let mut combination = Vec::new();
    if outcome.matched.len() + outcome.minimums.len() > 1 {
        combination.push(&pack.highest);
    }
    if !outcome.components.is_empty() {
        combination.push(&pack.composite);
    }
    Ok(Classification {
        regime: RegimeRef {
            id: &pack.meta.id,
            version: &pack.meta.version,
            title: &pack.meta.title,
            effective_from: pack.meta.effective_from,
            effective_until: pack.meta.effective_until,
        },
        level: outcome.level,
        status: outcome.status,
        matched: outcome.matched,
        minimums: outcome.minimums,
        components: outcome.components,
        combination,
        questions: outcome.questions,
        warnings,
        authority: procedure.map(|p| &p.authority),
        dossier: procedure.map(|p| p.dossier.as_slice()).unwrap_or_default(),
        approval_dossier: procedure
            .map(|p| p.approval_dossier.as_slice())
            .unwrap_or_default(),
        time_limits: procedure
            .map(|p| p.time_limits.as_slice())
            .unwrap_or_default(),
        periodic_assessment: procedure.and_then(|p| p.periodic_assessment.as_ref()),
        procedure_level,
        escalation,
        obligations: pack
            .obligations
            .iter()
            .filter(|o| applies(&o.levels))
            .collect(),
        forms: pack.forms.iter().filter(|f| applies(&f.levels)).collect(),
        dossier_scope: procedure_level.and(pack.dossier_scope.as_ref()),
    })
}

/// The first escalation of the pack that applies to a system of `level` (e.g. NĐ331 Đ20 k4).
fn escalation<'p>(
    pack: &'p RulePack,
    facts: &SystemFacts,
    level: u8,
) -> Option<AppliedEscalation<'p>> {
    let view = FactView::new(facts, |kind, id| pack.vocabulary.code(kind, id));
    pack.escalations
        .iter()
        .find(|e| e.from_levels.contains(&level) && e.condition.holds(&view))
        .map(|e| AppliedEscalation {
            rule: &e.id,
            procedure_level: e.to_level,
            citation: &e.citation,
            summary: &e.summary,
            basis: e.basis,
        })
}

fn evaluate<'p>(
    pack: &'p RulePack,
    facts: &SystemFacts,
    date: NaiveDate,
    prefix: &str,
) -> Outcome<'p> {
    let view = FactView::new(facts, |kind, id| pack.vocabulary.code(kind, id));
    let matched: Vec<Matched<'p>> = pack
        .criteria
        .iter()
        .filter(|r| r.condition.holds(&view))
        .map(Matched)
        .collect();
    let minimums: Vec<Matched<'p>> = pack
        .minimums
        .iter()
        .filter(|r| r.in_force_on(date) && r.condition.holds(&view))
        .map(Matched)
        .collect();
    let mut warnings: Vec<Cow<'p, str>> = pack
        .warnings
        .iter()
        .filter(|w| w.condition.holds(&view))
        .map(|w| prefixed(prefix, &w.text))
        .collect();

    let mut components = Vec::with_capacity(facts.components.len());
    let mut questions = Vec::new();
    for (index, component) in facts.components.iter().enumerate() {
        let inner_prefix = format!("{prefix}components[{index}].");
        let inner = evaluate(pack, component, date, &inner_prefix);
        if inner.level.is_none() {
            warnings.push(Cow::Owned(format!(
                "Hệ thống thành phần {} chưa xác định được cấp độ theo tiêu chí; cấp độ chung cần được xem xét lại.",
                component_label(prefix, index)
            )));
        }
        questions.extend(inner.questions);
        warnings.extend(inner.warnings);
        components.push(ComponentResult {
            index,
            level: inner.level,
            status: inner.status,
            matched: inner.matched,
            minimums: inner.minimums,
            components: inner.components,
        });
    }

    let rule_levels = matched.iter().chain(&minimums).map(|m| m.0.level);
    let level = rule_levels
        .chain(components.iter().filter_map(|c| c.level))
        .max();

    let status = match level {
        None => Status::Undetermined,
        Some(level) => {
            let heuristic = matched
                .iter()
                .any(|m| m.0.basis == super::model::Basis::Heuristic);
            // The level stands on its own only if something that needs no human decision reaches it.
            let firm = matched
                .iter()
                .chain(&minimums)
                .any(|m| m.0.level == level && !m.0.needs_review())
                || components
                    .iter()
                    .any(|c| c.level == Some(level) && c.status == Status::Determined);
            let component_doubt = components.iter().any(|c| c.status != Status::Determined);
            if heuristic || !firm || component_doubt {
                Status::NeedsReview
            } else {
                Status::Determined
            }
        }
    };

    let current = level.unwrap_or(0);
    let own_questions = pack
        .questions
        .iter()
        .filter(|q| q.could_change_level_to > current && q.condition.holds(&view))
        .map(|q| Question {
            field: if prefix.is_empty() {
                Cow::Borrowed(q.field.as_str())
            } else {
                Cow::Owned(format!("{prefix}{}", q.field))
            },
            text: &q.text,
            could_change_level_to: q.could_change_level_to,
        });
    let mut all_questions: Vec<Question<'p>> = own_questions.collect();
    all_questions.extend(
        questions
            .into_iter()
            .filter(|q| q.could_change_level_to > current),
    );

    Outcome {
        level,
        status,
        matched,
        minimums,
        components,
        questions: all_questions,
        warnings,
    }
}

fn prefixed<'p>(prefix: &str, text: &'p str) -> Cow<'p, str> {
    if prefix.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("[{}] {text}", prefix.trim_end_matches('.')))
    }
}

fn component_label(prefix: &str, index: usize) -> String {
    format!("{prefix}components[{index}]")
}

fn out_of_force(pack: &RulePack, date: NaiveDate) -> String {
    let until = match pack.meta.effective_until {
        Some(u) => format!("{}", u.format("%d/%m/%Y")),
        None => "nay".to_string(),
    };
    let reported = match pack.meta.effective_until_basis {
        Some(super::model::Basis::Law) | None => "",
        Some(_) => " (thời điểm hết hiệu lực theo thông tin được báo cáo, chưa đối chiếu văn bản)",
    };
    format!(
        "Ngày xác định {} nằm ngoài thời gian hiệu lực của {} ({} – {}){reported}; kết quả chỉ để tham khảo hoặc đối chiếu.",
        date.format("%d/%m/%Y"),
        pack.meta.title,
        pack.meta.effective_from.format("%d/%m/%Y"),
        until
    )
}

/// `kind`, `tier` and `tags` must come from the pack's vocabulary.
fn check_vocabulary(pack: &RulePack, facts: &SystemFacts, prefix: &str, errors: &mut FieldErrors) {
    let known = |kind: VocabularyKind, id: &str| pack.vocabulary.code(kind, id).is_some();
    let list = |kind: VocabularyKind| {
        pack.vocabulary
            .terms(kind)
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut fail = |field: &str, message: String| {
        errors
            .entry(format!("{prefix}{field}"))
            .or_default()
            .push(message)
    };
    if let Some(kind) = facts
        .kind
        .as_deref()
        .filter(|k| !known(VocabularyKind::Kind, k))
    {
        fail(
            "kind",
            format!(
                "Loại hệ thống `{kind}` không có trong bộ quy tắc {}; chọn một trong: {}",
                pack.meta.id,
                list(VocabularyKind::Kind)
            ),
        );
    }
    if let Some(tier) = facts
        .tier
        .as_deref()
        .filter(|t| !known(VocabularyKind::Tier, t))
    {
        fail(
            "tier",
            format!(
                "Cấp hành chính `{tier}` không hợp lệ; chọn một trong: {}",
                list(VocabularyKind::Tier)
            ),
        );
    }
    for tag in facts
        .tags
        .iter()
        .filter(|t| !known(VocabularyKind::Tags, t))
    {
        fail(
            "tags",
            format!(
                "Nhãn `{tag}` không có trong bộ quy tắc {}; các nhãn: {}",
                pack.meta.id,
                list(VocabularyKind::Tags)
            ),
        );
    }
    for (i, component) in facts.components.iter().enumerate() {
        check_vocabulary(
            pack,
            component,
            &format!("{prefix}components[{i}]."),
            errors,
        );
    }
}
