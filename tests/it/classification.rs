//! Classification through the API and the CLI, and the properties every result must have.

use std::io::Write;
use std::process::{Command, Stdio};

use capdo::domain::SystemFacts;
use capdo::rules::{classify, Registry, Status};
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::nd85_cases::cases;
use crate::support::{error_code, json as json_of, TestApp};

const DATE: &str = "2026-01-15";

fn cli_classify(facts: &Value, extra: &[&str]) -> (i32, String, String) {
    cli_classify_with(facts, extra, &[])
}

/// `capdo classify ARGS -` with the facts on stdin and extra environment variables.
fn cli_classify_with(facts: &Value, extra: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_capdo"))
        .args(["classify"])
        .args(extra)
        .arg("-")
        .env_remove("CAPDO_RULES_DIR")
        .env_remove("CAPDO_DEFAULT_REGIME")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(facts.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test]
async fn the_api_and_the_cli_agree_on_every_case() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    for case in cases() {
        let body = json!({ "facts": case["facts"], "regime": "nd85-2016", "date": DATE });
        let (status, api) = json_of(app.post("/api/v1/classify", &token, &body).await).await;
        assert_eq!(status, 200, "{}: {api}", case["case"]);
        let (code, stdout, stderr) =
            cli_classify(&case["facts"], &["--regime", "nd85-2016", "--date", DATE]);
        assert_eq!(code, 0, "{}: {stderr}", case["case"]);
        let cli: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(api, cli, "{} differs between API and CLI", case["case"]);
        assert_eq!(api["level"], case["level"], "{}", case["case"]);
    }
}

