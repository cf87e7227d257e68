//! Tests of the shipped packs' dossier sections and of their validation.

use chrono::NaiveDate;

use super::*;
use crate::rules::calendar::Calendar;
use crate::rules::{load_pack, RulePack};

const ND85: &str = include_str!("../../../rules/nd85-2016.yaml");
const ND331: &str = include_str!("../../../rules/nd331-2026.yaml");

fn pack(text: &str) -> RulePack {
    load_pack("t.yaml", text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn dossier(text: &str) -> Dossier {
    pack(text)
        .dossier
        .expect("the shipped pack has a dossier section")
}

fn ids(d: &Dossier, level: u8, step: DossierStep) -> Vec<&str> {
    d.components(level, step).map(|c| c.id.as_str()).collect()
}

#[test]
fn decree_85_checklists_by_level() {
    let d = dossier(ND85);
    let base = ["overview", "design", "justification", "security_plan"];
    for level in 1..=3 {
        assert_eq!(ids(&d, level, DossierStep::Proposal), base, "level {level}");
    }
    for level in 4..=5 {
        let p = ids(&d, level, DossierStep::Proposal);
        assert!(p.contains(&"professional_opinion") && p.contains(&"extra_analysis"));
        assert!(d.requires(level, "professional_opinion"));
    }
    // Đ17 k1 b: the appraisal opinion from level 3.
    assert!(!d.requires(2, "appraisal_opinion"));
    assert!(d.requires(3, "appraisal_opinion"));
    assert!(d.requires(5, "appraisal_opinion"));
    assert_eq!(ids(&d, 1, DossierStep::Approval), ["proposal"]);
    let c = d
        .components
        .iter()
        .find(|c| c.id == "professional_opinion")
        .unwrap();
    assert!(c.citation.contains("Điều 15 khoản 5"));
}

#[test]
fn decree_85_clocks_and_their_units() {
    let d = dossier(ND85);
    let k = d.clock(ClockStep::Appraisal, 3).unwrap();
    assert_eq!((k.length, k.unit), (15, DayUnit::Calendar));
    assert!(k.judgement.as_deref().unwrap().contains("A12"));
    assert_eq!(k.basis, Basis::Interpretation);
    let k = d.clock(ClockStep::Appraisal, 4).unwrap();
    assert_eq!((k.length, k.unit), (30, DayUnit::Calendar));
    assert!(d.clock(ClockStep::Appraisal, 2).is_none());
    for level in 1..=5 {
        let v = d.clock(ClockStep::ValidityCheck, level).unwrap();
        assert_eq!((v.length, v.unit), (5, DayUnit::Working));
        let a = d.clock(ClockStep::Approval, level).unwrap();
        assert_eq!((a.length, a.unit), (7, DayUnit::Working));
        assert!(a.citation.contains("Điều 17 khoản 2"));
    }
}

#[test]
fn decree_331_clocks_are_working_days() {
    let d = dossier(ND331);
    let k = d.clock(ClockStep::Appraisal, 3).unwrap();
    assert_eq!((k.length, k.unit), (15, DayUnit::Working));
    let k = d.clock(ClockStep::Appraisal, 5).unwrap();
    assert_eq!((k.length, k.unit), (25, DayUnit::Working));
    assert!(k.judgement.is_none());
    assert_eq!(d.clock(ClockStep::Approval, 1).unwrap().length, 7);
    assert_eq!(
        d.clock(ClockStep::ValidityCheck, 4).unwrap().unit,
        DayUnit::Working
    );
}

#[test]
fn same_receipt_gives_each_regime_its_own_deadline() {
    let cal = Calendar::embedded().unwrap();
    let received = NaiveDate::from_ymd_opt(2026, 2, 9).unwrap();
    let due = |d: &Dossier| {
        let k = d.clock(ClockStep::Appraisal, 3).unwrap();
        cal.add_days(received, k.length, k.unit).unwrap().value
    };
    assert_eq!(
        due(&dossier(ND85)),
        NaiveDate::from_ymd_opt(2026, 2, 24).unwrap()
    );
    assert_eq!(
        due(&dossier(ND331)),
        NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
    );
}

#[test]
fn authorities_by_level() {
    let nd85 = dossier(ND85);
    let nd331 = dossier(ND331);
    for d in [&nd85, &nd331] {
        let a = d.authority(1).unwrap();
        assert_eq!(a.appraiser.role, Role::SecurityUnit);
        assert_eq!(a.approvers[0].role, Role::SecurityUnit);
        assert_eq!(a.report_to.as_ref().unwrap().role, Role::Owner);
        assert_eq!(d.authority(3).unwrap().approvers[0].role, Role::Owner);
        assert!(d.authority(3).unwrap().opinion.is_none());
        let a = d.authority(4).unwrap();
        assert_eq!(a.appraiser.role, Role::NationalAppraiser);
        assert_eq!(a.opinion.as_ref().unwrap().role, Role::SecurityUnit);
        let roles: Vec<Role> = d
            .authority(5)
            .unwrap()
            .approvers
            .iter()
            .map(|p| p.role)
            .collect();
        assert_eq!(roles, [Role::PrimeMinister, Role::Owner]);
    }
    // Decree 331 moves levels 4–5 to the Ministry of Public Security.
    for level in 4..=5 {
        let a = nd331.authority(level).unwrap();
        assert!(a.appraiser.description.starts_with("Bộ Công an chủ trì"));
        let a = nd85.authority(level).unwrap();
        assert!(a
            .appraiser
            .description
            .starts_with("Bộ Thông tin và Truyền thông chủ trì"));
    }
}

#[test]
fn periodic_defaults() {
    let nd85 = dossier(ND85);
    let p = nd85.periodic(AssessmentScope::System, 3).unwrap();
    assert_eq!((p.every_months, p.adjustable), (12, false));
    assert_eq!(
        nd85.periodic(AssessmentScope::System, 5)
            .unwrap()
            .every_months,
        6
    );
    assert!(
        nd85.periodic(AssessmentScope::System, 1)
            .unwrap()
            .adjustable
    );
    assert_eq!(
        nd85.periodic(AssessmentScope::Agency, 0)
            .unwrap()
            .every_months,
        24
    );
    let nd331 = dossier(ND331);
    for level in 1..=5 {
        assert!(
            nd331
                .periodic(AssessmentScope::System, level)
                .unwrap()
                .adjustable
        );
    }
    assert_eq!(
        nd331
            .periodic(AssessmentScope::System, 4)
            .unwrap()
            .every_months,
        6
    );
    assert!(nd331.periodic(AssessmentScope::Agency, 0).is_none());
}

#[test]
fn decree_331_forms_by_step_reference_the_pack() {
    let p = pack(ND331);
    let d = p.dossier.as_ref().unwrap();
    assert_eq!(d.forms.len(), p.forms.len());
    for f in &p.forms {
        assert!(
            d.forms.iter().any(|u| u.form == f.id),
            "{} not mapped",
            f.id
        );
    }
    let appraisal: Vec<_> = d.forms_for(DossierStep::Appraisal).collect();
    assert_eq!(appraisal.len(), 1);
    assert_eq!(appraisal[0].form, "mau_04");
    assert_eq!(appraisal[0].component.as_deref(), Some("appraisal_opinion"));
    assert!(dossier(ND85).forms.is_empty());
}

#[test]
fn redetermination_triggers() {
    let r = dossier(ND85).redetermination.unwrap();
    assert!(r.citation.contains("Điều 18"));
    assert!(r.triggers.iter().all(|t| t.basis == Basis::Heuristic));
    let r = dossier(ND331).redetermination.unwrap();
    assert!(r.citation.contains("Điều 25"));
    assert!(r
        .triggers
        .iter()
        .any(|t| t.id == "risk_above_level" && t.basis == Basis::Law));
}

#[test]
fn summary_is_in_vietnamese() {
    let lines = dossier(ND331).summary();
    assert!(lines[0].starts_with("hồ sơ: 8 thành phần"));
    assert!(lines
        .iter()
        .any(|l| l.contains("cấp độ 4: đề xuất") && l.contains("bộ chủ trì thẩm định")));
    assert!(lines
        .iter()
        .any(|l| l.contains("thời hạn thẩm định: 25 ngày làm việc")));
}

fn errors(text: &str) -> Vec<String> {
    match load_pack("t.yaml", text) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

fn mutated(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "fixture lost: {from}");
    text.replacen(from, to, 1)
}

#[test]
fn malformed_sections_are_rejected_naming_the_field() {
    let cases = [
        (
            mutated(
                ND85,
                "      length: 15\n      unit: calendar_days",
                "      length: 15\n      unit: weeks",
            ),
            "dossier.clocks `appraisal`: unit `weeks` không hợp lệ",
        ),
        (
            mutated(ND85, "      length: 15\n", "      length: 16\n"),
            "thời hạn `appraisal` của cấp độ 3 là 16 ngày, khác levels (15 days)",
        ),
        (
            mutated(ND85, "      length: 15\n", "      length: 0\n"),
            "length phải là số nguyên dương",
        ),
        (
            mutated(
                ND85,
                "    - levels: [3]\n      appraiser:",
                "    - levels: [2]\n      appraiser:",
            ),
            "cấp độ 3 được khai báo 0 lần",
        ),
        (
            mutated(ND85, "role: prime_minister", "role: king"),
            "role `king` không hợp lệ",
        ),
        (
            mutated(
                ND85,
                "id: proposal, step: approval",
                "id: proposal, step: review",
            ),
            "step `review` không hợp lệ",
        ),
        (
            mutated(
                ND85,
                "id: professional_opinion, step: proposal",
                "id: professional_opinion, step: approval",
            ),
            "thiếu `professional_opinion` (hồ sơ đề xuất cấp độ 4",
        ),
        (
            mutated(
                ND85,
                "id: design, step: proposal",
                "id: overview, step: proposal",
            ),
            "id rỗng hoặc bị trùng",
        ),
        (
            mutated(
                ND85,
                "{ scope: agency, every_months: 24",
                "{ scope: agency, levels: [1], every_months: 24",
            ),
            "phạm vi agency không có levels",
        ),
        (
            mutated(
                ND331,
                "{ form: mau_05, step: approval }",
                "{ form: mau_99, step: approval }",
            ),
            "dossier.forms `mau_99`: không có mẫu này",
        ),
        (
            mutated(
                ND331,
                "{ form: mau_03, step: proposal, component: professional_opinion }",
                "{ form: mau_03, step: proposal, component: opinion }",
            ),
            "component `opinion` không có",
        ),
        (
            mutated(
                ND331,
                "levels: [5], every_months: 3",
                "levels: [5], every_months: 4",
            ),
            "chu kỳ của cấp độ 5 là 4 tháng, khác levels (3 tháng)",
        ),
        (
            mutated(
                ND331,
                "{ step: approval, levels: [1, 2, 3, 4, 5], length: 7",
                "{ step: approval, levels: [1, 2, 3, 4], length: 7",
            ),
            "thiếu thời hạn `approval` của cấp độ 5",
        ),
    ];
    for (text, expected) in cases {
        let errs = errors(&text);
        assert!(
            errs.iter()
                .any(|e| e.contains(expected) && e.starts_with("t.yaml:")),
            "expected «{expected}» in {errs:?}"
        );
    }
    // An unknown key is a YAML error located at the key.
    let errs = errors(&mutated(
        ND85,
        "  redetermination:\n    citation:",
        "  redetermination:\n    colour: red\n    citation:",
    ));
    assert!(errs.iter().any(|e| e.contains("colour")), "{errs:?}");
}

#[test]
fn a_pack_without_a_dossier_section_still_loads() {
    let start = ND85.find("\ndossier:\n").unwrap();
    let p = pack(&ND85[..start]);
    assert!(p.dossier.is_none());
}
