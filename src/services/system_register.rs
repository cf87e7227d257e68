//! The register "Danh mục hệ thống thông tin thuộc phạm vi quản lý" of a subtree, read from the
//! database a few thousand systems at a time in id order and written as XLSX or CSV (the DOCX
//! table is in `system_register_docx`): the seed report's columns, then the data an import
//! reads back.

use std::collections::HashMap;
use std::io::{BufWriter, Seek, SeekFrom, Write};

use chrono::NaiveDate;

use super::assessments::visible_orgs;
use super::Actor;
use crate::db::AnyConn;
use crate::domain::system::{HostingKind, SystemStatus};
use crate::domain::SystemFacts;
use crate::error::AppError;
use crate::export::cells::neutralise;
use crate::export::system_columns::{exported, Column};
use crate::export::xlsx::{Cell, XlsxTable};
use crate::repo::organizations;
use crate::repo::system_register::{self as repo, RegisterRow};

/// Systems read per query: bounded memory whatever the size of the register.
const CHUNK: i64 = 2000;

pub const TITLE: &str = "Danh mục hệ thống thông tin thuộc phạm vi quản lý";
/// The name of the table sheet (an import looks for a sheet named like "Danh mục").
pub const SHEET: &str = "Danh mục HTTT";

/// The file formats of the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegisterFormat {
    Xlsx,
    Csv,
    Docx,
}

impl RegisterFormat {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Ok(Self::Xlsx),
            "csv" => Ok(Self::Csv),
            "docx" => Ok(Self::Docx),
            other => Err(AppError::field(
                "format",
                format!("Không hỗ trợ định dạng `{other}`; chọn xlsx, csv hoặc docx"),
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
            Self::Docx => "docx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Xlsx => crate::export::download::XLSX,
            Self::Csv => "text/csv; charset=utf-8",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }
}

/// dd/mm/yyyy, as Vietnamese documents write dates.
pub fn date_vn(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "Có",
        Some(false) => "Không",
        None => "",
    }
}

/// What the register needs besides the systems: organisation names and codes, the scope.
pub struct Context {
    orgs: HashMap<String, (String, String)>,
    visible: Option<Vec<String>>,
    /// The subtree the register covers, for the title ("" for the caller's whole scope).
    pub scope_name: String,
}

impl Context {
    pub fn load(
        conn: &mut AnyConn,
        actor: &Actor,
        organization_id: Option<&str>,
    ) -> Result<Self, AppError> {
        let organization_id = organization_id.filter(|o| !o.trim().is_empty());
        let visible = visible_orgs(conn, actor, organization_id)?;
        let scope_name = match organization_id {
            Some(id) => organizations::find(conn, id)?
                .map(|o| o.name)
                .unwrap_or_default(),
            None => String::new(),
        };
        let orgs = repo::organizations(conn)?
            .into_iter()
            .map(|(id, code, name, _)| (id, (code, name)))
            .collect();
        Ok(Self {
            orgs,
            visible,
            scope_name,
        })
    }

    fn code(&self, id: Option<&str>) -> String {
        id.and_then(|i| self.orgs.get(i))
            .map(|o| o.0.clone())
            .unwrap_or_default()
    }

    fn name(&self, id: Option<&str>) -> String {
        id.and_then(|i| self.orgs.get(i))
            .map(|o| o.1.clone())
            .unwrap_or_default()
    }
}

/// One row of the register: a text per exported column.
pub struct Entry {
    pub cells: Vec<String>,
}

