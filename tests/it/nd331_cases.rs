//! Every worked case of `rules/nd331-cases.md` under Decree 331/2026, each its own test, plus
//! the checks that tie the pack to Decree 85 (same vocabulary, same facts, what changes).
//! The facts, expected level, status and clauses are in `tests/data/nd331-cases.json`.

use chrono::NaiveDate;
use serde_json::Value;

use capdo::domain::SystemFacts;
use capdo::rules::{classify, Registry};

const ND331: &str = "nd331-2026";
const ND85: &str = "nd85-2016";

/// A date when Decree 331 and every minimum-level rule it carries are in force.
fn in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// The cases as data (`tests/data/nd331-cases.json`): facts, expected level, status, clauses.
fn cases() -> Vec<Value> {
    serde_json::from_str(include_str!("../data/nd331-cases.json")).expect("cases file")
}

/// The Decree 85 cases, re-used here with the same facts.
fn nd85_cases() -> Vec<Value> {
    serde_json::from_str(include_str!("../data/nd85-cases.json")).expect("nd85 cases file")
}

fn case(id: &str) -> Value {
    cases()
        .into_iter()
        .find(|c| c["case"] == id)
        .expect("case in the data file")
}

/// Classifies `facts` under `regime` on the test date and returns the result as JSON.
fn classify_json(regime: &str, facts: &Value) -> Value {
    let registry = Registry::load(None).expect("shipped packs");
    let pack = registry.get(regime).expect("pack shipped");
    let facts: SystemFacts = serde_json::from_value(facts.clone()).expect("case facts parse");
    let result = classify(pack, &facts, in_force()).expect("case facts are valid");
    serde_json::to_value(&result).unwrap()
}

/// Every rule cited at the top level (criteria and minimums).
fn cited(json: &Value) -> Vec<String> {
    json["matched"]
        .as_array()
        .unwrap()
        .iter()
        .chain(json["minimums"].as_array().unwrap())
        .map(|m| m["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Classifies the case's facts under Decree 331 and checks level, status and that the rules
/// cited are exactly the expected clauses.
fn check_case(id: &str) -> Value {
    let case = case(id);
    let json = classify_json(ND331, &case["facts"]);
    let level = case["level"].as_u64();
    assert_eq!(json["level"].as_u64(), level, "level: {json:#}");
    assert_eq!(json["status"], case["status"], "status: {json:#}");
    let mut expected: Vec<String> = case["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let mut got = cited(&json);
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "clauses cited: {json:#}");
    if level.is_some() && case["status"] == "determined" {
        assert!(
            !got.is_empty() || !json["components"].as_array().unwrap().is_empty(),
            "a determined level cites a clause"
        );
    }
    json
}

fn questions_on<'a>(json: &'a Value, field: &str) -> Vec<&'a Value> {
    json["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["field"] == field)
        .collect()
}

fn warns_about(json: &Value, needle: &str) -> bool {
    json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains(needle))
}

/// The first object anywhere in `json` whose `key` is `value` (the result shape of the newer
/// sections is searched, not assumed).
fn find_object<'a>(json: &'a Value, key: &str, value: &str) -> Option<&'a Value> {
    match json {
        Value::Object(map) => {
            if map.get(key).and_then(Value::as_str) == Some(value) {
                return Some(json);
            }
            map.values().find_map(|v| find_object(v, key, value))
        }
        Value::Array(items) => items.iter().find_map(|v| find_object(v, key, value)),
        _ => None,
    }
}

// ------------------------------------------------------------------ the pack as a whole

/// Every criterion and minimum of the pack is the expected clause of at least one case.
#[test]
fn every_criterion_has_a_worked_case() {
    let registry = Registry::load(None).unwrap();
    let pack = registry.get(ND331).unwrap();
    let all = cases();
    let expected: Vec<&str> = all
        .iter()
        .flat_map(|c| c["clauses"].as_array().unwrap())
        .map(|c| c.as_str().unwrap())
        .collect();
    for rule in pack.criteria.iter().chain(&pack.minimums) {
        assert!(
            expected.contains(&rule.id.as_str()),
            "no case expects {}",
            rule.id
        );
    }
    for id in &expected {
        assert!(
            pack.criteria
                .iter()
                .chain(&pack.minimums)
                .any(|r| r.id == *id),
            "a case expects {id}, which the pack does not have"
        );
    }
}

