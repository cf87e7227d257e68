//! What the annual-report tests start from: systems at several levels, dossiers with dated
//! steps, assessments and two warnings around the 14/12–15/12 boundary, written through the API
//! where it allows and straight to the database where dates must be set.

use std::time::Duration;

use capdo::db::{self, schema};
use capdo::domain::Role;
use capdo::repo::assessments::AssessmentRow;
use capdo::repo::dossiers::{DossierRow, StepRow};
use capdo::services::alert_send;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::support::{json as json_of, TestApp};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A system through the API, then its levels and status set in the database.
async fn system(
    app: &TestApp,
    org: &str,
    name: &str,
    proposed: Option<i32>,
    approved: Option<i32>,
    status: &str,
) -> (String, String) {
    let body = json!({
        "organization_id": org, "name": name, "owner_name": "UBND tỉnh Đồng Nai", "kind": "portal",
        "facts": { "function": "citizen_business", "information": ["public"], "public_service_level": 2 }
    });
    let (code, s) = json_of(app.post("/api/v1/systems", &app.admin_token(), &body).await).await;
    assert_eq!(code, 201, "{s}");
    let id = s["id"].as_str().unwrap().to_string();
    let status = status.to_string();
    let sid = id.clone();
    let regime = app
        .state
        .db
        .run(move |conn| {
            use schema::systems::dsl as s;
            diesel::update(s::systems.find(&sid))
                .set((
                    s::proposed_level.eq(proposed),
                    s::approved_level.eq(approved),
                    s::status.eq(status),
                ))
                .execute(conn)?;
            Ok(s::systems
                .find(&sid)
                .select(s::regime_id)
                .first::<String>(conn)?)
        })
        .await
        .unwrap();
    (id, regime)
}

/// A dossier with its timeline `(to_status, day)` written straight to the database.
async fn dossier(
    app: &TestApp,
    system: &(String, String),
    org: &str,
    proposed: i32,
    approved: Option<i32>,
    steps: &[(&str, &str)],
) {
    let now = db::now();
    let id = db::new_id();
    let row = DossierRow {
        id: id.clone(),
        system_id: system.0.clone(),
        organization_id: org.into(),
        kind: "first".into(),
        proposed_level: proposed,
        procedure_level: proposed,
        regime_id: system.1.clone(),
        regime_version: "test".into(),
        status: steps.last().map(|s| s.0).unwrap_or("draft").into(),
        submission_number: None,
        submission_date: None,
        submission_recipient: None,
        received_on: None,
        appraisal_started_on: None,
        appraisal_opinion: None,
        appraisal_number: None,
        appraisal_date: None,
        decision_number: None,
        decision_date: None,
        approved_level: approved,
        created_by: None,
        created_at: now,
        updated_at: now,
        appraiser_unit_id: None,
        appraiser_unit_name: None,
        approver_unit_id: None,
        approver_unit_name: None,
        clock_step: None,
        clock_started_on: None,
        clock_due_on: None,
    };
    let steps: Vec<StepRow> = steps
        .iter()
        .map(|(to, on)| StepRow {
            id: db::new_id(),
            dossier_id: id.clone(),
            from_status: None,
            to_status: to.to_string(),
            occurred_on: day(on),
            document_number: Some("12/SCT-VP".into()),
            document_date: Some(day(on)),
            note: None,
            actor_id: None,
            actor_label: "test".into(),
            at: now,
        })
        .collect();
    app.state
        .db
        .run(move |conn| {
            capdo::repo::dossiers::insert(conn, &row)?;
            for s in &steps {
                capdo::repo::dossiers::insert_step(conn, s)?;
            }
            Ok(())
        })
        .await
        .unwrap();
}

async fn assessment(
    app: &TestApp,
    org: &str,
    system_id: Option<&str>,
    due: &str,
    done: Option<&str>,
) {
    let now = db::now();
    let row = AssessmentRow {
        id: db::new_id(),
        organization_id: org.into(),
        system_id: system_id.map(str::to_string),
        scope: if system_id.is_some() {
            "system"
        } else {
            "agency"
        }
        .into(),
        regime_id: "nd85-2016".into(),
        citation: "Điều 20 Nghị định 85/2016/NĐ-CP".into(),
        due_on: day(due),
        done_on: done.map(day),
        assessor: None,
        result: None,
        document_number: None,
        document_date: None,
        note: None,
        created_by: None,
        created_at: now,
        updated_at: now,
        interval_months: None,
        interval_reason: None,
    };
    app.state
        .db
        .run(move |conn| Ok(capdo::repo::assessments::insert(conn, &row)?))
        .await
        .unwrap();
}

