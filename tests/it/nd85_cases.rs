//! Every worked case of `shared/legal/cases.md` under Decree 85, each its own test.
//! The facts, expected level, status and clauses are in `tests/data/nd85-cases.json`.

use chrono::NaiveDate;
use serde_json::Value;

use capdo::domain::SystemFacts;
use capdo::rules::{classify, Registry};

/// A date when Decree 85 and every minimum-level rule it carries were in force.
fn in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
}

/// The cases as data (`tests/data/nd85-cases.json`): facts, expected level, status, clauses.
pub fn cases() -> Vec<Value> {
    serde_json::from_str(include_str!("../data/nd85-cases.json")).expect("cases file")
}

/// Classifies the case's facts and checks level, status and that every expected clause is cited.
fn check_case(id: &str) -> Value {
    let case = cases()
        .into_iter()
        .find(|c| c["case"] == id)
        .expect("case in the data file");
    let level = case["level"].as_u64().map(|l| l as u8);
    let clauses: Vec<&str> = case["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    check(
        &case["facts"].to_string(),
        level,
        case["status"].as_str().unwrap(),
        &clauses,
    )
}

/// Classifies `facts` and checks level, status and that every expected clause is cited.
fn check(facts: &str, level: Option<u8>, status: &str, clauses: &[&str]) -> Value {
    let registry = Registry::load(None).expect("shipped packs");
    let pack = registry.get("nd85-2016").expect("nd85 pack");
    let facts: SystemFacts = serde_json::from_str(facts).expect("case facts parse");
    let result = classify(pack, &facts, in_force()).expect("case facts are valid");
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(result.level, level, "level: {json:#}");
    assert_eq!(json["status"], status, "status: {json:#}");
    let cited: Vec<&str> = json["matched"]
        .as_array()
        .unwrap()
        .iter()
        .chain(json["minimums"].as_array().unwrap())
        .map(|m| m["rule"].as_str().unwrap())
        .collect();
    for clause in clauses {
        assert!(
            cited.contains(clause),
            "{clause} not cited; cited {cited:?}"
        );
    }
    if level.is_some() && status == "determined" {
        assert!(
            !cited.is_empty() || !json["components"].as_array().unwrap().is_empty(),
            "a determined level cites a clause"
        );
    }
    json
}

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
    let json = check_case("C16b");
    assert!(
        json["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["field"] == "continuous_operation" && q["could_change_level_to"] == 4),
        "{json:#}"
    );
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
    let json = check_case("N8");
    assert!(
        json["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("Điều 21")),
        "undetermined explains the human decision: {json:#}"
    );
    assert!(json["authority"].is_null());
}

/// N8b
#[test]
fn case_n8b() {
    check_case("N8b");
}

/// N9
#[test]
fn case_n9() {
    let json = check_case("N9");
    assert!(
        json["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["field"] == "infrastructure_scope"),
        "{json:#}"
    );
}

/// N10
#[test]
fn case_n10() {
    let json = check_case("N10");
    assert!(
        json["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["field"] == "ics_works_grade"),
        "{json:#}"
    );
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
    let json = check_case("N14");
    assert!(
        !json["matched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["rule"] == "nd85.d8.k2.a"),
        "{json:#}"
    );
}

/// Negative assertion 6: the ATTT unit's professional opinion (Đ15 k5) is part of the dossier
/// for levels 4–5 only, never for levels 1–3.
#[test]
fn case_n6() {
    let registry = Registry::load(None).unwrap();
    let pack = registry.get("nd85-2016").unwrap();
    for level in 1..=5u8 {
        let p = pack.procedure(level).unwrap();
        assert_eq!(
            p.dossier
                .iter()
                .any(|d| d.component == "professional_opinion"),
            level >= 4,
            "level {level}"
        );
    }
}

/// Negative assertion 7: the approval dossier includes the appraisal opinion (Đ17 k1 b) only
/// for levels ≥ 3.
#[test]
fn case_n7() {
    let registry = Registry::load(None).unwrap();
    let pack = registry.get("nd85-2016").unwrap();
    for level in 1..=5u8 {
        let p = pack.procedure(level).unwrap();
        assert_eq!(
            p.approval_dossier
                .iter()
                .any(|d| d.component == "appraisal_opinion"),
            level >= 3,
            "level {level}"
        );
    }
}

/// The rest of the procedure per level: the common dossier components and the appraisal time
/// limit (Đ15 k1–k4, Đ16 k2).
#[test]
fn dossier_components_and_appraisal_limits_follow_the_level() {
    let registry = Registry::load(None).unwrap();
    let pack = registry.get("nd85-2016").unwrap();
    for level in 1..=5u8 {
        let p = pack.procedure(level).unwrap();
        for c in ["overview", "design", "justification", "security_plan"] {
            assert!(
                p.dossier.iter().any(|d| d.component == c),
                "level {level} lacks {c}"
            );
        }
        let appraisal = p
            .time_limits
            .iter()
            .find(|t| t.step == "appraisal")
            .map(|t| t.limit);
        assert_eq!(
            appraisal,
            match level {
                3 => Some(15),
                4 | 5 => Some(30),
                _ => None,
            },
            "level {level}"
        );
    }
}

/// Negative assertion 5: the user-count boundary of Đ8 k2 c / Đ9 k2 c. 9 999 persons → level 2,
/// exactly 10 000 → level 3.
#[test]
fn case_n5() {
    let facts = |subjects: u32| {
        format!(
            r#"{{"function":"citizen_business","kind":"online_service","information":["personal"],
               "online_services":true,"conditional_business_service":false,
               "personal_data_subjects":{subjects}}}"#
        )
    };
    let below = check(&facts(9_999), Some(2), "determined", &["nd85.d8.k2.c"]);
    assert!(
        !below["matched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["rule"] == "nd85.d9.k2.c"),
        "9 999 is below the threshold: {below:#}"
    );
    check(&facts(10_000), Some(3), "determined", &["nd85.d9.k2.c"]);
}

/// Registers the C02 database once per variant (each overrides a few record fields such as the
/// hosting or the operator, never the facts); returns the computed level of each registration.
async fn registered_levels(
    app: &crate::support::TestApp,
    variants: &[serde_json::Value],
) -> Vec<serde_json::Value> {
    let token = app.admin_token();
    let mut levels = Vec::new();
    for (i, change) in variants.iter().enumerate() {
        // C02: the industry-and-trade database shared by the agencies of the sector.
        let mut body = serde_json::json!({
            "name": format!("Cơ sở dữ liệu ngành Công Thương {i}"),
            "owner_name": "UBND tỉnh Đồng Nai",
            "kind": "database",
            "facts": {
                "function": "infrastructure",
                "kind": "database",
                "tier": "department",
                "information": ["private", "personal"],
                "infrastructure_scope": "multi_agency"
            }
        });
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let res = app.post("/api/v1/systems", &token, &body).await;
        let (status, created) = crate::support::json(res).await;
        assert_eq!(status, 201, "{change}: {created}");
        for (key, value) in change.as_object().unwrap() {
            assert_eq!(&created[key], value, "{key} is stored");
        }
        levels.push(created["classification"]["level"].clone());
    }
    levels
}

/// Negative assertion 3: outsourcing the operation to an outside company changes the operating
/// unit (Đ3 k3), never the level. Checked on the register, where the operator is recorded.
#[tokio::test]
async fn case_n3() {
    let app = crate::support::TestApp::spawn().await;
    let company = app
        .add_org_external("Công ty Cổ phần Dữ liệu số", "CT-DLS", &app.tree.root.id)
        .await;
    let levels = registered_levels(
        &app,
        &[
            serde_json::json!({ "hosting_kind": "provincial_data_center" }),
            serde_json::json!({
                "hosting_kind": "outside_provider",
                "hosting_provider": "Công ty Cổ phần Dữ liệu số",
                "operator_id": company
            }),
        ],
    )
    .await;
    assert_eq!(levels[0], 3, "C02 is level 3");
    assert_eq!(levels[1], levels[0], "the operator never changes the level");
}

/// Negative assertion 4: where the system is hosted never changes the level.
#[tokio::test]
async fn case_n4() {
    let app = crate::support::TestApp::spawn().await;
    let levels = registered_levels(
        &app,
        &[
            serde_json::json!({ "hosting_kind": "provincial_data_center", "data_in_vietnam": true }),
            serde_json::json!({ "hosting_kind": "own_server_room", "data_in_vietnam": true }),
            serde_json::json!({
                "hosting_kind": "outside_provider",
                "hosting_provider": "Công ty TNHH Máy chủ Biên Hòa",
                "data_in_vietnam": true
            }),
            serde_json::json!({
                "hosting_kind": "cloud",
                "hosting_provider": "Nhà cung cấp điện toán đám mây",
                "data_in_vietnam": false
            }),
        ],
    )
    .await;
    assert_eq!(levels[0], 3, "C02 is level 3");
    assert!(
        levels.iter().all(|l| *l == levels[0]),
        "hosting never changes the level: {levels:?}"
    );
    // Hosting is no classification fact at all: the engine refuses it by name.
    let err = serde_json::from_str::<SystemFacts>(
        r#"{"function":"infrastructure","information":["private"],"hosting_kind":"cloud"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("hosting_kind"), "{err}");
}

/// Negative assertion 1 on every function: only internal systems can be level 1.
#[test]
fn only_internal_systems_reach_level_one() {
    for function in [
        "citizen_business",
        "infrastructure",
        "industrial_control",
        "other",
    ] {
        let facts = format!(r#"{{"function":"{function}","information":["public"]}}"#);
        let registry = Registry::load(None).unwrap();
        let facts: SystemFacts = serde_json::from_str(&facts).unwrap();
        let result = classify(registry.get("nd85-2016").unwrap(), &facts, in_force()).unwrap();
        assert_ne!(result.level, Some(1), "{function}");
    }
}