/// A system registered under one pack is compared under the other: every kind, tier and tag
/// id of Decree 85 is known to Decree 331.
#[test]
fn the_vocabulary_keeps_every_decree_85_id() {
    let registry = Registry::load(None).unwrap();
    let old = &registry.get(ND85).unwrap().vocabulary;
    let new = &registry.get(ND331).unwrap().vocabulary;
    for (old_terms, new_terms, what) in [
        (&old.kind, &new.kind, "kind"),
        (&old.tier, &new.tier, "tier"),
        (&old.tags, &new.tags, "tags"),
    ] {
        for term in old_terms {
            assert!(
                new_terms.iter().any(|t| t.id == term.id),
                "{what} `{}` of nd85-2016 missing from nd331-2026",
                term.id
            );
        }
    }
}

/// All the Decree 85 cases run through Decree 331 without a validation error.
#[test]
fn every_decree_85_case_is_also_classified_under_decree_331() {
    let registry = Registry::load(None).unwrap();
    let pack = registry.get(ND331).unwrap();
    for case in nd85_cases() {
        let facts: SystemFacts = serde_json::from_value(case["facts"].clone()).unwrap();
        let result = classify(pack, &facts, in_force())
            .unwrap_or_else(|e| panic!("{}: {e:?}", case["case"]));
        assert_eq!(
            result.level.is_none(),
            result.status == capdo::rules::Status::Undetermined,
            "{}",
            case["case"]
        );
    }
}

/// The cases re-used from Decree 85 keep its facts, so the data shows what the new decree
/// changes.
#[test]
fn reused_cases_keep_the_decree_85_facts() {
    let old = nd85_cases();
    let mut reused = 0;
    for case in cases() {
        if let Some(before) = old.iter().find(|c| c["case"] == case["case"]) {
            assert_eq!(before["facts"], case["facts"], "{}", case["case"]);
            reused += 1;
        }
    }
    assert_eq!(reused, old.len(), "every Decree 85 case is re-used");
}

/// Same facts, both decrees: an online service with 50.000 personal-data subjects is level 3
/// under Decree 85 (10.000 users) and level 2 under Decree 331 (100.000 data subjects).
#[test]
fn same_facts_under_both_decrees() {
    let facts = case("T06")["facts"].clone();
    let old = classify_json(ND85, &facts);
    let new = classify_json(ND331, &facts);
    assert_eq!(old["level"], 3, "{old:#}");
    assert!(cited(&old).contains(&"nd85.d9.k2.c".to_string()), "{old:#}");
    assert_eq!(new["level"], 2, "{new:#}");
    assert!(
        cited(&new).contains(&"nd331.d12.k2.b".to_string()),
        "{new:#}"
    );
    assert!(
        !cited(&new).contains(&"nd331.d13.k2.c".to_string()),
        "{new:#}"
    );
}

/// The regime for a date: Decree 331 from 19/08/2026; in the gap after Decree 85 lapsed and
/// before Decree 331, the last one (Decree 85) is used for reference.
#[test]
fn decree_331_applies_from_19_august_2026() {
    let registry = Registry::load(None).unwrap();
    let on = |y, m, d| {
        registry
            .for_date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
            .unwrap()
            .meta
            .id
            .clone()
    };
    assert_eq!(on(2026, 12, 1), ND331);
    assert_eq!(on(2026, 8, 19), ND331);
    assert_eq!(on(2026, 8, 18), ND85);
    assert_eq!(on(2026, 7, 15), ND85);
    let pack = registry.get(ND331).unwrap();
    assert_eq!(pack.meta.effective_until, None);
    assert!(pack.in_force_on(in_force()));
}

