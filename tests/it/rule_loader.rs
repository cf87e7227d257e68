//! The pack loader refuses every kind of error with the file, line and column.

use capdo::rules::{load_pack, Registry};

/// A small valid pack; tests break one thing at a time.
const VALID: &str = r#"id: test-pack
title: Bộ quy tắc thử
name: Bộ quy tắc thử nghiệm
number: 1/2026/TEST
issuer: Nhóm phát triển
effective_from: 2020-01-01
vocabulary:
  kind:
    - { id: portal, label: Cổng thông tin }
  tier:
    - { id: province, label: Cấp tỉnh }
aggregation:
  highest: { citation: "Điều 1", summary: "Cao nhất", basis: interpretation }
  composite: { citation: "Điều 2", summary: "Thành phần", basis: law }
criteria:
  - id: t.one
    level: 2
    citation: "Điều 3"
    summary: "Nội bộ"
    basis: law
    when: { field: function, equals: internal }
  - id: t.two
    level: 3
    citation: "Điều 4"
    summary: "Nhiều người"
    basis: law
    when:
      all:
        - { field: function, equals: citizen_business }
        - { field: personal_data_subjects, gte: 10000 }
undetermined: "Không tiêu chí nào áp dụng."
levels:
  - { level: 1, authority: { appraiser: A, approver: B, citations: ["Điều 5"] }, dossier: [] }
  - { level: 2, authority: { appraiser: A, approver: B, citations: ["Điều 5"] }, dossier: [] }
  - { level: 3, authority: { appraiser: A, approver: B, citations: ["Điều 5"] }, dossier: [] }
  - { level: 4, authority: { appraiser: A, approver: B, citations: ["Điều 5"] }, dossier: [] }
  - { level: 5, authority: { appraiser: A, approver: B, citations: ["Điều 5"] }, dossier: [] }
"#;

fn first_error(text: &str) -> capdo::rules::LoadError {
    let errors = load_pack("goi-thu.yaml", text).expect_err("the pack must be refused");
    errors.into_iter().next().unwrap()
}

#[test]
fn the_valid_pack_loads() {
    let pack = load_pack("goi-thu.yaml", VALID).unwrap();
    assert_eq!(pack.criteria.len(), 2);
    assert_eq!(pack.levels.len(), 5);
}

#[test]
fn an_unknown_field_in_a_condition_is_located() {
    let e = first_error(&VALID.replace(
        "{ field: function, equals: internal }",
        "{ field: funtion, equals: internal }",
    ));
    assert_eq!(e.file, "goi-thu.yaml");
    assert_eq!(e.line, 21, "{e}");
    assert!(e.column > 0);
    assert!(e.message.contains("funtion"), "{e}");
    assert!(e.to_string().starts_with("goi-thu.yaml:21:"));
}

#[test]
fn an_unknown_value_is_refused() {
    let e = first_error(&VALID.replace("equals: internal", "equals: intranet"));
    assert!(e.message.contains("intranet"), "{e}");
    let e = first_error(&VALID.replace(
        "{ field: function, equals: internal }",
        "{ field: kind, equals: galaxy }",
    ));
    assert!(
        e.message.contains("galaxy") && e.message.contains("từ vựng"),
        "{e}"
    );
    let e = first_error(&VALID.replace("gte: 10000", "gte: -5"));
    assert!(e.message.contains("-5"), "{e}");
    let e = first_error(&VALID.replace(
        "{ field: function, equals: internal }",
        "{ field: information, equals: public }",
    ));
    assert!(e.message.contains("contains"), "{e}");
}

#[test]
fn a_duplicate_id_is_refused() {
    let e = first_error(&VALID.replace("id: t.two", "id: t.one"));
    assert!(e.message.contains("trùng"), "{e}");
    assert_eq!(e.line, 22);
}

#[test]
fn a_level_outside_one_to_five_is_refused() {
    let e = first_error(&VALID.replace(
        "level: 3\n    citation: \"Điều 4\"",
        "level: 6\n    citation: \"Điều 4\"",
    ));
    assert!(e.message.contains("1–5"), "{e}");
    assert_eq!(e.line, 23);
}

#[test]
fn a_missing_or_empty_citation_is_refused() {
    let e = first_error(&VALID.replace("    citation: \"Điều 3\"\n", ""));
    assert!(e.message.contains("citation"), "{e}");
    assert!(e.line > 0);
    let e = first_error(&VALID.replace("citation: \"Điều 3\"", "citation: \"\""));
    assert!(e.message.contains("citation"), "{e}");
}

#[test]
fn unknown_keys_missing_levels_and_bad_dates_are_refused() {
    let e = first_error(&VALID.replace(
        "issuer: Nhóm phát triển",
        "issuer: Nhóm phát triển\ncolour: đỏ",
    ));
    assert!(e.message.contains("colour"), "{e}");
    assert_eq!(e.line, 6);
    let e = first_error(&VALID.replace("  - { level: 5, authority: { appraiser: A, approver: B, citations: [\"Điều 5\"] }, dossier: [] }\n", ""));
    assert!(e.message.contains("cấp độ 5"), "{e}");
    let e = first_error(&VALID.replace("effective_from: 2020-01-01", "effective_from: 01/01/2020"));
    assert!(e.message.contains("YYYY-MM-DD"), "{e}");
    let e = first_error(&VALID.replace("tier:\n    - { id: province", "tier:\n    - { id: planet"));
    assert!(e.message.contains("planet"), "{e}");
}

#[test]
fn a_broken_condition_shape_is_refused() {
    let e = first_error(&VALID.replace(
        "{ field: function, equals: internal }",
        "{ field: function, equals: internal, gte: 3 }",
    ));
    assert!(e.message.contains("đúng một"), "{e}");
    let e = first_error(&VALID.replace("{ field: function, equals: internal }", "{ all: [] }"));
    assert!(e.message.contains("rỗng"), "{e}");
}

#[test]
fn the_shipped_packs_pass_and_overlays_replace_by_id() {
    let shipped = Registry::load(None).expect("shipped packs are valid");
    assert!(shipped.get("nd85-2016").is_some());

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("test-pack.yaml"), VALID).unwrap();
    let overlaid = Registry::load(Some(dir.path())).unwrap();
    assert!(overlaid.get("test-pack").is_some());
    assert_eq!(overlaid.packs().len(), shipped.packs().len() + 1);

    std::fs::write(
        dir.path().join("broken.yaml"),
        VALID
            .replace("id: test-pack", "id: other")
            .replace("level: 2", "level: 0"),
    )
    .unwrap();
    let errors = Registry::load(Some(dir.path())).unwrap_err();
    assert!(errors
        .iter()
        .any(|e| e.file.ends_with("broken.yaml") && e.message.contains("1–5")));
}
