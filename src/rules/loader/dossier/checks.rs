//! Whole-section checks of `dossier:`: coverage of the five levels, and agreement with `levels:`.

use std::collections::HashSet;

use crate::rules::calendar::DayUnit;
use crate::rules::dossier::{AssessmentScope, ClockStep, Dossier, DossierStep};
use crate::rules::loader::Checker;
use crate::rules::model::LevelProcedure;

/// Each level has one authority, a proposal checklist, and no step or interval twice.
pub(super) fn coverage(c: &mut Checker, d: &Dossier, near: (u64, u64)) {
    for level in 1..=5u8 {
        let n = d
            .authorities
            .iter()
            .filter(|a| a.levels.contains(&level))
            .count();
        if n != 1 {
            c.error(
                near,
                format!("dossier.authorities: cấp độ {level} được khai báo {n} lần (cần đúng 1)"),
            );
        }
        if !d
            .components(level, DossierStep::Proposal)
            .any(|x| x.required)
        {
            c.error(near, format!("dossier.components: cấp độ {level} không có thành phần bắt buộc nào của hồ sơ đề xuất"));
        }
        for step in [
            ClockStep::ValidityCheck,
            ClockStep::Appraisal,
            ClockStep::Approval,
        ] {
            let n = d
                .clocks
                .iter()
                .filter(|k| k.step == step && k.levels.contains(&level))
                .count();
            if n > 1 {
                c.error(
                    near,
                    format!(
                        "dossier.clocks: thời hạn `{}` của cấp độ {level} khai báo {n} lần",
                        step.id()
                    ),
                );
            }
        }
        let n = d
            .periodic
            .iter()
            .filter(|p| p.levels.contains(&level))
            .count();
        if n > 1 {
            c.error(
                near,
                format!("dossier.periodic: cấp độ {level} khai báo {n} lần"),
            );
        }
    }
    if d.periodic
        .iter()
        .filter(|p| p.scope == AssessmentScope::Agency)
        .count()
        > 1
    {
        c.error(near, "dossier.periodic: phạm vi agency khai báo nhiều lần");
    }
}

/// `levels:` (read by the classification result) and `dossier:` must not drift apart.
pub(super) fn against_levels(
    c: &mut Checker,
    d: &Dossier,
    levels: &[LevelProcedure],
    near: (u64, u64),
) {
    for (i, p) in levels.iter().enumerate() {
        let level = i as u8 + 1;
        let mut legacy_steps = HashSet::new();
        for t in &p.time_limits {
            let (Some(step), Some(unit)) = (ClockStep::parse(&t.step), DayUnit::parse(&t.unit))
            else {
                continue;
            };
            legacy_steps.insert(step);
            match d.clock(step, level) {
                Some(k) if k.length == t.limit && k.unit == unit => {}
                Some(k) => c.error(near, format!(
                    "dossier.clocks: thời hạn `{}` của cấp độ {level} là {} {}, khác levels ({} {})",
                    t.step, k.length, k.unit.label(), t.limit, t.unit
                )),
                None => c.error(near, format!("dossier.clocks: thiếu thời hạn `{}` của cấp độ {level} (có trong levels)", t.step)),
            }
        }
        for k in d.clocks.iter().filter(|k| k.levels.contains(&level)) {
            if !legacy_steps.contains(&k.step) {
                c.error(
                    near,
                    format!(
                        "dossier.clocks: thời hạn `{}` của cấp độ {level} không có trong levels",
                        k.step.id()
                    ),
                );
            }
        }
        for item in &p.dossier {
            if d.components(level, DossierStep::Proposal)
                .all(|x| x.id != item.component)
            {
                c.error(near, format!("dossier.components: thiếu `{}` (hồ sơ đề xuất cấp độ {level} trong levels)", item.component));
            }
        }
        for item in &p.approval_dossier {
            let found = [DossierStep::Appraisal, DossierStep::Approval]
                .into_iter()
                .any(|s| d.components(level, s).any(|x| x.id == item.component));
            if !found {
                c.error(near, format!("dossier.components: thiếu `{}` (hồ sơ phê duyệt cấp độ {level} trong levels)", item.component));
            }
        }
        if let Some(pa) = &p.periodic_assessment {
            match d.periodic(AssessmentScope::System, level) {
                Some(x) if x.every_months == pa.every_months => {}
                other => {
                    c.error(
                        near,
                        format!(
                    "dossier.periodic: chu kỳ của cấp độ {level} là {}, khác levels ({} tháng)",
                    other.map_or("không có".to_string(), |x| format!("{} tháng", x.every_months)),
                    pa.every_months
                ),
                    )
                }
            }
        }
    }
}