/// The dossier follows Điều 21: the professional opinion only for levels 4–5, the appraisal
/// opinion in the approval dossier (Điều 24 k1 b) from level 3; time limits in working days.
#[test]
fn dossier_components_and_time_limits_follow_the_level() {
    let registry = Registry::load(None).unwrap();
    let pack = registry.get(ND331).unwrap();
    for level in 1..=5u8 {
        let p = pack.procedure(level).unwrap();
        let has = |items: &[capdo::rules::model::DossierItem], c: &str| {
            items.iter().any(|d| d.component == c)
        };
        for c in ["overview", "design", "justification", "security_plan"] {
            assert!(has(&p.dossier, c), "level {level} lacks {c}");
        }
        assert_eq!(
            has(&p.dossier, "professional_opinion"),
            level >= 4,
            "level {level}"
        );
        assert_eq!(
            has(&p.dossier, "extra_analysis"),
            level >= 4,
            "level {level}"
        );
        assert!(has(&p.approval_dossier, "proposal"), "level {level}");
        assert_eq!(
            has(&p.approval_dossier, "appraisal_opinion"),
            level >= 3,
            "level {level}"
        );
        let limit = |step: &str| {
            p.time_limits
                .iter()
                .find(|t| t.step == step)
                .map(|t| (t.limit, t.unit.as_str()))
        };
        assert_eq!(
            limit("validity_check"),
            Some((5, "working_days")),
            "level {level}"
        );
        assert_eq!(
            limit("approval"),
            Some((7, "working_days")),
            "level {level}"
        );
        assert_eq!(
            limit("appraisal"),
            match level {
                3 => Some((15, "working_days")),
                4 | 5 => Some((25, "working_days")),
                _ => None,
            },
            "level {level}"
        );
        for t in &p.time_limits {
            assert!(
                t.citation.contains("Nghị định 331/2026/NĐ-CP"),
                "{}",
                t.citation
            );
        }
        let periodic = p.periodic_assessment.as_ref().expect("a default cadence");
        assert!(periodic
            .note
            .as_deref()
            .unwrap_or("")
            .contains("không quy định"));
    }
    // Who approves: the ANM unit (1–2), the owner (3–4), the Prime Minister's list (5).
    assert!(pack
        .procedure(2)
        .unwrap()
        .authority
        .approver
        .starts_with("Đơn vị chuyên trách về an ninh mạng"));
    assert!(pack
        .procedure(3)
        .unwrap()
        .authority
        .approver
        .starts_with("Chủ quản"));
    assert!(pack
        .procedure(4)
        .unwrap()
        .authority
        .appraiser
        .starts_with("Bộ Công an"));
    assert!(pack
        .procedure(5)
        .unwrap()
        .authority
        .approver
        .starts_with("Thủ tướng Chính phủ"));
}

/// Without a risk-framework result, only internal systems reach level 1 (Điều 11 khoản 1);
/// a citizen-facing system is never below 2 (Điều 12 khoản 2 điểm a).
#[test]
fn only_internal_systems_reach_level_one_without_a_risk_result() {
    for function in [
        "citizen_business",
        "infrastructure",
        "industrial_control",
        "other",
    ] {
        let facts = serde_json::json!({ "function": function, "information": ["public"] });
        let json = classify_json(ND331, &facts);
        assert_ne!(json["level"], 1, "{function}: {json:#}");
    }
    let portal = serde_json::json!({ "function": "citizen_business", "information": ["public"], "risk_assessed_level": 1 });
    assert_eq!(classify_json(ND331, &portal)["level"], 2);
}

// ------------------------------------------------------------------ specific behaviour

/// A missing sensitive count: level 2 stands on the basic count, and a question asks for it.
#[test]
fn a_missing_sensitive_count_is_asked_for() {
    let json = check_case("T05");
    let asked = questions_on(&json, "sensitive_personal_data_subjects");
    assert_eq!(asked.len(), 1, "{json:#}");
    assert_eq!(asked[0]["could_change_level_to"], 3);
    assert!(asked[0]["text"]
        .as_str()
        .unwrap()
        .contains("Điều 13 khoản 2 điểm c"));
    // Once recorded, it is not asked again.
    let json = check_case("T01");
    assert!(
        questions_on(&json, "sensitive_personal_data_subjects").is_empty(),
        "{json:#}"
    );
}