/// Calls `each` with every system of the register in id order, numbered from 1, reading
/// [`CHUNK`] systems per query; returns how many there were.
pub fn for_each(
    conn: &mut AnyConn,
    ctx: &Context,
    mut each: impl FnMut(Entry) -> Result<(), AppError>,
) -> Result<usize, AppError> {
    let mut after: Option<String> = None;
    let mut n = 0;
    loop {
        let rows = repo::page(conn, ctx.visible.as_deref(), after.as_deref(), CHUNK)?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id.clone());
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut facts: HashMap<String, String> = repo::facts(conn, &ids)?.into_iter().collect();
        let regimes: HashMap<String, (bool, Option<String>)> = repo::regimes(conn, &ids)?
            .into_iter()
            .map(|(id, inv, chosen)| (id, (inv, chosen)))
            .collect();
        let mut letters: HashMap<String, (String, Option<NaiveDate>)> = HashMap::new();
        for (id, number, date) in repo::submissions(conn, &ids)? {
            let newer = letters.get(&id).is_none_or(|(_, d)| date > *d);
            if newer {
                letters.insert(id, (number, date));
            }
        }
        let len = rows.len();
        for row in rows {
            n += 1;
            let facts = facts.remove(&row.id).unwrap_or_default();
            let regime = regimes.get(&row.id).cloned().unwrap_or_default();
            let letter = letters.get(&row.id);
            each(entry(ctx, n, &row, &facts, &regime, letter)?)?;
        }
        if (len as i64) < CHUNK {
            break;
        }
    }
    Ok(n)
}

/// "VB số 2559/SCT-VP ngày 25/05/2021".
pub fn letter_text(number: &str, date: Option<NaiveDate>) -> String {
    let number = number.trim();
    let lead = if crate::domain::search::search_key(number).starts_with("vb") {
        number.to_string()
    } else {
        format!("VB số {number}")
    };
    match date {
        Some(d) => format!("{lead} ngày {}", date_vn(d)),
        None => lead,
    }
}

fn entry(
    ctx: &Context,
    n: usize,
    row: &RegisterRow,
    facts_json: &str,
    regime: &(bool, Option<String>),
    letter: Option<&(String, Option<NaiveDate>)>,
) -> Result<Entry, AppError> {
    let urls: Vec<String> = serde_json::from_str(&row.urls_json).unwrap_or_default();
    let hosting = row.hosting_kind.as_deref().and_then(HostingKind::parse);
    let mut facts: SystemFacts = if facts_json.is_empty() {
        SystemFacts::default()
    } else {
        serde_json::from_str(facts_json).map_err(AppError::internal)?
    };
    let function = facts
        .function
        .take()
        .map(|f| f.as_str())
        .unwrap_or_default();
    let information: Vec<&str> = facts.information.drain(..).map(|i| i.as_str()).collect();
    facts.kind = None;
    facts.components.clear();
    let facts_text = match serde_json::to_value(&facts).map_err(AppError::internal)? {
        serde_json::Value::Object(m) if m.is_empty() => String::new(),
        v => v.to_string(),
    };
    let mut shown = vec![row.name.clone()];
    shown.extend(urls.iter().cloned());
    if let Some(h) = hosting {
        let place = match row.hosting_provider.as_deref() {
            Some(p) => format!("Máy chủ đặt tại: {} ({p})", h.label()),
            None => format!("Máy chủ đặt tại: {}", h.label()),
        };
        shown.push(place);
    }
    let approved = match (row.approved_level, &row.approval_decision_number) {
        (Some(l), Some(d)) => match row.approval_decision_date {
            Some(date) => format!("{l}\nQĐ số {d} ngày {}", date_vn(date)),
            None => format!("{l}\nQĐ số {d}"),
        },
        (Some(l), None) => l.to_string(),
        _ => String::new(),
    };
    let level = |l: Option<i32>| l.map(|l| l.to_string()).unwrap_or_default();
    let cells = exported()
        .map(|c: &Column| match c.key {
            "stt" => n.to_string(),
            "register_name" => shown.join("\n"),
            "operator_name" => ctx.name(row.operator_id.as_deref()),
            "proposed_level" => level(row.proposed_level),
            "submission" => letter
                .map(|(num, d)| letter_text(num, *d))
                .unwrap_or_default(),
            "approved_level" => approved.clone(),
            "status" => SystemStatus::parse(&row.status)
                .map(|s| s.label().to_string())
                .unwrap_or_else(|| row.status.clone()),
            "id" => row.id.clone(),
            "external_id" => row.external_id.clone().unwrap_or_default(),
            "name" => row.name.clone(),
            "description" => row.description.clone(),
            "kind" => row.kind.clone().unwrap_or_default(),
            "urls" => urls.join("\n"),
            "hosting_kind" => hosting.map(|h| h.label().to_string()).unwrap_or_default(),
            "hosting_provider" => row.hosting_provider.clone().unwrap_or_default(),
            "data_in_vietnam" => yes_no(row.data_in_vietnam).to_string(),
            "owner_name" => row.owner_name.clone(),
            "organization_code" => ctx.code(Some(&row.organization_id)),
            "organization_name" => ctx.name(Some(&row.organization_id)),
            "operator_code" => ctx.code(row.operator_id.as_deref()),
            "appraiser_name" => row.appraiser_name.clone().unwrap_or_default(),
            "go_live_on" => row.go_live_on.map(date_vn).unwrap_or_default(),
            "computed_level" => level(row.computed_level),
            "proposal_justification" => row.proposal_justification.clone().unwrap_or_default(),
            "regime" => row.regime_id.clone(),
            "investment_before_law" => yes_no(Some(regime.0)).to_string(),
            "chosen_regime" => regime.1.clone().unwrap_or_default(),
            "function" => function.to_string(),
            "information" => information.join(", "),
            "facts" => facts_text.clone(),
            _ => String::new(),
        })
        .collect();
    Ok(Entry { cells })
}

