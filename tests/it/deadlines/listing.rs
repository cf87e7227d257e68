//! `GET /api/v1/deadlines` and `services::deadlines::for_actor`: sorted by due day, negative days when overdue, scoped to the subtree.

use capdo::domain::Role;
use capdo::repo::Page;
use capdo::services::deadlines::{for_actor, DeadlinePage, DeadlineQuery};
use capdo::services::Actor;

use super::{d, filing, path_of, received, under_appraisal, with_db};
use crate::support::{json as json_of, TestApp};

async fn list(app: &TestApp, actor: Actor, within_days: i64, org: Option<String>) -> DeadlinePage {
    let registry = app.state.rules.clone();
    with_db(app, move |conn| {
        for_actor(
            conn,
            &registry,
            &actor,
            d(2026, 12, 1),
            DeadlineQuery {
                within_days,
                organization_id: org,
                page: Page {
                    number: 1,
                    size: 50,
                },
            },
        )
    })
    .await
}

fn actor(scope_path: &str) -> Actor {
    Actor {
        user_id: None,
        label: "thử".into(),
        role: Role::SecurityOfficer,
        scope_path: scope_path.into(),
    }
}

#[tokio::test]
async fn deadlines_are_sorted_overdue_first_and_scoped_to_the_subtree() {
    let app = TestApp::spawn().await;
    let token = app.admin_token();
    // Root: validity check due 12/11 (overdue on 01/12). Technical unit: appraisal due 16/12.
    let late = received(
        &app,
        &token,
        filing(&app.tree.root.id, "Hệ thống một cửa"),
        "2026-11-05",
    )
    .await;
    let soon = under_appraisal(
        &app,
        &token,
        filing(&app.tree.tech.id, "Hệ thống quản lý hồ sơ"),
        "2026-11-25",
    )
    .await;
    assert_eq!(soon["clock"]["due_on"], "2026-12-16");
    // A system flagged for re-determination, dated by its last change.
    let (_, flagged) = json_of(
        app.post(
            "/api/v1/systems",
            &token,
            &crate::dossiers::portal(&app.tree.office.id),
        )
        .await,
    )
    .await;
    let flagged_id = flagged["id"].as_str().unwrap().to_string();
    with_db(&app, move |conn| {
        use capdo::db::schema::systems;
        use diesel::prelude::*;
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(3, 0, 0)
            .unwrap();
        diesel::update(systems::table.find(&flagged_id))
            .set((
                systems::redetermination_required.eq(true),
                systems::redetermination_reason.eq(Some("Thay đổi chức năng")),
                systems::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await;

    let root = &path_of(&app, &app.tree.root.id).await;
    let all = list(&app, actor(root), 30, None).await;
    let kinds: Vec<(&str, String, Option<i64>)> = all
        .items
        .iter()
        .map(|i| (i.title.as_str(), i.due_on.to_string(), i.working_days_left))
        .collect();
    assert_eq!(all.total, 3, "{kinds:?}");
    assert_eq!(all.items[0].id, late["id"].as_str().unwrap());
    // 13/11 … 01/12: thirteen working days overdue.
    assert_eq!(all.items[0].working_days_left, Some(-13), "{kinds:?}");
    assert!(all.items[0].overdue);
    assert_eq!(
        all.items[0].path,
        format!("/dossiers/{}", late["id"].as_str().unwrap())
    );
    assert!(all.items[0]
        .citation
        .as_deref()
        .unwrap()
        .contains("Điều 23 khoản 2"));
    assert_eq!(
        all.items[1].system_name.as_deref(),
        Some("Cổng thông tin điện tử Sở Công Thương")
    );
    assert_eq!(all.items[1].due_on, d(2026, 11, 30));
    assert_eq!(all.items[1].note.as_deref(), Some("Thay đổi chức năng"));
    assert_eq!(all.items[2].id, soon["id"].as_str().unwrap());
    // 02/12 … 16/12: eleven working days left.
    assert_eq!(all.items[2].working_days_left, Some(11));
    assert!(all.items.windows(2).all(|w| w[0].due_on <= w[1].due_on));

    // Five days ahead: the overdue and the flagged stay, the appraisal due on 16/12 does not.
    let near = list(&app, actor(root), 5, None).await;
    assert_eq!(near.total, 2);
    assert!(near
        .items
        .iter()
        .all(|i| i.id != soon["id"].as_str().unwrap()));

    // The technical unit sees its own dossier only.
    let tech = list(
        &app,
        actor(&path_of(&app, &app.tree.tech.id).await),
        30,
        None,
    )
    .await;
    assert_eq!(tech.items.len(), 1);
    assert_eq!(tech.items[0].id, soon["id"].as_str().unwrap());
    let narrowed = list(&app, actor(root), 30, Some(app.tree.office.id.clone())).await;
    assert_eq!(narrowed.items.len(), 1);
    assert_eq!(narrowed.items[0].kind_label, "Xác định lại cấp độ");

    // Over HTTP, for an officer of the technical unit.
    let officer = app
        .add_user(
            "ngoc.kt@sct.gov.vn",
            Role::SecurityOfficer,
            &app.tree.tech.id,
        )
        .await;
    let (status, body) =
        json_of(app.get("/api/v1/deadlines", &app.token_for(&officer)).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["kind"], "dossier_clock");
    assert_eq!(body["items"][0]["step"], "appraisal");
    assert_eq!(body["items"][0]["due_on"], "2026-12-16");
    let (status, body) = json_of(
        app.get(
            &format!("/api/v1/deadlines?organization_id={}", app.tree.root.id),
            &app.token_for(&officer),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "outside the officer's subtree: {body}");
    let (status, _) = json_of(app.get("/api/v1/deadlines?within_days=9999", &token).await).await;
    assert_eq!(status, 422);
    let (status, body) =
        json_of(app.get("/api/v1/deadlines?per_page=1&page=2", &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(body["items"].as_array().unwrap().len(), 1);
    assert_eq!(body["total"], 3);
}
