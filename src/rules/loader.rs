//! Reads rule packs from YAML and checks them against the facts schema: any error stops
//! start-up with the file, line and column.

use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::condition::{compile, RawCondition};
use super::model::*;
use super::schema::Field;

pub mod baseline;
mod dossier;
mod duties;
pub use duties::named_packs;

/// The tiers of the contract (§1); a pack may label them, not invent others.
pub const CONTRACT_TIERS: &[&str] = &[
    "central",
    "province",
    "department",
    "district",
    "commune",
    "enterprise",
];

/// One problem in a pack, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    id: Spanned<String>,
    title: String,
    name: String,
    number: String,
    issuer: String,
    #[serde(default)]
    signed_on: Option<String>,
    effective_from: Spanned<String>,
    #[serde(default)]
    effective_until: Option<Spanned<String>>,
    #[serde(default)]
    effective_until_basis: Option<String>,
    #[serde(default)]
    effective_until_note: Option<String>,
    #[serde(default)]
    sources: Vec<RawSource>,
    vocabulary: RawVocabulary,
    aggregation: RawAggregation,
    criteria: Vec<RawRule>,
    #[serde(default)]
    minimums: Vec<RawRule>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
    #[serde(default)]
    warnings: Vec<RawWarning>,
    undetermined: String,
    levels: Vec<RawLevel>,
    #[serde(default)]
    escalations: Vec<duties::RawEscalation>,
    #[serde(default)]
    obligations: Vec<duties::RawObligation>,
    #[serde(default)]
    forms: Vec<duties::RawForm>,
    #[serde(default)]
    dossier_scope: Option<duties::RawDossierScope>,
    #[serde(default)]
    transition: Option<duties::RawTransition>,
    #[serde(default)]
    dossier: Option<dossier::RawDossier>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    id: Spanned<String>,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVocabulary {
    #[serde(default)]
    kind: Vec<RawTerm>,
    #[serde(default)]
    tier: Vec<RawTerm>,
    #[serde(default)]
    tags: Vec<RawTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrinciple {
    citation: String,
    summary: String,
    basis: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAggregation {
    highest: RawPrinciple,
    composite: RawPrinciple,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    level: Spanned<i64>,
    citation: String,
    summary: String,
    basis: Spanned<String>,
    #[serde(default)]
    review: bool,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    instrument: Option<String>,
    #[serde(default)]
    effective_from: Option<Spanned<String>>,
    #[serde(default)]
    effective_until: Option<Spanned<String>>,
    when: RawCondition,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    field: Spanned<String>,
    text: String,
    could_change_level_to: Spanned<i64>,
    when: RawCondition,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWarning {
    id: Spanned<String>,
    text: String,
    when: RawCondition,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    level: Spanned<i64>,
    authority: RawAuthority,
    dossier: Vec<RawDossierItem>,
    #[serde(default)]
    approval_dossier: Vec<RawDossierItem>,
    #[serde(default)]
    time_limits: Vec<RawTimeLimit>,
    #[serde(default)]
    periodic_assessment: Option<RawPeriodic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthority {
    appraiser: String,
    approver: String,
    citations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDossierItem {
    component: String,
    title: String,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeLimit {
    step: String,
    limit: u32,
    unit: Spanned<String>,
    citation: String,
    #[serde(default)]
    basis: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriodic {
    every_months: u32,
    citation: String,
    #[serde(default)]
    basis: Option<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

/// Collects located errors while a pack is checked.
struct Checker<'a> {
    file: &'a str,
    errors: Vec<LoadError>,
}

impl Checker<'_> {
    fn error(&mut self, at: (u64, u64), message: impl Into<String>) {
        self.errors.push(LoadError {
            file: self.file.to_string(),
            line: at.0,
            column: at.1,
            message: message.into(),
        });
    }

    fn date(&mut self, raw: &Spanned<String>, what: &str) -> Option<NaiveDate> {
        let parsed = NaiveDate::parse_from_str(raw.value.trim(), "%Y-%m-%d").ok();
        if parsed.is_none() {
            self.error(
                at(raw),
                format!("{what} `{}` không phải ngày dạng YYYY-MM-DD", raw.value),
            );
        }
        parsed
    }

    fn level(&mut self, raw: &Spanned<i64>) -> u8 {
        match u8::try_from(raw.value) {
            Ok(l @ 1..=5) => l,
            _ => {
                self.error(
                    at(raw),
                    format!("cấp độ {} nằm ngoài khoảng 1–5", raw.value),
                );
                1
            }
        }
    }

    fn basis(&mut self, raw: &Spanned<String>) -> Basis {
        Basis::parse(&raw.value).unwrap_or_else(|| {
            self.error(
                at(raw),
                format!(
                    "basis `{}` không hợp lệ (law, interpretation, heuristic, secondary, reported)",
                    raw.value
                ),
            );
            Basis::Law
        })
    }

    fn required(&mut self, value: &str, near: (u64, u64), what: &str) {
        if value.trim().is_empty() {
            self.error(near, format!("thiếu {what}"));
        }
    }
}

fn at<T>(s: &Spanned<T>) -> (u64, u64) {
    (s.referenced.line(), s.referenced.column())
}

/// Parses and checks one pack; `file` names it in errors.
pub fn load_pack(file: &str, text: &str) -> Result<RulePack, Vec<LoadError>> {
    let raw: RawPack = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = e
            .to_string()
            .lines()
            .next()
            .unwrap_or("YAML không hợp lệ")
            .to_string();
        vec![LoadError {
            file: file.to_string(),
            line,
            column,
            message,
        }]
    })?;
    let mut c = Checker {
        file,
        errors: Vec::new(),
    };

    if raw.id.value.trim().is_empty() {
        c.error(at(&raw.id), "thiếu id của bộ quy tắc");
    }
    let effective_from = c.date(&raw.effective_from, "effective_from");
    let effective_until = raw
        .effective_until
        .as_ref()
        .and_then(|d| c.date(d, "effective_until"));
    if let (Some(from), Some(until), Some(raw_until)) =
        (effective_from, effective_until, &raw.effective_until)
    {
        if until < from {
            c.error(at(raw_until), "effective_until trước effective_from");
        }
    }
    if let Some(signed) = &raw.signed_on {
        if NaiveDate::parse_from_str(signed, "%Y-%m-%d").is_err() {
            c.error(
                at(&raw.id),
                format!("signed_on `{signed}` không phải ngày dạng YYYY-MM-DD"),
            );
        }
    }
    let effective_until_basis = raw.effective_until_basis.as_deref().map(|b| {
        Basis::parse(b).unwrap_or_else(|| {
            c.error(
                at(&raw.id),
                format!("effective_until_basis `{b}` không hợp lệ"),
            );
            Basis::Reported
        })
    });

    let vocabulary = vocabulary(&mut c, &raw.vocabulary);
    let principle = |c: &mut Checker, p: &RawPrinciple, rule: &str| Principle {
        rule: rule.to_string(),
        citation: p.citation.clone(),
        summary: p.summary.clone(),
        basis: c.basis(&p.basis),
    };
    let highest = principle(&mut c, &raw.aggregation.highest, "highest");
    let composite = principle(&mut c, &raw.aggregation.composite, "composite");

    let mut ids = HashSet::new();
    let mut unique = |c: &mut Checker, id: &Spanned<String>| {
        if id.value.trim().is_empty() {
            c.error(at(id), "thiếu id");
        } else if !ids.insert(id.value.clone()) {
            c.error(at(id), format!("id `{}` bị trùng", id.value));
        }
    };
    let mut rules = |c: &mut Checker, list: &[RawRule], minimum: bool| -> Vec<Rule> {
        list.iter()
            .filter_map(|r| {
                unique(c, &r.id);
                let level = c.level(&r.level);
                c.required(
                    &r.citation,
                    at(&r.id),
                    &format!("citation của `{}`", r.id.value),
                );
                c.required(
                    &r.summary,
                    at(&r.id),
                    &format!("summary của `{}`", r.id.value),
                );
                if minimum && r.instrument.as_deref().is_none_or(|i| i.trim().is_empty()) {
                    c.error(
                        at(&r.id),
                        format!(
                            "quy tắc cấp độ tối thiểu `{}` thiếu instrument (văn bản quy định)",
                            r.id.value
                        ),
                    );
                }
                let basis = c.basis(&r.basis);
                let effective_from = r
                    .effective_from
                    .as_ref()
                    .and_then(|d| c.date(d, "effective_from"));
                let effective_until = r
                    .effective_until
                    .as_ref()
                    .and_then(|d| c.date(d, "effective_until"));
                let condition = match compile(&r.when, &vocabulary, at(&r.id)) {
                    Ok(cond) => cond,
                    Err(e) => {
                        c.error((e.line, e.column), e.message);
                        return None;
                    }
                };
                Some(Rule {
                    id: r.id.value.clone(),
                    level,
                    citation: r.citation.clone(),
                    summary: r.summary.clone(),
                    basis,
                    review: r.review,
                    note: r.note.clone(),
                    instrument: r.instrument.clone(),
                    effective_from,
                    effective_until,
                    condition,
                })
            })
            .collect()
    };
    let criteria = rules(&mut c, &raw.criteria, false);
    let minimums = rules(&mut c, &raw.minimums, true);
    if raw.criteria.is_empty() {
        c.error(at(&raw.id), "bộ quy tắc không có tiêu chí nào");
    }

    let mut questions = Vec::new();
    for q in &raw.questions {
        unique(&mut c, &q.id);
        if Field::parse(&q.field.value).is_none() {
            c.error(
                at(&q.field),
                format!("trường `{}` không có trong SystemFacts", q.field.value),
            );
        }
        let level = c.level(&q.could_change_level_to);
        c.required(&q.text, at(&q.id), "text của câu hỏi");
        match compile(&q.when, &vocabulary, at(&q.id)) {
            Ok(condition) => questions.push(QuestionRule {
                id: q.id.value.clone(),
                field: q.field.value.clone(),
                text: q.text.clone(),
                could_change_level_to: level,
                condition,
            }),
            Err(e) => c.error((e.line, e.column), e.message),
        }
    }
    let mut warnings = Vec::new();
    for w in &raw.warnings {
        unique(&mut c, &w.id);
        c.required(&w.text, at(&w.id), "text của cảnh báo");
        match compile(&w.when, &vocabulary, at(&w.id)) {
            Ok(condition) => warnings.push(WarningRule {
                id: w.id.value.clone(),
                text: w.text.clone(),
                condition,
            }),
            Err(e) => c.error((e.line, e.column), e.message),
        }
    }
    c.required(
        &raw.undetermined,
        at(&raw.id),
        "undetermined (lời giải thích khi không tiêu chí nào áp dụng)",
    );

    let levels = procedures(&mut c, &raw);
    let escalations = duties::escalations(&mut c, &raw.escalations, &vocabulary, &mut unique);
    let obligations = duties::obligations(&mut c, &raw.obligations, &mut unique);
    let forms = duties::forms(&mut c, &raw.forms);
    let dossier_scope = duties::dossier_scope(&raw.dossier_scope);
    let transition = duties::transition(&mut c, &raw.transition);
    let dossier = dossier::dossier(
        &mut c,
        &raw.dossier,
        &forms,
        &levels,
        dossier_scope.as_ref(),
    );

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(RulePack {
        meta: PackMeta {
            id: raw.id.value.clone(),
            version: {
                use sha2::Digest;
                hex::encode(&sha2::Sha256::digest(text.as_bytes())[..6])
            },
            title: raw.title,
            name: raw.name,
            number: raw.number,
            issuer: raw.issuer,
            effective_from: effective_from.unwrap_or_default(),
            effective_until,
            effective_until_basis,
            effective_until_note: raw.effective_until_note,
            sources: raw
                .sources
                .into_iter()
                .map(|s| Source {
                    title: s.title,
                    url: s.url,
                })
                .collect(),
        },
        vocabulary,
        highest,
        composite,
        criteria,
        minimums,
        questions,
        warnings,
        undetermined: raw.undetermined,
        levels,
        escalations,
        obligations,
        forms,
        dossier_scope,
        dossier,
        transition,
        origin: file.to_string(),
    })
}

fn vocabulary(c: &mut Checker, raw: &RawVocabulary) -> Vocabulary {
    let mut terms = |list: &[RawTerm], what: &str, allowed: Option<&[&str]>| -> Vec<Term> {
        let mut seen = HashSet::new();
        if list.len() > 64 {
            c.error(
                list.first().map(|t| at(&t.id)).unwrap_or((0, 0)),
                format!("từ vựng {what} có tối đa 64 giá trị"),
            );
        }
        list.iter()
            .map(|t| {
                if !seen.insert(t.id.value.clone()) {
                    c.error(at(&t.id), format!("giá trị `{}` của từ vựng {what} bị trùng", t.id.value));
                }
                if allowed.is_some_and(|a| !a.contains(&t.id.value.as_str())) {
                    c.error(at(&t.id), format!("tier `{}` không có trong hợp đồng (central, province, department, district, commune, enterprise)", t.id.value));
                }
                if t.label.trim().is_empty() {
                    c.error(at(&t.id), format!("giá trị `{}` thiếu nhãn tiếng Việt", t.id.value));
                }
                Term { id: t.id.value.clone(), label: t.label.clone() }
            })
            .collect()
    };
    Vocabulary {
        kind: terms(&raw.kind, "kind", None),
        tier: terms(&raw.tier, "tier", Some(CONTRACT_TIERS)),
        tags: terms(&raw.tags, "tags", None),
    }
}

fn procedures(c: &mut Checker, raw: &RawPack) -> Vec<LevelProcedure> {
    let mut by_level: Vec<Option<LevelProcedure>> = vec![None, None, None, None, None];
    for l in &raw.levels {
        let level = c.level(&l.level);
        let slot = usize::from(level - 1);
        if by_level[slot].is_some() {
            c.error(
                at(&l.level),
                format!("cấp độ {level} được khai báo hai lần trong levels"),
            );
        }
        let dossier = |items: &[RawDossierItem]| {
            items
                .iter()
                .map(|d| DossierItem {
                    component: d.component.clone(),
                    title: d.title.clone(),
                    citation: d.citation.clone(),
                })
                .collect()
        };
        for item in l.dossier.iter().chain(&l.approval_dossier) {
            c.required(
                &item.citation,
                at(&l.level),
                &format!("citation của thành phần hồ sơ `{}`", item.component),
            );
        }
        let time_limits = l
            .time_limits
            .iter()
            .map(|t| {
                if !matches!(t.unit.value.as_str(), "days" | "working_days") {
                    c.error(
                        at(&t.unit),
                        format!(
                            "đơn vị `{}` không hợp lệ (days, working_days)",
                            t.unit.value
                        ),
                    );
                }
                c.required(
                    &t.citation,
                    at(&t.unit),
                    &format!("citation của thời hạn `{}`", t.step),
                );
                TimeLimit {
                    step: t.step.clone(),
                    limit: t.limit,
                    unit: t.unit.value.clone(),
                    citation: t.citation.clone(),
                    basis: t.basis.as_ref().map(|b| c.basis(b)),
                }
            })
            .collect();
        c.required(&l.authority.appraiser, at(&l.level), "authority.appraiser");
        c.required(&l.authority.approver, at(&l.level), "authority.approver");
        if l.authority.citations.is_empty() {
            c.error(
                at(&l.level),
                format!("authority của cấp độ {level} thiếu căn cứ (citations)"),
            );
        }
        by_level[slot] = Some(LevelProcedure {
            authority: Authority {
                appraiser: l.authority.appraiser.clone(),
                approver: l.authority.approver.clone(),
                citations: l.authority.citations.clone(),
            },
            dossier: dossier(&l.dossier),
            approval_dossier: dossier(&l.approval_dossier),
            time_limits,
            periodic_assessment: l.periodic_assessment.as_ref().map(|p| PeriodicAssessment {
                every_months: p.every_months,
                citation: p.citation.clone(),
                basis: p.basis.as_ref().map(|b| c.basis(b)),
                note: p.note.clone(),
            }),
        });
    }
    let mut out = Vec::new();
    for (i, slot) in by_level.into_iter().enumerate() {
        match slot {
            Some(p) => out.push(p),
            None => c.error(at(&raw.id), format!("levels thiếu cấp độ {}", i + 1)),
        }
    }
    out
}
