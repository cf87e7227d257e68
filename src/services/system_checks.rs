//! Checks of a system record before it is stored: texts, addresses, references in scope, and
//! components without cycles.

use super::systems::SystemInput;
use super::Actor;
use crate::db::AnyConn;
use crate::error::{AppError, FieldErrors};
use crate::repo::systems as repo;
use crate::repo::{organizations, users};

pub fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn normalise_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let candidate = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let parsed = url::Url::parse(&candidate).ok()?;
    (matches!(parsed.scheme(), "http" | "https")
        && parsed
            .host_str()
            .is_some_and(|h| h.contains('.') || h == "localhost"))
    .then(|| {
        if raw.contains("://") {
            parsed.to_string()
        } else {
            raw.to_lowercase()
        }
    })
}

/// Checks the record (not the facts: the engine does) and that new references lie in the
/// actor's scope; references kept from `current` are not re-checked, so an operator can edit a
/// system whose owning unit lies outside the operator's own subtree.
pub fn validate(
    conn: &mut AnyConn,
    actor: &Actor,
    input: &mut SystemInput,
    self_id: Option<&str>,
    current: Option<&SystemInput>,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, message: &str| {
        errors
            .entry(field.to_string())
            .or_default()
            .push(message.to_string())
    };
    input.name = clean(&input.name);
    input.owner_name = clean(&input.owner_name);
    match input.name.chars().count() {
        0 => fail("name", "Vui lòng nhập tên hệ thống"),
        n if n > 200 => fail("name", "Tên hệ thống không được dài quá 200 ký tự"),
        _ => {}
    }
    if input.owner_name.is_empty() {
        fail(
            "owner_name",
            "Vui lòng nhập chủ quản hệ thống thông tin (ví dụ: UBND tỉnh Đồng Nai)",
        );
    }
    if input.description.chars().count() > 4000 {
        fail("description", "Mô tả không được dài quá 4.000 ký tự");
    }
    if input.urls.len() > 20 {
        fail("urls", "Tối đa 20 địa chỉ");
    }
    let mut urls = Vec::new();
    for u in &input.urls {
        match normalise_url(u) {
            Some(n) if !urls.contains(&n) => urls.push(n),
            Some(_) => {}
            None => fail(
                "urls",
                &format!("`{u}` không phải địa chỉ web hoặc tên miền hợp lệ"),
            ),
        }
    }
    input.urls = urls;
    if input
        .hosting_provider
        .as_deref()
        .is_some_and(|p| p.chars().count() > 200)
    {
        fail(
            "hosting_provider",
            "Tên nhà cung cấp không được dài quá 200 ký tự",
        );
    }
    if input.products.len() > 100 {
        fail("products", "Tối đa 100 sản phẩm");
    }
    for p in &mut input.products {
        p.name = clean(&p.name);
        if p.name.is_empty() || p.name.chars().count() > 200 {
            fail("products", "Mỗi sản phẩm cần tên (tối đa 200 ký tự)");
        }
    }
    if input.proposed_level.is_some_and(|l| !(1..=5).contains(&l)) {
        fail("proposed_level", "Cấp độ đề xuất từ 1 đến 5");
    }
    if !input.facts.components.is_empty() {
        fail(
            "facts.components",
            "Khai báo hệ thống thành phần bằng component_ids (các hệ thống đã đăng ký)",
        );
    }
    match (&input.kind, &input.facts.kind) {
        (Some(k), Some(f)) if k != f => fail("kind", "Loại hệ thống khác với facts.kind"),
        (Some(k), None) => input.facts.kind = Some(k.clone()),
        (None, Some(f)) => input.kind = Some(f.clone()),
        _ => {}
    }
    let kept_org = current.is_some_and(|c| c.organization_id == input.organization_id);
    if !kept_org
        && organizations::find_in_scope(conn, &actor.scope_path, &input.organization_id)?.is_none()
    {
        fail("organization_id", "Không tìm thấy đơn vị quản lý");
    }
    if let Some(op) = &input.operator_id {
        let kept = current.is_some_and(|c| c.operator_id.as_ref() == Some(op));
        if !kept && organizations::find_in_scope(conn, &actor.scope_path, op)?.is_none() {
            fail("operator_id", "Không tìm thấy đơn vị vận hành");
        }
    }
    input.contact_ids.sort();
    input.contact_ids.dedup();
    for id in &input.contact_ids {
        let kept = current.is_some_and(|c| c.contact_ids.contains(id));
        if !kept && users::find_in_scope(conn, &actor.scope_path, id)?.is_none() {
            fail("contact_ids", "Không tìm thấy người phụ trách");
            break;
        }
    }
    input.component_ids.sort();
    input.component_ids.dedup();
    for id in &input.component_ids {
        if Some(id.as_str()) == self_id {
            fail(
                "component_ids",
                "Một hệ thống không thể là thành phần của chính nó",
            );
        } else if repo::find_in_scope(conn, &actor.scope_path, id)?.is_none() {
            fail("component_ids", "Không tìm thấy hệ thống thành phần");
        } else if let Some(me) = self_id {
            if reaches(conn, id, me)? {
                fail("component_ids", "Không thể tạo vòng lặp: hệ thống này đã là thành phần (trực tiếp hoặc gián tiếp) của hệ thống được chọn");
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::fields(errors))
    }
}

/// Whether `target` is among the components, direct or not, of `from`.
fn reaches(conn: &mut AnyConn, from: &str, target: &str) -> Result<bool, AppError> {
    let mut stack = vec![from.to_string()];
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = stack.pop() {
        if id == target {
            return Ok(true);
        }
        if seen.insert(id.clone()) {
            stack.extend(repo::components(conn, &id)?);
        }
    }
    Ok(false)
}
