//! Reads and checks the pack's `dossier:` section, and that it agrees with `levels:` and
//! `forms:` where both say the same thing.

use std::collections::HashSet;

use serde::Deserialize;
use serde_saphyr::Spanned;

mod checks;

use super::{at, Checker};
use crate::rules::calendar::DayUnit;
use crate::rules::dossier::*;
use crate::rules::duties::{DossierScope, Form};
use crate::rules::model::LevelProcedure;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDossier {
    several_systems: RawSeveralSystems,
    components: Vec<RawComponent>,
    #[serde(default)]
    forms: Vec<RawFormUse>,
    authorities: Vec<RawAuthority>,
    clocks: Vec<RawClock>,
    #[serde(default)]
    periodic: Vec<RawPeriodic>,
    #[serde(default)]
    redetermination: Option<RawRedetermination>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeveralSystems {
    allowed: Spanned<bool>,
    citation: String,
    basis: Spanned<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    id: Spanned<String>,
    title: String,
    citation: String,
    step: Spanned<String>,
    levels: Vec<Spanned<i64>>,
    required: bool,
    basis: Spanned<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormUse {
    form: Spanned<String>,
    step: Spanned<String>,
    #[serde(default)]
    component: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParty {
    role: Spanned<String>,
    description: String,
    #[serde(default)]
    unit: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthority {
    levels: Vec<Spanned<i64>>,
    #[serde(default)]
    opinion: Option<RawParty>,
    appraiser: RawParty,
    approvers: Vec<RawParty>,
    #[serde(default)]
    report_to: Option<RawParty>,
    citations: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClock {
    step: Spanned<String>,
    levels: Vec<Spanned<i64>>,
    length: Spanned<i64>,
    unit: Spanned<String>,
    citation: String,
    basis: Spanned<String>,
    #[serde(default)]
    judgement: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriodic {
    scope: Spanned<String>,
    #[serde(default)]
    levels: Vec<Spanned<i64>>,
    every_months: Spanned<i64>,
    citation: String,
    basis: Spanned<String>,
    adjustable: bool,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRedetermination {
    citation: String,
    summary: Spanned<String>,
    basis: Spanned<String>,
    #[serde(default)]
    triggers: Vec<RawTrigger>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrigger {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    citation: Option<String>,
    basis: Spanned<String>,
}

impl Checker<'_> {
    fn level_set(&mut self, raw: &[Spanned<i64>], near: (u64, u64), what: &str) -> Vec<u8> {
        if raw.is_empty() {
            self.error(near, format!("{what}: levels rỗng"));
        }
        raw.iter().map(|l| self.level(l)).collect()
    }

    fn step(&mut self, raw: &Spanned<String>, what: &str) -> DossierStep {
        DossierStep::parse(&raw.value).unwrap_or_else(|| {
            self.error(
                at(raw),
                format!(
                    "{what}: step `{}` không hợp lệ (proposal, appraisal, approval, reporting)",
                    raw.value
                ),
            );
            DossierStep::Proposal
        })
    }

    fn party(&mut self, raw: &RawParty, what: &str) -> Party {
        let role = Role::parse(&raw.role.value).unwrap_or_else(|| {
            self.error(at(&raw.role), format!("{what}: role `{}` không hợp lệ (operating_unit, security_unit, owner, national_appraiser, prime_minister)", raw.role.value));
            Role::Owner
        });
        self.required(
            &raw.description,
            at(&raw.role),
            &format!("{what}: description"),
        );
        if let Some(unit) = &raw.unit {
            self.required(unit, at(&raw.role), &format!("{what}: unit"));
        }
        Party {
            role,
            description: raw.description.clone(),
            unit: raw.unit.clone(),
        }
    }

    fn positive(&mut self, raw: &Spanned<i64>, what: &str) -> u32 {
        match u32::try_from(raw.value) {
            Ok(n @ 1..) => n,
            _ => {
                self.error(
                    at(raw),
                    format!("{what} phải là số nguyên dương (được {})", raw.value),
                );
                1
            }
        }
    }
}

pub(super) fn dossier(
    c: &mut Checker,
    raw: &Option<RawDossier>,
    forms: &[Form],
    levels: &[LevelProcedure],
    scope: Option<&DossierScope>,
) -> Option<Dossier> {
    let raw = raw.as_ref()?;
    let several = &raw.several_systems;
    c.required(
        &several.citation,
        at(&several.allowed),
        "dossier.several_systems: citation",
    );
    if let Some(scope) = scope.filter(|s| s.several_systems != several.allowed.value) {
        c.error(
            at(&several.allowed),
            format!(
                "dossier.several_systems.allowed = {} mâu thuẫn với dossier_scope.several_systems = {}",
                several.allowed.value, scope.several_systems
            ),
        );
    }
    let several_systems = SeveralSystems {
        allowed: several.allowed.value,
        citation: several.citation.clone(),
        basis: c.basis(&several.basis),
        note: several.note.clone(),
    };
    let anchor = raw.components.first().map(|x| at(&x.id)).unwrap_or((0, 0));
    let mut ids = HashSet::new();
    let mut components = Vec::new();
    for x in &raw.components {
        let what = format!("dossier.components `{}`", x.id.value);
        if x.id.value.trim().is_empty() || !ids.insert(x.id.value.clone()) {
            c.error(at(&x.id), format!("{what}: id rỗng hoặc bị trùng"));
        }
        c.required(&x.title, at(&x.id), &format!("{what}: title"));
        c.required(&x.citation, at(&x.id), &format!("{what}: citation"));
        components.push(Component {
            id: x.id.value.clone(),
            title: x.title.clone(),
            citation: x.citation.clone(),
            step: c.step(&x.step, &what),
            levels: c.level_set(&x.levels, at(&x.id), &what),
            required: x.required,
            basis: c.basis(&x.basis),
            note: x.note.clone(),
        });
    }

    let mut seen_forms = HashSet::new();
    let mut form_uses = Vec::new();
    for f in &raw.forms {
        let what = format!("dossier.forms `{}`", f.form.value);
        if !forms.iter().any(|p| p.id == f.form.value) {
            c.error(
                at(&f.form),
                format!("{what}: không có mẫu này trong forms của bộ quy tắc"),
            );
        }
        if !seen_forms.insert(f.form.value.clone()) {
            c.error(at(&f.form), format!("{what}: khai báo hai lần"));
        }
        if let Some(comp) = &f.component {
            if !ids.contains(&comp.value) {
                c.error(
                    at(comp),
                    format!(
                        "{what}: component `{}` không có trong dossier.components",
                        comp.value
                    ),
                );
            }
        }
        form_uses.push(FormUse {
            form: f.form.value.clone(),
            step: c.step(&f.step, &what),
            component: f.component.as_ref().map(|x| x.value.clone()),
        });
    }

    let mut authorities = Vec::new();
    for a in &raw.authorities {
        let near = at(&a.appraiser.role);
        let lv = c.level_set(&a.levels, near, "dossier.authorities");
        let what = format!("dossier.authorities (cấp độ {lv:?})");
        if a.approvers.is_empty() {
            c.error(near, format!("{what}: approvers rỗng"));
        }
        if a.citations.is_empty() {
            c.error(near, format!("{what}: thiếu citations"));
        }
        authorities.push(LevelAuthority {
            levels: lv,
            opinion: a
                .opinion
                .as_ref()
                .map(|p| c.party(p, &format!("{what}.opinion"))),
            appraiser: c.party(&a.appraiser, &format!("{what}.appraiser")),
            approvers: a
                .approvers
                .iter()
                .map(|p| c.party(p, &format!("{what}.approvers")))
                .collect(),
            report_to: a
                .report_to
                .as_ref()
                .map(|p| c.party(p, &format!("{what}.report_to"))),
            citations: a.citations.clone(),
            note: a.note.clone(),
        });
    }

    let mut clocks = Vec::new();
    for k in &raw.clocks {
        let what = format!("dossier.clocks `{}`", k.step.value);
        let step = ClockStep::parse(&k.step.value).unwrap_or_else(|| {
            c.error(
                at(&k.step),
                format!("{what}: step không hợp lệ (validity_check, appraisal, approval)"),
            );
            ClockStep::Approval
        });
        let unit = DayUnit::parse(&k.unit.value).unwrap_or_else(|| {
            c.error(
                at(&k.unit),
                format!(
                    "{what}: unit `{}` không hợp lệ (working_days, calendar_days)",
                    k.unit.value
                ),
            );
            DayUnit::Working
        });
        c.required(&k.citation, at(&k.step), &format!("{what}: citation"));
        clocks.push(Clock {
            step,
            levels: c.level_set(&k.levels, at(&k.step), &what),
            length: c.positive(&k.length, &format!("{what}: length")),
            unit,
            citation: k.citation.clone(),
            basis: c.basis(&k.basis),
            judgement: k.judgement.clone(),
        });
    }

    let mut periodic = Vec::new();
    for p in &raw.periodic {
        let what = format!("dossier.periodic `{}`", p.scope.value);
        let scope = match p.scope.value.as_str() {
            "system" => AssessmentScope::System,
            "agency" => AssessmentScope::Agency,
            _ => {
                c.error(
                    at(&p.scope),
                    format!("{what}: scope không hợp lệ (system, agency)"),
                );
                AssessmentScope::System
            }
        };
        let lv = match scope {
            AssessmentScope::System => c.level_set(&p.levels, at(&p.scope), &what),
            AssessmentScope::Agency if !p.levels.is_empty() => {
                c.error(
                    at(&p.scope),
                    format!("{what}: phạm vi agency không có levels"),
                );
                Vec::new()
            }
            AssessmentScope::Agency => Vec::new(),
        };
        c.required(&p.citation, at(&p.scope), &format!("{what}: citation"));
        periodic.push(PeriodicDefault {
            scope,
            levels: lv,
            every_months: c.positive(&p.every_months, &format!("{what}: every_months")),
            citation: p.citation.clone(),
            basis: c.basis(&p.basis),
            adjustable: p.adjustable,
            note: p.note.clone(),
        });
    }

    let redetermination = raw.redetermination.as_ref().map(|r| {
        c.required(
            &r.summary.value,
            at(&r.summary),
            "dossier.redetermination: summary",
        );
        c.required(
            &r.citation,
            at(&r.summary),
            "dossier.redetermination: citation",
        );
        let mut seen = HashSet::new();
        let triggers = r
            .triggers
            .iter()
            .map(|t| {
                if !seen.insert(t.id.value.clone()) {
                    c.error(
                        at(&t.id),
                        format!(
                            "dossier.redetermination.triggers: id `{}` bị trùng",
                            t.id.value
                        ),
                    );
                }
                c.required(
                    &t.title,
                    at(&t.id),
                    &format!("dossier.redetermination.triggers `{}`: title", t.id.value),
                );
                Trigger {
                    id: t.id.value.clone(),
                    title: t.title.clone(),
                    citation: t.citation.clone(),
                    basis: c.basis(&t.basis),
                }
            })
            .collect();
        Redetermination {
            citation: r.citation.clone(),
            summary: r.summary.value.clone(),
            basis: c.basis(&r.basis),
            triggers,
        }
    });

    let d = Dossier {
        several_systems,
        components,
        forms: form_uses,
        authorities,
        clocks,
        periodic,
        redetermination,
    };
    checks::coverage(c, &d, anchor);
    checks::against_levels(c, &d, levels, anchor);
    Some(d)
}
