//! Use cases of security warnings: drafts, the frozen sent warning, lists and progress.
//! Audience resolution is in `alert_audience`, sending and acknowledgement in `alert_send`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::audit::{self, Change};
use super::system_checks::clean;
use super::{utc, Actor};
use crate::db::{self, write_tx, AnyConn};
use crate::domain::alert::{valid_range, AckAnswer, AffectedProduct, Severity, Tlp};
use crate::domain::Role;
use crate::error::{AppError, FieldErrors};
use crate::repo::alerts::{self as repo, AlertRow};
use crate::repo::{organizations, Page};

/// Who a warning goes to, before it is resolved to people.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// Organisations, each with its whole subtree.
    #[serde(default)]
    pub organization_ids: Vec<String>,
    /// Every active account with one of these roles in the sender's subtree.
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub user_ids: Vec<String>,
    /// Also the contacts and operators of registered systems running an affected product.
    #[serde(default)]
    pub systems_with_affected_products: bool,
}

impl Audience {
    pub fn is_empty(&self) -> bool {
        self.organization_ids.is_empty()
            && self.roles.is_empty()
            && self.user_ids.is_empty()
            && !self.systems_with_affected_products
    }
}

/// A warning as the user writes it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertInput {
    /// The issuing organisation; by default the sender's.
    #[serde(default)]
    pub organization_id: Option<String>,
    pub title: String,
    pub severity: Severity,
    /// Cơ quan phát hành cảnh báo gốc, ví dụ "Cục An toàn thông tin".
    pub source_authority: String,
    /// Văn bản nguồn, ví dụ "Văn bản số 936/SCT-VP ngày 01/3/2021".
    #[serde(default)]
    pub source_document: Option<String>,
    /// Nội dung (văn bản thường hoặc Markdown; HTML không được hiển thị như HTML).
    pub body: String,
    #[serde(default)]
    pub cve_ids: Vec<String>,
    #[serde(default)]
    pub affected_products: Vec<AffectedProduct>,
    pub required_action: String,
    #[serde(default)]
    pub action_due_on: Option<NaiveDate>,
    #[serde(default)]
    pub tlp: Option<Tlp>,
    /// The sent warning this one corrects.
    #[serde(default)]
    pub corrects_id: Option<String>,
    #[serde(default)]
    pub audience: Audience,
}

#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub recipients: i64,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub acknowledged: i64,
    pub received: i64,
    pub fixed: i64,
    pub not_affected: i64,
    /// Not answered and past the action's due date.
    pub overdue: i64,
    pub sent_percent: f64,
    pub acknowledged_percent: f64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    pub id: String,
    pub organization_id: String,
    pub title: String,
    pub severity: Severity,
    pub severity_label: &'static str,
    pub source_authority: String,
    pub source_document: Option<String>,
    pub body: String,
    /// The body rendered safely (raw HTML shown as text).
    pub body_html: String,
    pub cve_ids: Vec<String>,
    pub affected_products: Vec<AffectedProduct>,
    pub required_action: String,
    pub action_due_on: Option<NaiveDate>,
    pub tlp: Option<Tlp>,
    pub corrects_id: Option<String>,
    pub audience: Audience,
    /// `draft` or `sent`.
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub progress: Option<Progress>,
}

pub(super) fn may_send(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::SecurityOfficer)
}

fn cve_ok(id: &str) -> bool {
    let mut parts = id.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("CVE"), Some(year), Some(num), None)
            if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit())
                && num.len() >= 4 && num.chars().all(|c| c.is_ascii_digit())
    )
}

