//! The cells of an imported row applied to a system's input: only the columns the file has
//! change the record, and each error names the file's own column header.

use serde::Serialize;

use super::system_import_rows::{
    parse_bool, parse_date, parse_facts, parse_function, parse_hosting, parse_information,
    parse_level, parse_status, split_register_name, split_urls, Cells, OrgLookup,
};
use super::systems::SystemInput;
use crate::domain::labels::field_label;
use crate::domain::system::SystemStatus;
use crate::domain::SystemFacts;
use crate::export::system_columns::{by_key, Column};

/// One error of a row: the column (as the file names it) and what is wrong.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// Tiêu đề cột trong tệp (hoặc tên trường khi tệp không có cột đó).
    pub column: String,
    pub message: String,
}

/// The file's header of each field it has.
pub struct Headers {
    of: Vec<(&'static str, String)>,
}

impl Headers {
    pub fn new(headers: &[String], columns: &[Option<&'static Column>]) -> Self {
        Self {
            of: headers
                .iter()
                .zip(columns)
                .filter_map(|(h, c)| c.map(|c| (c.key, h.clone())))
                .collect(),
        }
    }

    fn header(&self, key: &str) -> Option<&str> {
        self.of
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, h)| h.as_str())
    }

    /// The header for `key`: the file's, else the first of `alternatives` the file has, else
    /// capdo's own header or the field's label.
    fn column(&self, key: &str, alternatives: &[&str]) -> String {
        std::iter::once(key)
            .chain(alternatives.iter().copied())
            .find_map(|k| self.header(k))
            .map(str::to_string)
            .or_else(|| by_key(key).map(|c| c.header.to_string()))
            .unwrap_or_else(|| field_label(key).to_string())
    }

    pub fn error(&self, key: &str, message: impl Into<String>) -> RowError {
        let alternatives: &[&str] = match key {
            "name" => &["register_name"],
            "urls" => &["register_name"],
            "organization_code" => &["organization_name"],
            "operator_code" => &["operator_name"],
            _ => &[],
        };
        RowError {
            column: self.column(key, alternatives),
            message: message.into(),
        }
    }

    /// A message of the register's checks, whose field keys are those of `SystemInput`.
    pub fn field_error(&self, field: &str, message: String) -> RowError {
        let (key, alternatives): (&str, &[&str]) = match field {
            "organization_id" => ("organization_code", &["organization_name"]),
            "operator_id" => ("operator_code", &["operator_name"]),
            "name" => ("name", &["register_name"]),
            "urls" => ("urls", &["register_name"]),
            "facts.kind" | "kind" => ("kind", &["facts"]),
            "facts.function" => ("function", &["facts"]),
            "facts.information" => ("information", &["facts"]),
            f if f.starts_with("facts.") => ("facts", &[]),
            f => (f, &[]),
        };
        let message = if key == "facts" {
            format!("{}: {message}", field_label(field))
        } else {
            message
        };
        RowError {
            column: self.column(key, alternatives),
            message,
        }
    }
}

/// A new system's input before the row's cells are applied.
pub fn blank_input(organization_id: &str) -> SystemInput {
    SystemInput {
        organization_id: organization_id.to_string(),
        name: String::new(),
        description: String::new(),
        kind: None,
        urls: Vec::new(),
        hosting_kind: None,
        hosting_provider: None,
        data_in_vietnam: None,
        owner_name: String::new(),
        operator_id: None,
        appraiser_name: None,
        status: SystemStatus::InOperation,
        go_live_on: None,
        contact_ids: Vec::new(),
        products: Vec::new(),
        facts: SystemFacts::default(),
        component_ids: Vec::new(),
        proposed_level: None,
        proposal_justification: None,
        investment_before_law: false,
        chosen_regime: None,
    }
}

fn opt(cells: &Cells, key: &str) -> Option<String> {
    cells.text(key).map(str::to_string)
}

