use chrono::NaiveDate;

use super::*;
use crate::rules::loader::baseline::load_baseline;
use crate::rules::{LoadError, Registry};

fn registry() -> Registry {
    Registry::load(None).unwrap_or_else(|e| {
        panic!(
            "embedded catalogues must load: {}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn counts(b: &Baseline, part: Part) -> Vec<usize> {
    (1..=5).map(|l| b.count(part, l)).collect()
}

#[test]
fn the_embedded_catalogues_load_one_per_regime() {
    let r = registry();
    assert_eq!(r.baselines().len(), 2);
    let tt12 = r
        .baseline_for("nd85-2016")
        .expect("TT 12/2022 for nd85-2016");
    assert_eq!(tt12.id, "tt12-2022");
    assert_eq!(tt12.standard, "TCVN 11930:2017");
    let nd331 = r
        .baseline_for("nd331-2026")
        .expect("catalogue for nd331-2026");
    assert!(r.baseline(&nd331.id).is_some());
    assert!(r.baseline("khong-co").is_none());
    for b in r.baselines() {
        for req in &b.requirements {
            assert!(!req.citation.is_empty(), "{} {}", b.id, req.code);
            assert_eq!(b.group(&req.group).map(|g| g.part), Some(req.part));
        }
    }
}

#[test]
fn tt12_counts_per_level_match_the_annexes() {
    let r = registry();
    let b = r.baseline("tt12-2022").unwrap();
    assert_eq!(counts(b, Part::Management), [15, 18, 22, 22, 22]);
    assert_eq!(counts(b, Part::Zone), [3, 5, 7, 8, 8]);
    assert_eq!(counts(b, Part::Design), [3, 6, 16, 17, 19]);
    assert_eq!(counts(b, Part::Configuration), [13, 17, 21, 21, 21]);
    assert_eq!(counts(b, Part::General), [4, 4, 4, 4, 4]);
    let d4 = b.requirement("D4").unwrap();
    assert!(!d4.levels.contains_key(&1));
    let l2 = &d4.levels[&2];
    assert_eq!(l2.clause.as_deref(), Some("II.1.b.iv"));
    assert!(l2
        .detail
        .as_deref()
        .unwrap()
        .contains("tường lửa ứng dụng web (WAF)"));
    assert_eq!(d4.levels[&3].clause.as_deref(), Some("II.1.b.vii"));
    // STT numbers shift between levels; the stable code does not.
    let m43 = b.requirement("M4.3").unwrap();
    assert_eq!(m43.levels[&1].clause.as_deref(), Some("5.1.4.2"));
    assert_eq!(m43.levels[&2].clause.as_deref(), Some("6.1.4.3"));
    assert_eq!(
        b.requirement("C1.6").unwrap().levels[&3].clause.as_deref(),
        Some("7.2.1.7")
    );
}

#[test]
fn the_regulation_special_applies_at_every_level_in_both() {
    let r = registry();
    for b in r.baselines() {
        let req = b
            .special(Special::RegulationBeforeApproval)
            .unwrap_or_else(|| panic!("{} has no regulation requirement", b.id));
        assert_eq!(req.part, Part::General);
        assert!(req.hosting.is_empty());
        for level in 1..=5 {
            assert!(req.applies(level, None), "{} level {level}", b.id);
        }
    }
}

/// (code, levels it applies at) of the separation requirements of each regime.
fn separation(b: &Baseline) -> Vec<(&str, Vec<u8>)> {
    b.requirements
        .iter()
        .filter(|r| !r.hosting.is_empty())
        .map(|r| (r.code.as_str(), r.levels.keys().copied().collect()))
        .collect()
}

#[test]
fn separation_applies_only_to_rented_hosting_at_the_right_levels() {
    let r = registry();
    let tt12 = r.baseline("tt12-2022").unwrap();
    assert_eq!(separation(tt12), [("G9", vec![3]), ("G10", vec![4, 5])]);
    let nd331 = r.baseline_for("nd331-2026").unwrap();
    assert_eq!(separation(nd331), [("G8", vec![3, 4]), ("G9", vec![5])]);
    for b in [tt12, nd331] {
        for req in b.requirements.iter().filter(|r| !r.hosting.is_empty()) {
            assert_eq!(req.hosting, ["outside_provider", "cloud"]);
            let level = *req.levels.keys().next().unwrap();
            assert!(req.applies(level, Some("cloud")));
            assert!(req.applies(level, Some("outside_provider")));
            assert!(!req.applies(level, Some("provincial_data_center")));
            assert!(!req.applies(level, Some("own_server_room")));
            assert!(!req.applies(level, None));
        }
    }
    // Level 4 moved from physical (TT 12/2022 Đ9 k10) to logical (NĐ 331 Đ30 k8).
    let codes = |b: &Baseline, level| {
        b.applicable(level, Some("cloud"))
            .filter(|r| !r.hosting.is_empty())
            .map(|r| r.code.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(tt12, 4), ["G10"]);
    assert_eq!(codes(nd331, 4), ["G8"]);
    assert!(codes(nd331, 2).is_empty());
}

#[test]
fn nd331_is_also_required_of_nd85_systems_by_july_2027() {
    let r = registry();
    let nd331 = r.baseline_for("nd331-2026").unwrap();
    assert_eq!(nd331.also_required.len(), 1);
    let a = &nd331.also_required[0];
    assert_eq!(a.regime, "nd85-2016");
    assert_eq!(a.due, NaiveDate::from_ymd_opt(2027, 7, 1).unwrap());
    let also = r.also_required_for("nd85-2016");
    assert_eq!(also.len(), 1);
    assert_eq!(also[0].0.id, nd331.id);
    assert!(r.also_required_for("nd331-2026").is_empty());
}

#[test]
fn nd331_has_the_decree_groups_the_18_reported_groups_and_the_decree_obligations() {
    let r = registry();
    let b = r.baseline_for("nd331-2026").unwrap();
    for code in [
        "M1", "M2", "M3", "M4", "M5", "M6", "M7", "C1", "C2", "C3", "C4",
    ] {
        let req = b.requirement(code).unwrap();
        assert_eq!(req.basis, crate::rules::model::Basis::Law, "{code}");
        assert_eq!(req.levels.len(), 5, "{code}");
    }
    assert_eq!(counts(b, Part::Management), [13, 13, 15, 15, 15]);
    assert_eq!(counts(b, Part::Configuration), [13, 13, 14, 14, 14]);
    assert_eq!(counts(b, Part::General), [8, 8, 9, 9, 9]);
    let reported: Vec<_> = b
        .requirements
        .iter()
        .filter(|r| r.code.starts_with('T'))
        .collect();
    assert_eq!(reported.len(), 18);
    assert!(reported
        .iter()
        .all(|r| r.basis == crate::rules::model::Basis::Reported));
    // Groups that start at level 3 in the reported table.
    for code in ["T13", "T17", "T18"] {
        assert_eq!(b.requirement(code).unwrap().levels.keys().next(), Some(&3));
    }
    assert_eq!(
        b.requirement("G33.5")
            .unwrap()
            .levels
            .keys()
            .copied()
            .collect::<Vec<_>>(),
        [3, 4, 5]
    );
    for code in ["G5", "G6", "G10.2", "G28.3", "G31.2d", "G31.3", "G35"] {
        assert_eq!(b.requirement(code).unwrap().levels.len(), 5, "{code}");
    }
}

const SMALL: &str = r#"id: thu
title: "Danh mục thử"
regime: nd85-2016
standard: "TCVN 11930:2017"
groups:
  - { code: G, part: general, title: "Chung" }
requirements:
  - code: A1
    group: G
    text: "Yêu cầu thử"
    citation: "Điều 1"
    basis: law
    levels:
      1: {}
"#;

fn errors_of(text: &str) -> Vec<LoadError> {
    load_baseline("thu.yaml", text).expect_err("must be refused")
}

fn one(text: &str) -> LoadError {
    let e = errors_of(text);
    assert_eq!(e.len(), 1, "{e:?}");
    e.into_iter().next().unwrap()
}

#[test]
fn a_small_catalogue_loads() {
    let b = load_baseline("thu.yaml", SMALL).unwrap();
    assert_eq!(b.requirements.len(), 1);
    assert_eq!(b.origin, "thu.yaml");
}

#[test]
fn a_duplicate_code_is_located() {
    let text = format!(
        "{SMALL}  - code: A1\n    group: G\n    text: \"Lần hai\"\n    citation: \"Điều 2\"\n    basis: law\n    levels:\n      2: {{}}\n"
    );
    let e = one(&text);
    assert_eq!((e.file.as_str(), e.line, e.column), ("thu.yaml", 15, 11));
    assert!(
        e.message.contains("mã yêu cầu `A1` bị trùng"),
        "{}",
        e.message
    );
}

#[test]
fn an_unknown_group_is_located() {
    let e = one(&SMALL.replace("    group: G\n", "    group: X\n"));
    assert_eq!((e.line, e.column), (9, 12));
    assert!(
        e.message.contains("nhóm `X` không có trong groups"),
        "{}",
        e.message
    );
}

#[test]
fn a_part_differing_from_its_group_is_refused() {
    let e = one(&SMALL.replace("    group: G\n", "    group: G\n    part: zone\n"));
    assert_eq!(e.line, 10);
    assert!(e.message.contains("khác part `general`"), "{}", e.message);
}

#[test]
fn level_six_is_located() {
    let e = one(&SMALL.replace("      1: {}\n", "      1: {}\n      6: {}\n"));
    assert_eq!((e.line, e.column), (15, 7));
    assert!(
        e.message.contains("cấp độ 6 nằm ngoài khoảng 1–5"),
        "{}",
        e.message
    );
    let e = one(&SMALL.replace("    levels:\n      1: {}\n", "    levels: {}\n"));
    assert!(e.message.contains("ít nhất một cấp độ"), "{}", e.message);
}

#[test]
fn an_unknown_hosting_kind_is_located() {
    let e = one(&SMALL.replace(
        "    basis: law\n",
        "    basis: law\n    hosting: [cloud, datacenter]\n",
    ));
    assert_eq!((e.line, e.column), (13, 22));
    assert!(
        e.message
            .contains("hình thức lưu trữ (hosting) `datacenter` không hợp lệ"),
        "{}",
        e.message
    );
}

#[test]
fn unknown_fields_values_and_dates_are_refused() {
    let e = one(&SMALL.replace("    basis: law\n", "    basis: law\n    khac: 1\n"));
    assert_eq!(e.line, 13);
    let e = one(&SMALL.replace("basis: law", "basis: luat"));
    assert!(
        e.message.contains("basis `luat` không hợp lệ"),
        "{}",
        e.message
    );
    let e = one(&SMALL.replace("    basis: law\n", "    basis: law\n    special: quy_che\n"));
    assert!(
        e.message.contains("special `quy_che` không hợp lệ"),
        "{}",
        e.message
    );
    let e = one(&SMALL.replace(
        "groups:",
        "also_required:\n  - { regime: nd331-2026, due: 2027-13-01, citation: \"x\" }\ngroups:",
    ));
    assert_eq!(e.line, 6);
    assert!(
        e.message.contains("không phải ngày dạng YYYY-MM-DD"),
        "{}",
        e.message
    );
    let e = one(&SMALL.replace("id: thu", "id: \"\""));
    assert!(e.message.contains("thiếu id"), "{}", e.message);
}

#[test]
fn two_requirements_with_the_same_special_are_refused() {
    let text = SMALL.replace("    basis: law\n", "    basis: law\n    special: regulation_before_approval\n")
        + "  - code: A2\n    group: G\n    text: \"Hai\"\n    citation: \"Điều 2\"\n    basis: law\n    special: regulation_before_approval\n    levels:\n      1: {}\n";
    let e = one(&text);
    assert_eq!(e.line, 21);
    assert!(
        e.message.contains("đã được gán cho một yêu cầu khác"),
        "{}",
        e.message
    );
}

#[test]
fn the_registry_cross_checks_regimes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("requirements")).unwrap();
    // Replacing by id is fine.
    std::fs::write(
        dir.path().join("requirements/tt12.yaml"),
        SMALL.replace("id: thu", "id: tt12-2022"),
    )
    .unwrap();
    let r = Registry::load(Some(dir.path())).unwrap();
    assert_eq!(r.baseline("tt12-2022").unwrap().requirements.len(), 1);
    // A second catalogue for nd85-2016, and one for an unknown regime.
    std::fs::write(dir.path().join("requirements/thu.yaml"), SMALL).unwrap();
    std::fs::write(
        dir.path().join("requirements/x.yaml"),
        SMALL
            .replace("id: thu", "id: x")
            .replace("regime: nd85-2016", "regime: nd99"),
    )
    .unwrap();
    let errors = Registry::load(Some(dir.path())).unwrap_err();
    let text = errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("có hai danh mục yêu cầu"), "{text}");
    assert!(
        text.contains("regime `nd99` không phải bộ quy tắc được nạp"),
        "{text}"
    );
    // A directory with only packs: no catalogues.
    let only = tempfile::tempdir().unwrap();
    std::fs::write(
        only.path().join("nd85-2016.yaml"),
        std::fs::read_to_string("rules/nd85-2016.yaml").unwrap(),
    )
    .unwrap();
    assert!(Registry::load_only(only.path())
        .unwrap()
        .baselines()
        .is_empty());
}