/// Checks and normalises the input; every problem is reported under its field.
fn validate(conn: &mut AnyConn, actor: &Actor, input: &mut AlertInput) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, message: &str| {
        errors
            .entry(field.to_string())
            .or_default()
            .push(message.to_string())
    };
    input.title = clean(&input.title);
    if input.title.is_empty() || input.title.chars().count() > 200 {
        fail("title", "Vui lòng nhập tiêu đề (tối đa 200 ký tự)");
    }
    input.source_authority = clean(&input.source_authority);
    if input.source_authority.is_empty() || input.source_authority.chars().count() > 200 {
        fail(
            "source_authority",
            "Vui lòng nhập cơ quan phát hành cảnh báo gốc",
        );
    }
    input.source_document = input
        .source_document
        .as_deref()
        .map(clean)
        .filter(|d| !d.is_empty());
    if input.body.trim().is_empty() || input.body.len() > 50_000 {
        fail(
            "body",
            "Vui lòng nhập nội dung cảnh báo (tối đa 50.000 ký tự)",
        );
    }
    input.required_action = input.required_action.trim().to_string();
    if input.required_action.is_empty() || input.required_action.chars().count() > 2000 {
        fail("required_action", "Vui lòng nêu việc người nhận cần làm");
    }
    input.cve_ids = input
        .cve_ids
        .iter()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    input.cve_ids.dedup();
    if input.cve_ids.iter().any(|c| !cve_ok(c)) {
        fail("cve_ids", "Mã lỗ hổng có dạng CVE-2024-12345");
    }
    for p in &mut input.affected_products {
        p.name = clean(&p.name);
        p.versions = p
            .versions
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string);
    }
    if input.affected_products.iter().any(|p| p.name.is_empty()) {
        fail("affected_products", "Mỗi sản phẩm bị ảnh hưởng cần có tên");
    }
    if input
        .affected_products
        .iter()
        .filter_map(|p| p.versions.as_deref())
        .any(|v| !valid_range(v))
    {
        fail(
            "affected_products",
            "Khoảng phiên bản có dạng >=2.4.0, <2.4.58 (các điều kiện cách nhau bằng dấu phẩy)",
        );
    }
    if input.audience.systems_with_affected_products && input.affected_products.is_empty() {
        fail(
            "audience",
            "Để gửi tới hệ thống dùng sản phẩm bị ảnh hưởng, cần nêu ít nhất một sản phẩm",
        );
    }
    let org = input
        .organization_id
        .clone()
        .filter(|o| !o.trim().is_empty());
    match org {
        Some(id) => {
            if organizations::find_in_scope(conn, &actor.scope_path, &id)?.is_none() {
                fail(
                    "organization_id",
                    "Không có đơn vị này trong phạm vi của bạn",
                );
            }
        }
        None => fail("organization_id", "Vui lòng chọn đơn vị phát hành"),
    }
    for id in &input.audience.organization_ids {
        if organizations::find_in_scope(conn, &actor.scope_path, id)?.is_none() {
            fail(
                "audience.organization_ids",
                "Có đơn vị nhận không thuộc phạm vi của bạn",
            );
            break;
        }
    }
    if let Some(corrects) = &input.corrects_id {
        match repo::find_in_scope(conn, &actor.scope_path, corrects)? {
            Some(a) if a.status == "sent" => {}
            _ => fail(
                "corrects_id",
                "Chỉ đính chính được một cảnh báo đã gửi trong phạm vi của bạn",
            ),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::fields(errors))
    }
}

fn fill(row: &mut AlertRow, input: &AlertInput) -> Result<(), AppError> {
    row.organization_id = input.organization_id.clone().unwrap_or_default();
    row.title = input.title.clone();
    row.severity = input.severity.as_str().into();
    row.source_authority = input.source_authority.clone();
    row.source_document = input.source_document.clone();
    row.body = input.body.clone();
    row.cve_ids_json = serde_json::to_string(&input.cve_ids).map_err(AppError::internal)?;
    row.affected_products_json =
        serde_json::to_string(&input.affected_products).map_err(AppError::internal)?;
    row.required_action = input.required_action.clone();
    row.action_due_on = input.action_due_on;
    row.tlp = input.tlp.map(|t| t.as_str().to_string());
    row.corrects_id = input.corrects_id.clone();
    row.audience_json = serde_json::to_string(&input.audience).map_err(AppError::internal)?;
    Ok(())
}

fn scope_of(conn: &mut AnyConn, org_id: &str) -> Result<String, AppError> {
    Ok(organizations::find(conn, org_id)?
        .map(|o| o.path)
        .unwrap_or_default())
}

pub fn create_draft(
    conn: &mut AnyConn,
    actor: &Actor,
    mut input: AlertInput,
) -> Result<AlertView, AppError> {
    if !may_send(actor) {
        return Err(AppError::forbidden());
    }
    validate(conn, actor, &mut input)?;
    let now = db::now();
    let mut row = AlertRow {
        id: db::new_id(),
        organization_id: String::new(),
        title: String::new(),
        severity: String::new(),
        source_authority: String::new(),
        source_document: None,
        body: String::new(),
        cve_ids_json: "[]".into(),
        affected_products_json: "[]".into(),
        required_action: String::new(),
        action_due_on: None,
        tlp: None,
        corrects_id: None,
        audience_json: "{}".into(),
        status: "draft".into(),
        created_by: actor.user_id.clone(),
        created_at: now,
        updated_at: now,
        sent_at: None,
    };
    fill(&mut row, &input)?;
    let scope = scope_of(conn, &row.organization_id)?;
    write_tx(conn, |conn| {
        repo::insert(conn, &row)?;
        let view = view(conn, &row, None)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "alert",
                entity_id: &row.id,
                action: "create",
                before: None,
                after: audit::snapshot(&view),
                scope_path: &scope,
            },
        )?;
        Ok(view)
    })
}