/// Online filing implies a TTHC system: level 3, but a human confirms (interpretation).
#[test]
fn an_inferred_tthc_system_needs_a_decision() {
    let json = check_case("C03d");
    let inferred = json["matched"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["rule"] == "nd331.d13.k2.b.inferred")
        .unwrap();
    assert_eq!(inferred["basis"], "interpretation");
    assert!(inferred["note"]
        .as_str()
        .unwrap()
        .contains("nhận định của capdo"));
    // Forms only, no online filing: no inference, a question instead.
    let json = check_case("C22c");
    assert_eq!(
        questions_on(&json, "handles_administrative_procedures").len(),
        1,
        "{json:#}"
    );
    assert!(
        warns_about(&json, "Nghị định 331 không dùng mức độ dịch vụ công"),
        "{json:#}"
    );
}

/// The risk-assessment triggers of Điều 10 khoản 2 are asked while no result is recorded.
#[test]
fn risk_assessment_triggers_are_asked() {
    let json = check_case("C02");
    let asked = questions_on(&json, "risk_assessed_level");
    assert!(
        asked.iter().any(|q| q["text"]
            .as_str()
            .unwrap()
            .contains("Điều 10 khoản 2 điểm a")),
        "{json:#}"
    );
    let json = check_case("T27");
    let asked = questions_on(&json, "risk_assessed_level");
    assert!(
        asked.iter().any(|q| q["text"]
            .as_str()
            .unwrap()
            .contains("Điều 10 khoản 2 điểm c")),
        "interconnection trigger: {json:#}"
    );
    let json = check_case("T12");
    assert!(
        questions_on(&json, "risk_assessed_level")
            .iter()
            .any(|q| q["text"]
                .as_str()
                .unwrap()
                .contains("Điều 10 khoản 2 điểm d")),
        "national-security trigger: {json:#}"
    );
    // A recorded result: no question, a warning that the framework is not issued.
    let json = check_case("T22");
    assert!(
        questions_on(&json, "risk_assessed_level").is_empty(),
        "{json:#}"
    );
    assert!(
        warns_about(&json, "Khung quản lý rủi ro an ninh mạng"),
        "{json:#}"
    );
}

/// Composite systems: the highest component, by Decree 85's Đ5 k2 as capdo's judgement.
#[test]
fn composite_systems_take_the_highest_component_as_a_judgement() {
    let json = check_case("T26");
    let components = json["components"].as_array().unwrap();
    assert_eq!(components[0]["level"], 2);
    assert_eq!(components[1]["level"], 3);
    let composite = json["combination"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["rule"] == "composite")
        .expect("composite principle cited");
    assert_eq!(composite["basis"], "interpretation");
    assert!(composite["summary"]
        .as_str()
        .unwrap()
        .contains("không có quy định riêng"));
}

/// `other` with nothing else is never a silent level 1; the explanation names Law 116.
#[test]
fn an_other_system_without_criteria_is_undetermined() {
    let json = check_case("N8");
    assert!(json["authority"].is_null());
    assert!(
        warns_about(&json, "Điều 8 khoản 1 Luật An ninh mạng"),
        "{json:#}"
    );
    assert!(
        !questions_on(&json, "prime_minister_level").is_empty(),
        "{json:#}"
    );
    let json = check_case("T25");
    assert!(
        warns_about(&json, "Điều 11 không quy định Thủ tướng"),
        "{json:#}"
    );
}

/// A state secret without a recorded harm: at least 3, the grade estimate needs review.
#[test]
fn a_state_secret_without_harm_needs_review() {
    for (id, level) in [("C18b", 3), ("C19c", 4), ("C19d", 5)] {
        let json = check_case(id);
        assert_eq!(json["level"], level);
        assert_eq!(
            questions_on(&json, "defence_security_harm").len(),
            usize::from(level < 5),
            "{id}: {json:#}"
        );
        assert!(warns_about(&json, "Luật Bảo vệ bí mật nhà nước"), "{id}");
    }
}

// ------------------------------------------------------------------ sections of the extended loader

/// Điều 20 khoản 4: a level-3 system on the list of systems important to national security
/// keeps its level but follows the level-5 procedure.
#[test]
fn a_level_3_system_on_the_national_security_list_follows_the_level_5_procedure() {
    for id in ["T11", "T12"] {
        let json = check_case(id);
        assert_eq!(json["level"], 3);
        let escalation = find_object(&json, "rule", "nd331.d20.k4")
            .unwrap_or_else(|| panic!("{id}: escalation shown: {json:#}"));
        assert_eq!(escalation["procedure_level"], 5, "{escalation:#}");
        assert_eq!(json["procedure_level"], 5, "{json:#}");
        assert!(warns_about(
            &json,
            "Danh mục hệ thống thông tin quan trọng về an ninh quốc gia"
        ));
    }
    let json = check_case("C02");
    assert!(
        find_object(&json, "rule", "nd331.d20.k4").is_none(),
        "{json:#}"
    );
}