/// A warning to every security officer, sent through the API and delivered by the outbox
/// worker; then its sending instant is moved to `sent_at` (UTC).
async fn warning(app: &TestApp, title: &str, sent_at: &str) -> String {
    let admin = app.admin_token();
    let body = json!({
        "organization_id": app.tree.root.id, "title": title, "severity": "high",
        "source_authority": "Cục An toàn thông tin", "body": "Cập nhật bản vá.",
        "cve_ids": [], "affected_products": [], "required_action": "Cập nhật bản vá và báo cáo",
        "audience": { "organization_ids": [], "roles": ["security_officer"], "user_ids": [], "systems_with_affected_products": false }
    });
    let (status, draft) = json_of(app.post("/api/v1/alerts", &admin, &body).await).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_str().unwrap().to_string();
    let (status, sent) = json_of(
        app.post(&format!("/api/v1/alerts/{id}/send"), &admin, &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    let mut done = false;
    for _ in 0..100 {
        let (_, a) = json_of(app.get(&format!("/api/v1/alerts/{id}"), &admin).await).await;
        if a["progress"]["sent"].as_i64() == Some(2) {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done, "warning {id} not delivered in time");
    let at = chrono::NaiveDateTime::parse_from_str(sent_at, "%Y-%m-%d %H:%M:%S").unwrap();
    let aid = id.clone();
    app.state
        .db
        .run(move |conn| {
            use schema::alerts::dsl as a;
            diesel::update(a::alerts.find(&aid))
                .set(a::sent_at.eq(Some(at)))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    id
}

/// The outbox message of the warning `alert_id` to `email`: (outbox id, text body).
async fn message_to(app: &TestApp, alert_id: &str, email: &str) -> (String, String) {
    let (alert_id, email) = (alert_id.to_string(), email.to_string());
    app.state
        .db
        .run(move |conn| {
            use schema::{alert_deliveries as d, outbox as o};
            Ok(d::table
                .inner_join(o::table.on(o::id.nullable().eq(d::outbox_id)))
                .filter(d::alert_id.eq(alert_id))
                .filter(d::email.eq(email))
                .select((o::id, o::text_body))
                .first::<(String, String)>(conn)?)
        })
        .await
        .unwrap()
}

pub(super) async fn report(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, v) = json_of(
        app.get(&format!("/api/v1/reports/annual?{query}"), token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{query}: {v}");
    v
}

/// Three units' data: the office (root's child) holds four systems, the technical unit one.
pub(super) async fn seed(app: &TestApp) -> (String, String) {
    let office = app.tree.office.id.clone();
    let tech = app.tree.tech.id.clone();
    let s1 = system(
        app,
        &office,
        "Cổng dịch vụ công",
        Some(3),
        Some(3),
        "in_operation",
    )
    .await;
    let s2 = system(
        app,
        &office,
        "Cổng thông tin",
        Some(2),
        None,
        "in_operation",
    )
    .await;
    system(
        app,
        &office,
        "Hệ thống chưa phân loại",
        None,
        None,
        "planned",
    )
    .await;
    system(app, &office, "Trang cũ", Some(1), None, "retired").await;
    let s5 = system(app, &tech, "Thư điện tử", Some(1), Some(1), "in_operation").await;
    // D1: first sent the day before the 2025 period, returned and sent again on its first
    // day, approved on its last day.
    dossier(
        app,
        &s1,
        &office,
        3,
        Some(3),
        &[
            ("submitted", "2024-12-14"),
            ("returned", "2024-12-14"),
            ("submitted", "2024-12-15"),
            ("approved", "2025-12-14"),
        ],
    )
    .await;
    // D2: sent on the first day of the 2026 period.
    dossier(app, &s2, &office, 2, None, &[("submitted", "2025-12-15")]).await;
    dossier(
        app,
        &s5,
        &tech,
        1,
        Some(1),
        &[("submitted", "2025-06-01"), ("approved", "2025-07-01")],
    )
    .await;
    app.state
        .db
        .run(|conn| Ok(diesel::delete(schema::assessments::table).execute(conn)?))
        .await
        .unwrap();
    assessment(app, &office, Some(&s1.0), "2025-03-01", Some("2025-02-20")).await;
    assessment(app, &office, None, "2025-12-14", None).await;
    assessment(app, &office, Some(&s2.0), "2025-12-15", None).await;
    assessment(app, &tech, Some(&s5.0), "2024-12-15", Some("2024-12-14")).await;

    app.add_user("attt.vp@sct.gov.vn", Role::SecurityOfficer, &office)
        .await;
    let tech_officer = app
        .add_user("attt.kt@sct.gov.vn", Role::SecurityOfficer, &tech)
        .await;
    // 23:59:59 on 14/12/2025 in Vietnam: inside the 2025 period.
    let inside = warning(app, "Lỗ hổng Apache", "2025-12-14 16:59:59").await;
    // 00:00 on 15/12/2025 in Vietnam: the 2026 period.
    warning(app, "Lỗ hổng OpenSSL", "2025-12-14 17:00:00").await;
    let (_, body) = message_to(app, &inside, "attt.vp@sct.gov.vn").await;
    let start = body.find("/ack/").expect("ack link") + 5;
    let token = body[start..].split_whitespace().next().unwrap().to_string();
    let signer = app.state.ack.clone();
    app.state
        .db
        .run(move |conn| {
            alert_send::answer(conn, &signer, &token, "received", None)
                .map_err(|e| capdo::error::AppError::internal(anyhow::anyhow!("{e:?}")))?;
            Ok(())
        })
        .await
        .unwrap();
    let (failed, _) = message_to(app, &inside, "attt.kt@sct.gov.vn").await;
    app.state
        .db
        .run(move |conn| {
            use schema::outbox::dsl as o;
            diesel::update(o::outbox.find(&failed))
                .set(o::status.eq("failed"))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    (office, app.token_for(&tech_officer))
}