/// Replaces a draft; a sent warning is immutable (a correction is a new warning).
pub fn update_draft(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    mut input: AlertInput,
) -> Result<AlertView, AppError> {
    let current = find_visible(conn, actor, id)?;
    if !may_send(actor) {
        return Err(AppError::forbidden());
    }
    if current.status != "draft" {
        return Err(AppError::Conflict(
            "Cảnh báo đã gửi không sửa được; hãy tạo cảnh báo đính chính tham chiếu tới cảnh báo này".into(),
        ));
    }
    validate(conn, actor, &mut input)?;
    let mut row = current.clone();
    fill(&mut row, &input)?;
    row.updated_at = db::now();
    let scope = scope_of(conn, &row.organization_id)?;
    write_tx(conn, |conn| {
        let before = view(conn, &current, None)?;
        repo::update(conn, &row)?;
        let after = view(conn, &row, None)?;
        audit::record(
            conn,
            actor,
            Change {
                entity_type: "alert",
                entity_id: id,
                action: "update",
                before: audit::snapshot(&before),
                after: audit::snapshot(&after),
                scope_path: &scope,
            },
        )?;
        Ok(after)
    })
}

pub fn find_visible(conn: &mut AnyConn, actor: &Actor, id: &str) -> Result<AlertRow, AppError> {
    repo::find_in_scope(conn, &actor.scope_path, id)?.ok_or_else(AppError::not_found)
}

pub fn get(
    conn: &mut AnyConn,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<AlertView, AppError> {
    let row = find_visible(conn, actor, id)?;
    let progress = (row.status == "sent")
        .then(|| progress(conn, &row, today))
        .transpose()?;
    view(conn, &row, progress)
}

pub fn list(
    conn: &mut AnyConn,
    actor: &Actor,
    page: Page,
    today: NaiveDate,
) -> Result<(Vec<AlertView>, i64), AppError> {
    let (rows, total) = repo::list_in_scope(conn, &actor.scope_path, page)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let progress = (row.status == "sent")
            .then(|| progress(conn, &row, today))
            .transpose()?;
        out.push(view(conn, &row, progress)?);
    }
    Ok((out, total))
}

pub fn progress(
    conn: &mut AnyConn,
    row: &AlertRow,
    today: NaiveDate,
) -> Result<Progress, AppError> {
    let mut p = Progress::default();
    for (answer, n) in repo::answer_counts(conn, &row.id)? {
        p.recipients += n;
        match answer.as_deref().and_then(AckAnswer::parse) {
            Some(AckAnswer::Received) => p.received += n,
            Some(AckAnswer::Fixed) => p.fixed += n,
            Some(AckAnswer::NotAffected) => p.not_affected += n,
            None => {
                if row.action_due_on.is_some_and(|d| d < today) {
                    p.overdue += n;
                }
            }
        }
    }
    p.acknowledged = p.received + p.fixed + p.not_affected;
    for (status, n) in repo::delivery_status_counts(conn, &row.id)? {
        match status.as_str() {
            "sent" => p.sent += n,
            "failed" => p.failed += n,
            _ => p.queued += n,
        }
    }
    if p.recipients > 0 {
        let pct = |n: i64| (n as f64 * 1000.0 / p.recipients as f64).round() / 10.0;
        p.sent_percent = pct(p.sent);
        p.acknowledged_percent = pct(p.acknowledged);
    }
    Ok(p)
}

pub fn view(
    _conn: &mut AnyConn,
    row: &AlertRow,
    progress: Option<Progress>,
) -> Result<AlertView, AppError> {
    let severity = Severity::parse(&row.severity).unwrap_or(Severity::Medium);
    Ok(AlertView {
        id: row.id.clone(),
        organization_id: row.organization_id.clone(),
        title: row.title.clone(),
        severity,
        severity_label: severity.label(),
        source_authority: row.source_authority.clone(),
        source_document: row.source_document.clone(),
        body: row.body.clone(),
        body_html: super::alert_email::markdown_html(&row.body),
        cve_ids: serde_json::from_str(&row.cve_ids_json).unwrap_or_default(),
        affected_products: serde_json::from_str(&row.affected_products_json).unwrap_or_default(),
        required_action: row.required_action.clone(),
        action_due_on: row.action_due_on,
        tlp: row.tlp.as_deref().and_then(Tlp::parse),
        corrects_id: row.corrects_id.clone(),
        audience: serde_json::from_str(&row.audience_json).unwrap_or_default(),
        status: row.status.clone(),
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
        sent_at: row.sent_at.map(utc),
        progress,
    })
}