/// Duties shown with every result, by level: the Quy chế before approval (Đ30 k7), the two
/// yearly report dates (Đ35 k4), monitoring connection and rented-cloud separation by level.
#[test]
fn obligations_follow_the_level() {
    let l2 = check_case("C01");
    let quy_che = find_object(&l2, "id", "nd331.d30.k7").expect("Đ30 k7");
    assert_eq!(quy_che["before_step"], "approval");
    assert_eq!(
        find_object(&l2, "id", "nd331.d35.k4.a").unwrap()["due_yearly"],
        "12-20"
    );
    assert_eq!(
        find_object(&l2, "id", "nd331.d35.k4.b").unwrap()["due_yearly"],
        "12-25"
    );
    for id in ["nd331.d10.k2.a", "nd331.d28.k3", "nd331.d31.k2.d"] {
        assert!(find_object(&l2, "id", id).is_some(), "{id}: {l2:#}");
    }
    for id in [
        "nd331.d33.k5",
        "nd331.d30.k8",
        "nd331.d30.k9",
        "nd331.d31.k2.c",
    ] {
        assert!(
            find_object(&l2, "id", id).is_none(),
            "{id} is not a level-2 duty"
        );
    }
    let l3 = check_case("C02");
    assert!(find_object(&l3, "id", "nd331.d33.k5").is_some());
    assert!(find_object(&l3, "id", "nd331.d30.k8").is_some());
    assert!(find_object(&l3, "id", "nd331.d30.k9").is_none());
    let l5 = check_case("C25b");
    assert!(find_object(&l5, "id", "nd331.d30.k9").is_some());
    assert!(find_object(&l5, "id", "nd331.d31.k2.c").is_some());
    assert!(find_object(&l5, "id", "nd331.d30.k8").is_none());
}

/// Mẫu 01–08 by level (Phụ lục): 01 for levels 1–2, 02 for 3 (judgement) and 4–5, 03 for 4–5,
/// 07 for level 5, 08 (yearly report) for all.
#[test]
fn forms_follow_the_level() {
    let l1 = check_case("C06");
    for id in ["mau_01", "mau_08"] {
        assert!(find_object(&l1, "id", id).is_some(), "{id}: {l1:#}");
    }
    for id in ["mau_02", "mau_03", "mau_04", "mau_07"] {
        assert!(find_object(&l1, "id", id).is_none(), "{id} at level 1");
    }
    let l3 = check_case("C02");
    let mau_02 = find_object(&l3, "id", "mau_02.level3").expect("Mẫu 02 for level 3");
    assert_eq!(mau_02["basis"], "interpretation");
    for id in ["mau_04", "mau_05", "mau_06"] {
        assert!(find_object(&l3, "id", id).is_some(), "{id}: {l3:#}");
    }
    assert!(find_object(&l3, "id", "mau_01").is_none());
    let l5 = check_case("C15");
    for id in ["mau_02", "mau_03", "mau_04", "mau_07", "mau_08"] {
        assert!(find_object(&l5, "id", id).is_some(), "{id}: {l5:#}");
    }
}

/// The transition from Decree 85 (Law 116 Đ45 k1, Decree 331 Đ39 k1) and the scope of one
/// dossier (Đ22 k4 a).
#[test]
fn the_transition_from_decree_85_and_the_dossier_scope() {
    let registry = Registry::load(None).unwrap();
    let pack = registry.get(ND331).unwrap();
    let t = pack.transition.as_ref().expect("transition");
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(t.predecessor, ND85);
    assert_eq!(t.keep_approved.approved_before, date(2026, 7, 1));
    assert_eq!(t.keep_approved.comply_by, date(2027, 7, 1));
    let projects = t.investment_projects.as_ref().expect("Đ39 k1");
    assert_eq!(projects.finish_under, ND85);
    assert_eq!(projects.approve_by, date(2027, 1, 1));
    assert_eq!(projects.comply_by, date(2027, 7, 1));
    assert!(t.gap.is_some());
    assert!(t
        .redetermination
        .citation
        .as_deref()
        .unwrap()
        .contains("Điều 25"));
    let json = check_case("C09");
    assert_eq!(json["dossier_scope"]["several_systems"], true, "{json:#}");
}

