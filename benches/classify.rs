//! Criterion benchmarks of the rules engine: a typical citizen-facing system, a composite of
//! ten components, and loading + validating the Decree 85 pack.

use std::hint::black_box;

use capdo::domain::SystemFacts;
use capdo::rules::{classify, load_pack};
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

const PACK: &str = include_str!("../rules/nd85-2016.yaml");

fn typical() -> SystemFacts {
    serde_json::from_str(
        r#"{ "function": "citizen_business", "kind": "public_service_system", "tier": "department",
            "information": ["public", "private", "personal"], "online_services": true,
            "public_service_mode": "full_process", "online_filing": true, "personal_data_subjects": 3200 }"#,
    )
    .unwrap()
}

fn composite() -> SystemFacts {
    let mut parent: SystemFacts = serde_json::from_str(
        r#"{ "function": "citizen_business", "kind": "portal", "information": ["public"] }"#,
    )
    .unwrap();
    parent.components = (0..10)
        .map(|i| {
            let mut c = typical();
            c.personal_data_subjects = Some(1000 * i);
            c
        })
        .collect();
    parent
}

fn benches(c: &mut Criterion) {
    let pack = load_pack("nd85-2016.yaml", PACK).expect("pack loads");
    let date = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let facts = typical();
    c.bench_function("classify typical citizen-facing system", |b| {
        b.iter(|| {
            classify(black_box(&pack), black_box(&facts), date)
                .unwrap()
                .level
        })
    });
    let big = composite();
    c.bench_function("classify composite of 10 components", |b| {
        b.iter(|| {
            classify(black_box(&pack), black_box(&big), date)
                .unwrap()
                .level
        })
    });
    c.bench_function("load and validate the nd85-2016 pack", |b| {
        b.iter(|| {
            load_pack("nd85-2016.yaml", black_box(PACK))
                .unwrap()
                .criteria
                .len()
        })
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