fn summary(ctx: &Context, count: usize, today: NaiveDate) -> Vec<(String, String)> {
    vec![
        ("Tên".into(), TITLE.into()),
        (
            "Phạm vi".into(),
            if ctx.scope_name.is_empty() {
                "Toàn bộ phạm vi quản lý của người xuất".into()
            } else {
                format!("{} và các đơn vị trực thuộc", ctx.scope_name)
            },
        ),
        ("Ngày xuất".into(), date_vn(today)),
        ("Số hệ thống".into(), count.to_string()),
        (
            "Nhập lại".into(),
            "Các cột từ «Mã hệ thống» trở đi là dữ liệu để nhập lại vào capdo; giữ nguyên «Mã hệ thống» và «Mã tham chiếu» để cập nhật thay vì tạo mới.".into(),
        ),
    ]
}

/// The register as an XLSX workbook in a rewound temporary file.
pub fn xlsx(
    conn: &mut AnyConn,
    actor: &Actor,
    organization_id: Option<&str>,
    today: NaiveDate,
) -> Result<std::fs::File, AppError> {
    let ctx = Context::load(conn, actor, organization_id)?;
    let columns: Vec<(&str, f64)> = exported().map(|c| (c.header, c.width)).collect();
    let mut table = XlsxTable::new(SHEET, &columns).map_err(AppError::internal)?;
    let count = for_each(conn, &ctx, |e| {
        let cells: Vec<Cell<'_>> = e.cells.iter().map(|s| Cell::Text(s)).collect();
        table.push(&cells).map_err(AppError::internal)
    })?;
    table
        .finish("Thông tin", &summary(&ctx, count, today))
        .map_err(AppError::internal)
}

/// The register as CSV (UTF-8 with BOM, so that Excel reads Vietnamese) in a rewound
/// temporary file.
pub fn csv(
    conn: &mut AnyConn,
    actor: &Actor,
    organization_id: Option<&str>,
) -> Result<std::fs::File, AppError> {
    let ctx = Context::load(conn, actor, organization_id)?;
    let file = tempfile::tempfile().map_err(AppError::internal)?;
    let mut out = BufWriter::new(file);
    out.write_all(b"\xEF\xBB\xBF").map_err(AppError::internal)?;
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record(exported().map(|c| c.header))
        .map_err(AppError::internal)?;
    for_each(conn, &ctx, |e| {
        writer
            .write_record(e.cells.iter().map(|s| neutralise(s).into_owned()))
            .map_err(AppError::internal)
    })?;
    let out = writer
        .into_inner()
        .map_err(|e| AppError::internal(e.into_error()))?;
    let mut file = out
        .into_inner()
        .map_err(|e| AppError::internal(e.into_error()))?;
    file.seek(SeekFrom::Start(0)).map_err(AppError::internal)?;
    Ok(file)
}