/// Decree 331 sets no inspection interval: the TCVN 14423:2026 cadence is the default, marked
/// as reported.
#[test]
fn the_periodic_assessment_is_marked_as_reported() {
    let json = check_case("C02");
    assert_eq!(json["periodic_assessment"]["every_months"], 6);
    assert_eq!(json["periodic_assessment"]["basis"], "reported");
}

// ------------------------------------------------------------------ one test per case

/// C01
#[test]
fn case_c01() {
    check_case("C01");
}

/// C01b
#[test]
fn case_c01b() {
    check_case("C01b");
}

/// C02
#[test]
fn case_c02() {
    check_case("C02");
}

/// C02b
#[test]
fn case_c02b() {
    check_case("C02b");
}

/// C02c
#[test]
fn case_c02c() {
    check_case("C02c");
}

/// C02d
#[test]
fn case_c02d() {
    check_case("C02d");
}

/// C03
#[test]
fn case_c03() {
    check_case("C03");
}

/// C03b
#[test]
fn case_c03b() {
    check_case("C03b");
}

/// C03c
#[test]
fn case_c03c() {
    check_case("C03c");
}

/// C03d
#[test]
fn case_c03d() {
    check_case("C03d");
}

/// C04
#[test]
fn case_c04() {
    check_case("C04");
}

/// C05
#[test]
fn case_c05() {
    check_case("C05");
}

/// C06
#[test]
fn case_c06() {
    check_case("C06");
}

/// C06b
#[test]
fn case_c06b() {
    check_case("C06b");
}

/// C07
#[test]
fn case_c07() {
    check_case("C07");
}

/// C07b
#[test]
fn case_c07b() {
    check_case("C07b");
}

/// C08
#[test]
fn case_c08() {
    check_case("C08");
}

/// C09
#[test]
fn case_c09() {
    check_case("C09");
}

/// C09b
#[test]
fn case_c09b() {
    check_case("C09b");
}

/// C10
#[test]
fn case_c10() {
    check_case("C10");
}

/// C10b
#[test]
fn case_c10b() {
    check_case("C10b");
}

/// C10c
#[test]
fn case_c10c() {
    check_case("C10c");
}

/// C10d
#[test]
fn case_c10d() {
    check_case("C10d");
}

/// C11
#[test]
fn case_c11() {
    check_case("C11");
}

/// C12
#[test]
fn case_c12() {
    check_case("C12");
}

/// C13
#[test]
fn case_c13() {
    check_case("C13");
}

/// C14
#[test]
fn case_c14() {
    check_case("C14");
}

/// C14b
#[test]
fn case_c14b() {
    check_case("C14b");
}

/// C14c
#[test]
fn case_c14c() {
    check_case("C14c");
}

/// C15
#[test]
fn case_c15() {
    check_case("C15");
}

/// C15b
#[test]
fn case_c15b() {
    check_case("C15b");
}

/// C16
#[test]
fn case_c16() {
    check_case("C16");
}

/// C16b
#[test]
fn case_c16b() {
    check_case("C16b");
}

/// C17
#[test]
fn case_c17() {
    check_case("C17");
}

/// C18
#[test]
fn case_c18() {
    check_case("C18");
}

/// C18b
#[test]
fn case_c18b() {
    check_case("C18b");
}

/// C19a
#[test]
fn case_c19a() {
    check_case("C19a");
}

/// C19b
#[test]
fn case_c19b() {
    check_case("C19b");
}

/// C19c
#[test]
fn case_c19c() {
    check_case("C19c");
}

/// C19d
#[test]
fn case_c19d() {
    check_case("C19d");
}

/// C19e
#[test]
fn case_c19e() {
    check_case("C19e");
}

/// C20a
#[test]
fn case_c20a() {
    check_case("C20a");
}

/// C20b
#[test]
fn case_c20b() {
    check_case("C20b");
}

/// C20c
#[test]
fn case_c20c() {
    check_case("C20c");
}