/// Applies the row's cells to `input`, pushing an error for each cell that cannot be read.
pub fn apply_cells(
    input: &mut SystemInput,
    cells: &Cells,
    orgs: &OrgLookup,
    headers: &Headers,
    errors: &mut Vec<RowError>,
) {
    let mut fail = |key: &str, message: String| errors.push(headers.error(key, message));
    if cells.has("name") || cells.has("register_name") {
        let (shown, shown_urls) =
            split_register_name(cells.get("register_name").unwrap_or_default());
        input.name = opt(cells, "name").unwrap_or(shown);
        if !cells.has("urls") && cells.has("register_name") {
            input.urls = shown_urls;
        }
    }
    if cells.has("description") {
        input.description = cells.get("description").unwrap_or_default().to_string();
    }
    if cells.has("kind") {
        input.kind = opt(cells, "kind");
    }
    if cells.has("urls") {
        input.urls = split_urls(cells.get("urls").unwrap_or_default());
    }
    if cells.has("hosting_kind") {
        input.hosting_kind = match cells.text("hosting_kind").map(parse_hosting) {
            None => None,
            Some(Ok(h)) => Some(h),
            Some(Err(m)) => {
                fail("hosting_kind", m);
                None
            }
        };
    }
    if cells.has("hosting_provider") {
        input.hosting_provider = opt(cells, "hosting_provider");
    }
    for key in ["data_in_vietnam", "investment_before_law"] {
        if !cells.has(key) {
            continue;
        }
        let value = match cells.text(key).map(parse_bool) {
            None => None,
            Some(Ok(b)) => Some(b),
            Some(Err(m)) => {
                fail(key, m);
                None
            }
        };
        if key == "data_in_vietnam" {
            input.data_in_vietnam = value;
        } else {
            input.investment_before_law = value.unwrap_or(false);
        }
    }
    if cells.has("owner_name") {
        input.owner_name = cells.get("owner_name").unwrap_or_default().to_string();
    }
    match (
        cells.text("organization_code"),
        cells.text("organization_name"),
    ) {
        (Some(code), _) => match orgs.by_code(code) {
            Ok(id) => input.organization_id = id,
            Err(m) => fail("organization_code", m),
        },
        (None, Some(name)) => match orgs.by_name(name) {
            Ok(id) => input.organization_id = id,
            Err(m) => fail("organization_name", m),
        },
        (None, None) => {}
    }
    if cells.has("operator_code") || cells.has("operator_name") {
        input.operator_id = match (cells.text("operator_code"), cells.text("operator_name")) {
            (Some(code), _) => orgs
                .by_code(code)
                .map_err(|m| fail("operator_code", m))
                .ok(),
            (None, Some(name)) => orgs
                .by_name(name)
                .map_err(|m| fail("operator_name", m))
                .ok(),
            (None, None) => None,
        };
    }
    if cells.has("appraiser_name") {
        input.appraiser_name = opt(cells, "appraiser_name");
    }
    if let Some(v) = cells.text("status") {
        match parse_status(v) {
            Ok(s) => input.status = s,
            Err(m) => fail("status", m),
        }
    }
    if cells.has("go_live_on") {
        input.go_live_on = match cells.text("go_live_on").map(parse_date) {
            None => None,
            Some(Ok(d)) => Some(d),
            Some(Err(m)) => {
                fail("go_live_on", m);
                None
            }
        };
    }
    if cells.has("proposal_justification") {
        input.proposal_justification = opt(cells, "proposal_justification");
    }
    if cells.has("proposed_level") {
        let computed = cells
            .text("computed_level")
            .and_then(|c| parse_level(c).ok());
        input.proposed_level = match cells.text("proposed_level").map(parse_level) {
            None => None,
            Some(Err(m)) => {
                fail("proposed_level", m);
                None
            }
            // The level the criteria gave, written back unchanged: the proposal follows the
            // criteria as before.
            Some(Ok(p)) if Some(p) == computed && input.proposal_justification.is_none() => None,
            Some(Ok(p)) => Some(p),
        };
    }
    if cells.has("chosen_regime") {
        input.chosen_regime = opt(cells, "chosen_regime");
    }
    if cells.has("facts") {
        match parse_facts(cells.get("facts").unwrap_or_default()) {
            Ok(mut facts) => {
                // Kept from the record: what the other columns hold.
                facts.function = facts.function.or(input.facts.function);
                if facts.information.is_empty() {
                    facts.information = input.facts.information.clone();
                }
                input.facts = facts;
            }
            Err(m) => fail("facts", m),
        }
    }
    if let Some(v) = cells.get("function") {
        if v.is_empty() {
            input.facts.function = None;
        } else {
            match parse_function(v) {
                Ok(f) => input.facts.function = Some(f),
                Err(m) => fail("function", m),
            }
        }
    }
    if let Some(v) = cells.get("information") {
        match parse_information(v) {
            Ok(list) => input.facts.information = list,
            Err(m) => fail("information", m),
        }
    }
    if cells.has("kind") || cells.has("facts") {
        input.facts.kind = input.kind.clone();
    }
    input.facts.components.clear();
}
