//! What the thuyết minh đề xuất cấp độ of one system says, read from its stored record, facts
//! and classification: sections of text, lists, tables and placeholders, without layout.

use chrono::NaiveDate;
use serde::Deserialize;

use super::compliance_plan::{security_plan, PlanSection};
use super::system_views::ViewParts;
use super::{compliance, systems, Actor};
use crate::db::AnyConn;
use crate::domain::facts::SystemFacts;
use crate::error::AppError;
use crate::repo::organizations;
use crate::repo::systems::SystemRow;
use crate::rules::Registry;

/// One block of a section.
#[derive(Clone, Debug)]
pub enum Block {
    /// A sub-heading.
    Heading(String),
    Text(String),
    /// A list item (printed after a dash).
    Item(String),
    /// What the unit still has to write, printed as "[Đơn vị bổ sung: …]".
    Fill(String),
    /// A two-column table of labels and values.
    Pairs(Vec<(String, String)>),
    /// A bordered table: relative column widths, column titles, rows.
    Table {
        weights: Vec<u32>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

#[derive(Clone, Debug)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A criterion as stored in the classification result (contract §2).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Criterion {
    pub rule: String,
    pub level: u8,
    pub citation: String,
    pub summary: String,
    pub basis: String,
    pub instrument: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ComponentLevel {
    pub index: usize,
    pub level: Option<u8>,
    pub status: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Principle {
    pub citation: String,
    pub summary: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct OpenQuestion {
    pub text: String,
    pub could_change_level_to: u8,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegimeInfo {
    pub id: String,
    pub title: String,
}

/// The parts of the stored classification the document uses.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct StoredResult {
    pub regime: RegimeInfo,
    pub level: Option<u8>,
    pub status: String,
    pub matched: Vec<Criterion>,
    pub minimums: Vec<Criterion>,
    pub components: Vec<ComponentLevel>,
    pub combination: Vec<Principle>,
    pub questions: Vec<OpenQuestion>,
    pub warnings: Vec<String>,
}

/// Everything read for the document.
pub struct Sources {
    pub row: SystemRow,
    pub facts: SystemFacts,
    pub result: StoredResult,
    pub org_name: String,
    pub org_code: String,
    pub parent_name: Option<String>,
    pub operator_name: Option<String>,
    /// (full name, email) of each contact.
    pub contacts: Vec<(String, String)>,
    /// (name, vendor, version) of each product.
    pub products: Vec<(String, Option<String>, Option<String>)>,
    /// (name, stored level) of each component system the actor can see.
    pub components: Vec<(String, Option<i32>)>,
    /// The label of the system's kind in its regime's vocabulary.
    pub kind_label: Option<String>,
    /// The security-plan sections of the current checklist, if one is started.
    pub plan: Option<Vec<PlanSection>>,
    pub today: NaiveDate,
}

/// Reads what the document of a visible system needs (404 for a system the actor cannot see).
pub fn gather(
    conn: &mut AnyConn,
    registry: &Registry,
    actor: &Actor,
    id: &str,
    today: NaiveDate,
) -> Result<Sources, AppError> {
    let row = systems::find_visible(conn, actor, id)?;
    let parts = ViewParts::load(conn, &row.id)?;
    let org = organizations::find(conn, &row.organization_id)?;
    let parent_name = match org.as_ref().and_then(|o| o.parent_id.clone()) {
        Some(parent) => organizations::find(conn, &parent)?.map(|p| p.name),
        None => None,
    };
    let operator_name = match &row.operator_id {
        Some(op) => organizations::find(conn, op)?.map(|o| o.name),
        None => None,
    };
    let mut components = Vec::new();
    for cid in &parts.component_ids {
        match systems::find_visible(conn, actor, cid) {
            Ok(c) => components.push((c.name, c.computed_level)),
            Err(AppError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let plan = match compliance::checklist(conn, registry, actor, &row.id, None, today) {
        Ok(view) => Some(security_plan(&view)),
        Err(AppError::NotFound(_) | AppError::Conflict(_)) => None,
        Err(e) => return Err(e),
    };
    let kind_label = row.kind.as_deref().map(|k| {
        registry
            .get(&row.regime_id)
            .and_then(|p| p.vocabulary.kind.iter().find(|t| t.id == k))
            .map(|t| t.label.clone())
            .unwrap_or_else(|| k.to_string())
    });
    let facts: SystemFacts = serde_json::from_str(&row.facts_json).map_err(AppError::internal)?;
    let result = serde_json::from_str(&row.classification_json).unwrap_or_default();
    let (org_name, org_code) = org.map(|o| (o.name, o.code)).unwrap_or_default();
    Ok(Sources {
        facts,
        result,
        org_name,
        org_code,
        parent_name,
        operator_name,
        contacts: parts
            .contacts
            .into_iter()
            .map(|(_, name, email)| (name, email))
            .collect(),
        products: parts
            .products
            .into_iter()
            .map(|p| (p.name, p.vendor, p.version))
            .collect(),
        components,
        kind_label,
        plan,
        today,
        row,
    })
}