/// C21
#[test]
fn case_c21() {
    check_case("C21");
}

/// C22
#[test]
fn case_c22() {
    check_case("C22");
}

/// C22b
#[test]
fn case_c22b() {
    check_case("C22b");
}

/// C22c
#[test]
fn case_c22c() {
    check_case("C22c");
}

/// C22d
#[test]
fn case_c22d() {
    check_case("C22d");
}

/// C23
#[test]
fn case_c23() {
    check_case("C23");
}

/// C23b
#[test]
fn case_c23b() {
    check_case("C23b");
}

/// C24
#[test]
fn case_c24() {
    check_case("C24");
}

/// C24b
#[test]
fn case_c24b() {
    check_case("C24b");
}

/// C25
#[test]
fn case_c25() {
    check_case("C25");
}

/// C25b
#[test]
fn case_c25b() {
    check_case("C25b");
}

/// N1
#[test]
fn case_n1() {
    check_case("N1");
}

/// N2
#[test]
fn case_n2() {
    check_case("N2");
}

/// N2b
#[test]
fn case_n2b() {
    check_case("N2b");
}

/// N8
#[test]
fn case_n8() {
    check_case("N8");
}

/// N8b
#[test]
fn case_n8b() {
    check_case("N8b");
}

/// N9
#[test]
fn case_n9() {
    check_case("N9");
}

/// N10
#[test]
fn case_n10() {
    check_case("N10");
}

/// N11
#[test]
fn case_n11() {
    check_case("N11");
}

/// N12
#[test]
fn case_n12() {
    check_case("N12");
}

/// N13
#[test]
fn case_n13() {
    check_case("N13");
}

/// N14
#[test]
fn case_n14() {
    check_case("N14");
}

/// T01
#[test]
fn case_t01() {
    check_case("T01");
}

/// T02
#[test]
fn case_t02() {
    check_case("T02");
}

/// T03
#[test]
fn case_t03() {
    check_case("T03");
}

/// T04
#[test]
fn case_t04() {
    check_case("T04");
}

/// T05
#[test]
fn case_t05() {
    check_case("T05");
}

/// T06
#[test]
fn case_t06() {
    check_case("T06");
}

/// T07
#[test]
fn case_t07() {
    check_case("T07");
}

/// T08
#[test]
fn case_t08() {
    check_case("T08");
}

/// T09
#[test]
fn case_t09() {
    check_case("T09");
}

/// T10
#[test]
fn case_t10() {
    check_case("T10");
}

/// T11
#[test]
fn case_t11() {
    check_case("T11");
}

/// T12
#[test]
fn case_t12() {
    check_case("T12");
}

/// T13
#[test]
fn case_t13() {
    check_case("T13");
}

/// T14
#[test]
fn case_t14() {
    check_case("T14");
}

/// T15
#[test]
fn case_t15() {
    check_case("T15");
}

/// T16
#[test]
fn case_t16() {
    check_case("T16");
}

/// T17
#[test]
fn case_t17() {
    check_case("T17");
}

/// T18
#[test]
fn case_t18() {
    check_case("T18");
}

/// T19
#[test]
fn case_t19() {
    check_case("T19");
}

/// T20
#[test]
fn case_t20() {
    check_case("T20");
}

/// T21
#[test]
fn case_t21() {
    check_case("T21");
}

/// T22
#[test]
fn case_t22() {
    check_case("T22");
}

/// T23
#[test]
fn case_t23() {
    check_case("T23");
}

/// T24
#[test]
fn case_t24() {
    check_case("T24");
}

/// T25
#[test]
fn case_t25() {
    check_case("T25");
}

/// T26
#[test]
fn case_t26() {
    check_case("T26");
}

/// T27
#[test]
fn case_t27() {
    check_case("T27");
}

/// T28
#[test]
fn case_t28() {
    check_case("T28");
}

/// T29
#[test]
fn case_t29() {
    check_case("T29");
}

/// T30
#[test]
fn case_t30() {
    check_case("T30");
}

/// T31
#[test]
fn case_t31() {
    check_case("T31");
}

/// T32
#[test]
fn case_t32() {
    check_case("T32");
}

/// T33
#[test]
fn case_t33() {
    check_case("T33");
}