#[tokio::test]
async fn the_contract_example_is_level_three_with_its_clauses() {
    let app = TestApp::spawn().await;
    let facts = json!({ "function": "citizen_business", "kind": "public_service_system", "tier": "department",
        "information": ["public", "private", "personal"], "online_services": true,
        "public_service_mode": "full_process", "online_filing": true, "personal_data_subjects": 3200 });
    let (status, body) = json_of(
        app.post(
            "/api/v1/classify",
            &app.admin_token(),
            &json!({ "facts": facts, "regime": "nd85-2016", "date": DATE }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["regime"]["id"], "nd85-2016");
    assert_eq!(body["regime"]["effective_from"], "2016-07-01");
    assert_eq!(body["level"], 3);
    assert_eq!(body["status"], "determined");
    let first = &body["matched"][0];
    for key in ["rule", "level", "citation", "summary"] {
        assert!(!first[key].is_null(), "{key}");
    }
    assert!(body["authority"]["approver"]
        .as_str()
        .unwrap()
        .contains("Chủ quản"));
    assert!(body["time_limits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["step"] == "appraisal" && t["limit"] == 15));
    assert_eq!(body["periodic_assessment"]["every_months"], 12);
    // The question that could change a level-2 citizen system appears only when it could.
    let small = json!({ "function": "citizen_business", "information": ["personal"], "online_services": true, "conditional_business_service": false });
    let (_, body) = json_of(
        app.post(
            "/api/v1/classify",
            &app.admin_token(),
            &json!({ "facts": small, "date": DATE }),
        )
        .await,
    )
    .await;
    assert_eq!(body["level"], 2);
    let q = body["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["field"] == "personal_data_subjects")
        .expect("question");
    assert_eq!(q["could_change_level_to"], 3);
    assert!(q["text"].as_str().unwrap().contains("10.000"));
}

#[tokio::test]
async fn invalid_facts_name_the_field_in_the_api_and_the_cli() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let bad = [
        (
            json!({ "function": "internal", "information": ["state_secret"] }),
            "state_secret_grade",
        ),
        (
            json!({ "function": "internal", "information": ["private"], "state_secret_grade": "mat" }),
            "state_secret_grade",
        ),
        (
            json!({ "function": "internal", "information": ["private"], "ics_works_grade": "i" }),
            "ics_works_grade",
        ),
        (
            json!({ "function": "internal", "information": ["private"], "infrastructure_scope": "nationwide" }),
            "infrastructure_scope",
        ),
        (
            json!({ "function": "citizen_business", "information": ["personal"], "personal_data_subjects": -1 }),
            "personal_data_subjects",
        ),
        (
            json!({ "function": "citizen_business", "information": ["personal"], "kind": "spaceship" }),
            "kind",
        ),
        (
            json!({ "function": "citizen_business", "information": [] }),
            "information",
        ),
        (json!({ "information": ["public"] }), "function"),
        (
            json!({ "function": "internal", "information": ["public"], "components": [{ "function": "internal", "information": ["state_secret"] }] }),
            "components[0].state_secret_grade",
        ),
    ];
    for (facts, field) in bad {
        let (status, body) = json_of(
            app.post("/api/v1/classify", &token, &json!({ "facts": facts }))
                .await,
        )
        .await;
        assert_eq!(status, 422, "{facts}: {body}");
        assert_eq!(error_code(&body), "validation_failed");
        assert!(
            body["error"]["fields"][format!("facts.{field}")].is_array(),
            "{field}: {body}"
        );
        let (code, _, stderr) = cli_classify(&facts, &[]);
        assert_eq!(code, 2, "{facts}");
        assert!(stderr.contains(field), "{field}: {stderr}");
    }
    // A typo in a fact name is caught by name too.
    let typo = json!({ "funtion": "internal", "information": ["public"] });
    let (status, body) = json_of(
        app.post("/api/v1/classify", &token, &json!({ "facts": typo }))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("funtion"), "{body}");
    let (code, _, stderr) = cli_classify(&typo, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("funtion"), "{stderr}");
}

#[tokio::test]
async fn unknown_tags_are_refused_by_name_in_the_api_the_cli_and_the_register() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let facts = |tags: Value| json!({ "function": "citizen_business", "information": ["public"], "tags": tags });
    // A tag of the vocabulary is accepted…
    let (status, body) = json_of(
        app.post(
            "/api/v1/classify",
            &token,
            &json!({ "facts": facts(json!(["connects_eid"])) }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // …an unknown one is refused, naming the field and the value.
    let bad = facts(json!(["connects_eid", "phan_mem_la"]));
    let (status, body) = json_of(
        app.post("/api/v1/classify", &token, &json!({ "facts": bad }))
            .await,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error_code(&body), "validation_failed");
    let messages = &body["error"]["fields"]["facts.tags"];
    assert_eq!(messages.as_array().map(Vec::len), Some(1), "{body}");
    assert!(
        messages[0].as_str().unwrap().contains("phan_mem_la"),
        "{body}"
    );
    let nested = json!({ "function": "internal", "information": ["public"],
        "components": [facts(json!(["phan_mem_la"]))] });
    let (status, body) = json_of(
        app.post("/api/v1/classify", &token, &json!({ "facts": nested }))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["fields"]["facts.components[0].tags"].is_array(),
        "{body}"
    );

    let (code, _, stderr) = cli_classify(&bad, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("tags") && stderr.contains("phan_mem_la"),
        "{stderr}"
    );

    let before = app.audit_count().await;
    let (status, body) = json_of(
        app.post(
            "/api/v1/systems",
            &token,
            &json!({ "name": "Cổng thông tin", "owner_name": "UBND tỉnh", "facts": bad }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["fields"]["facts.tags"].is_array(), "{body}");
    assert_eq!(app.audit_count().await, before, "nothing registered");
}

#[tokio::test]
async fn unknown_regimes_are_refused_and_regimes_are_listed() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    let facts = json!({ "function": "internal", "information": ["public"] });
    let (status, body) = json_of(
        app.post(
            "/api/v1/classify",
            &token,
            &json!({ "facts": facts, "regime": "nd99-2030" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["regime"][0]
        .as_str()
        .unwrap()
        .contains("nd85-2016"));
    let (code, _, stderr) = cli_classify(&facts, &["--regime", "nd99-2030"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nd99-2030"));

    let (status, list) = json_of(app.get("/api/v1/regimes", &token).await).await;
    assert_eq!(status, 200);
    let nd85 = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "nd85-2016")
        .expect("nd85 listed");
    assert_eq!(nd85["effective_from"], "2016-07-01");
    assert_eq!(nd85["effective_until"], "2026-06-30");
    assert_eq!(nd85["criteria_per_level"][0], 1);
    assert_eq!(
        app.client
            .get(app.url("/api/v1/regimes"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let unauthenticated = app
        .client
        .post(app.url("/api/v1/classify"))
        .json(&json!({ "facts": facts }))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
}

#[tokio::test]
async fn compare_gives_one_result_per_regime() {
    let app = TestApp::spawn().await;
    let facts = json!({ "function": "internal", "information": ["private"] });
    let body = json!({ "facts": facts, "regimes": ["nd85-2016"], "date": DATE });
    let (status, body) = json_of(
        app.post("/api/v1/classify/compare", &app.admin_token(), &body)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["regime"]["id"], "nd85-2016");
    assert_eq!(body["results"][0]["level"], 2);
    let empty = json!({ "facts": facts, "regimes": [] });
    assert_eq!(
        app.post("/api/v1/classify/compare", &app.admin_token(), &empty)
            .await
            .status(),
        422
    );
}

#[test]
fn a_date_outside_the_regime_is_warned_about() {
    let registry = Registry::load(None).unwrap();
    let pack = registry.get("nd85-2016").unwrap();
    let facts: SystemFacts =
        serde_json::from_value(json!({ "function": "internal", "information": ["public"] }))
            .unwrap();
    let after = classify(pack, &facts, NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()).unwrap();
    assert!(
        after
            .warnings
            .iter()
            .any(|w| w.contains("01/09/2026") && w.contains("hiệu lực")),
        "{:?}",
        after.warnings
    );
    let during = classify(pack, &facts, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    assert!(!during.warnings.iter().any(|w| w.contains("hiệu lực của")));
}

#[test]
fn the_cli_reads_yaml_facts_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("he-thong.yaml");
    std::fs::write(
        &file,
        "function: internal\ninformation: [public, personal]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_capdo"))
        .args(["classify", "--regime", "nd85-2016", "--date", DATE])
        .arg(&file)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["level"], 2);
}

#[test]
fn check_rules_summarises_the_shipped_packs_and_fails_on_a_broken_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_capdo"))
        .arg("check-rules")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("nd85-2016") && text.contains("cấp độ 5") && text.contains("tt21-2023.d8.k2"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hong.yaml"), "id: hong\ntitle: Hỏng\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_capdo"))
        .arg("check-rules")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("hong.yaml:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------- properties

const FUNCTIONS: &[&str] = &[
    "internal",
    "citizen_business",
    "infrastructure",
    "industrial_control",
    "other",
];
const INFO: &[&str] = &["public", "private", "personal", "state_secret"];
const GRADES: &[&str] = &["mat", "toi_mat", "tuyet_mat"];
const HARMS: &[&str] = &["harm", "serious", "especially_serious"];
const SCOPES: &[&str] = &["one_agency", "multi_agency", "nationwide", "international"];
const WORKS: &[&str] = &["iv", "iii", "ii", "i", "special", "national_security"];
const MODES: &[&str] = &["information_only", "partial", "full_process"];
const KINDS: &[&str] = &[
    "portal",
    "website",
    "public_service_system",
    "one_stop",
    "database",
    "data_center",
    "network",
    "ics",
    "other",
];
const TIERS: &[&str] = &[
    "central",
    "province",
    "department",
    "district",
    "commune",
    "enterprise",
];

fn opt_bool() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(true)), Just(Some(false))]
}

fn pick(values: &'static [&'static str]) -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![Just(None), proptest::sample::select(values).prop_map(Some)]
}

/// Valid facts of one system (no components).
fn system() -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(FUNCTIONS),
        proptest::sample::subsequence(INFO, 1..=4),
        (proptest::sample::select(GRADES), pick(HARMS)),
        (
            opt_bool(),
            proptest::option::of(1i64..=4),
            pick(MODES),
            opt_bool(),
            opt_bool(),
        ),
        (
            proptest::option::of(0i64..40_000),
            pick(SCOPES),
            opt_bool(),
            opt_bool(),
            pick(WORKS),
        ),
        (
            opt_bool(),
            proptest::option::of(1i64..=5),
            pick(KINDS),
            pick(TIERS),
            opt_bool(),
        ),
    )
        .prop_map(
            |(
                function,
                info,
                (grade, harm),
                (online, psl, mode, filing, conditional),
                (subjects, scope, continuous, egov, works),
                (special, pm, kind, tier, tthc),
            )| {
                let mut f = json!({ "function": function, "information": info });
                let m = f.as_object_mut().unwrap();
                if info.contains(&"state_secret") {
                    m.insert("state_secret_grade".into(), json!(grade));
                }
                let mut put = |k: &str, v: Option<Value>| {
                    if let Some(v) = v {
                        m.insert(k.into(), v);
                    }
                };
                put("defence_security_harm", harm.map(|h| json!(h)));
                put("online_services", online.map(|b| json!(b)));
                put("public_service_level", psl.map(|n| json!(n)));
                put("public_service_mode", mode.map(|s| json!(s)));
                put("online_filing", filing.map(|b| json!(b)));
                put(
                    "conditional_business_service",
                    conditional.map(|b| json!(b)),
                );
                put("personal_data_subjects", subjects.map(|n| json!(n)));
                put("continuous_operation", continuous.map(|b| json!(b)));
                put("national_egov_system", egov.map(|b| json!(b)));
                put("special_national_data", special.map(|b| json!(b)));
                put("prime_minister_level", pm.map(|n| json!(n)));
                put("kind", kind.map(|s| json!(s)));
                put("tier", tier.map(|s| json!(s)));
                put("handles_administrative_procedures", tthc.map(|b| json!(b)));
                if function == "infrastructure" {
                    put("infrastructure_scope", scope.map(|s| json!(s)));
                }
                if function == "industrial_control" {
                    put("ics_works_grade", works.map(|s| json!(s)));
                }
                f
            },
        )
}

fn with_components() -> impl Strategy<Value = Value> {
    (system(), proptest::collection::vec(system(), 0..3)).prop_map(|(mut f, comps)| {
        if !comps.is_empty() {
            f["components"] = json!(comps);
        }
        f
    })
}

fn level_of(facts: &Value) -> (Option<u8>, Status, Value) {
    thread_local! {
        static REGISTRY: Registry = Registry::load(None).unwrap();
    }
    REGISTRY.with(|r| {
        let facts: SystemFacts =
            serde_json::from_value(facts.clone()).expect("generated facts parse");
        let result = classify(
            r.get("nd85-2016").unwrap(),
            &facts,
            NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
        )
        .expect("generated facts are valid");
        (
            result.level,
            result.status,
            serde_json::to_value(&result).unwrap(),
        )
    })
}

/// The next value up an ordered list, if any.
fn raise(facts: &mut Value, field: &str, order: &[&str]) -> bool {
    let Some(current) = facts[field].as_str() else {
        return false;
    };
    let Some(i) = order.iter().position(|v| *v == current) else {
        return false;
    };
    match order.get(i + 1) {
        Some(next) => {
            facts[field] = json!(next);
            true
        }
        None => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_level_is_one_to_five_or_the_status_is_undetermined(facts in with_components()) {
        let (level, status, json) = level_of(&facts);
        match level {
            Some(l) => prop_assert!((1..=5).contains(&l)),
            None => prop_assert_eq!(status, Status::Undetermined),
        }
        if status == Status::Undetermined {
            prop_assert!(level.is_none());
        }
        if status == Status::Determined {
            let cites = json["matched"].as_array().unwrap().len() + json["minimums"].as_array().unwrap().len()
                + json["components"].as_array().unwrap().len();
            prop_assert!(cites > 0, "a determined result cites at least one clause");
        }
    }

    #[test]
    fn the_same_input_gives_the_same_output(facts in with_components()) {
        prop_assert_eq!(level_of(&facts).2, level_of(&facts).2);
    }

    #[test]
    fn state_secrets_are_at_least_level_three(mut facts in system(), grade in proptest::sample::select(GRADES)) {
        let info = facts["information"].as_array_mut().unwrap();
        if !info.contains(&json!("state_secret")) { info.push(json!("state_secret")); }
        facts["state_secret_grade"] = json!(grade);
        let (level, _, _) = level_of(&facts);
        prop_assert!(level >= Some(3), "{facts}");
    }

    #[test]
    fn citizen_systems_are_at_least_level_two(mut facts in system()) {
        facts["function"] = json!("citizen_business");
        facts.as_object_mut().unwrap().remove("infrastructure_scope");
        facts.as_object_mut().unwrap().remove("ics_works_grade");
        let (level, _, _) = level_of(&facts);
        prop_assert!(level >= Some(2), "{facts}");
    }

    #[test]
    fn more_facts_never_lower_the_level(facts in system(), extra in system(), info in proptest::sample::select(INFO), more in 1i64..50_000) {
        let (base, _, _) = level_of(&facts);
        // Another information type.
        let mut added = facts.clone();
        let list = added["information"].as_array_mut().unwrap();
        if !list.contains(&json!(info)) {
            list.push(json!(info));
            if info == "state_secret" { added["state_secret_grade"] = json!("mat"); }
            prop_assert!(level_of(&added).0 >= base, "adding {info}: {facts}");
        }
        // More people whose data is processed.
        let mut bigger = facts.clone();
        bigger["personal_data_subjects"] = json!(facts["personal_data_subjects"].as_i64().unwrap_or(0) + more);
        prop_assert!(level_of(&bigger).0 >= base, "more subjects: {facts}");
        // A wider infrastructure scope, a higher works grade.
        let mut wider = facts.clone();
        if raise(&mut wider, "infrastructure_scope", SCOPES) {
            prop_assert!(level_of(&wider).0 >= base, "wider scope: {facts}");
        }
        let mut higher = facts.clone();
        if raise(&mut higher, "ics_works_grade", WORKS) {
            prop_assert!(level_of(&higher).0 >= base, "higher works grade: {facts}");
        }
        // A component.
        let mut composite = facts.clone();
        composite["components"] = json!([extra]);
        prop_assert!(level_of(&composite).0 >= base, "adding a component: {facts}");
    }
}

#[test]
fn an_unknown_default_regime_is_a_configuration_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_capdo"))
        .args(["classify", "-"])
        .env("CAPDO_DEFAULT_REGIME", "nd00-1900")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("default_regime") && stderr.contains("nd00-1900"),
        "{stderr}"
    );
}

#[test]
fn an_agency_overlay_replaces_a_shipped_pack_by_id() {
    let dir = tempfile::tempdir().unwrap();
    // The agency's copy of the pack, with the 10.000-user threshold of Đ9 k2 c lowered.
    let shipped = include_str!("../../rules/nd85-2016.yaml");
    let overlay = shipped.replace(
        "{ field: personal_data_subjects, gte: 10000 }",
        "{ field: personal_data_subjects, gte: 5000 }",
    );
    assert_ne!(shipped, overlay, "the overlay must change something");
    std::fs::write(dir.path().join("nd85-2016.yaml"), overlay).unwrap();
    let facts = json!({ "function": "citizen_business", "information": ["personal"], "online_services": true, "conditional_business_service": false, "personal_data_subjects": 6000 });
    let level = |env: &[(&str, &str)]| {
        let (code, stdout, stderr) =
            cli_classify_with(&facts, &["--regime", "nd85-2016", "--date", DATE], env);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str::<Value>(&stdout).unwrap()["level"].clone()
    };
    let overlay_dir = dir.path().to_string_lossy().to_string();
    assert_eq!(level(&[]), 2);
    assert_eq!(level(&[("CAPDO_RULES_DIR", overlay_dir.as_str())]), 3);
}
