//! The compliance checklist page's model: the service's `ChecklistView` worded for people, with
//! the forms that came back (their input and errors) put on their requirement.

use chrono::Datelike;

use super::compliance_checklist_forms::{
    anchor, percent_vn, status_badge, Body, Choice, EvidenceForm, EvidenceLine, GroupCard,
    ItemCard, ItemForm,
};
use super::form_errors::FormErrors;
use super::form_post::Outcome;
use super::system_views::{date_vn, time_vn};
use crate::api::files::size_label;
use crate::domain::compliance::ComplianceStatus;
use crate::rules::baseline::Special;
use crate::rules::model::Basis;
use crate::services::compliance_views::{ChecklistView, EvidenceView, ItemView};

/// A form that came back to the page, on the requirement it belongs to.
pub enum Returned {
    None,
    Item(String, ItemForm, Outcome),
    Evidence(String, EvidenceForm, Outcome),
}

impl Returned {
    pub fn status(&self) -> actix_web::http::StatusCode {
        match self {
            Self::Item(_, _, o) | Self::Evidence(_, _, o) => o.status,
            Self::None => actix_web::http::StatusCode::OK,
        }
    }
}

pub fn level_source_label(source: &str) -> &'static str {
    match source {
        "approved" => "cấp độ được phê duyệt",
        "proposed" => "cấp độ đề xuất",
        _ => "cấp độ do quy tắc tính",
    }
}

fn basis_note(b: Basis) -> Option<&'static str> {
    match b {
        Basis::Law => None,
        Basis::Reported => Some("theo thông tin được báo cáo"),
        Basis::Interpretation => Some("cách hiểu của capdo"),
        Basis::Heuristic => Some("ước lượng, cần người có thẩm quyền xem xét"),
        Basis::Secondary => Some("theo nguồn thứ cấp"),
    }
}

fn evidence_line(system_id: &str, e: &EvidenceView) -> EvidenceLine {
    let document = match (&e.document_number, e.document_date) {
        (Some(n), Some(d)) => Some(format!("Số {n} ngày {}", date_vn(d))),
        (Some(n), None) => Some(format!("Số {n}")),
        (None, Some(d)) => Some(format!("Ngày {}", date_vn(d))),
        (None, None) => None,
    };
    EvidenceLine {
        href: e
            .sha256
            .as_ref()
            .map(|_| format!("/systems/{system_id}/compliance/evidence/{}", e.id)),
        id: e.id.clone(),
        title: e.title.clone(),
        document,
        file_name: e.file_name.clone(),
        size: e
            .size
            .and_then(|s| u64::try_from(s).ok())
            .map(size_label)
            .unwrap_or_default(),
        added: match &e.added_by_name {
            Some(by) => format!("{by} · {}", time_vn(e.added_at)),
            None => time_vn(e.added_at),
        },
    }
}

fn outcome_parts(o: &Outcome) -> (FormErrors, Option<String>) {
    (FormErrors(o.errors.clone()), o.alert.clone())
}

fn card(system_id: &str, i: &ItemView, returned: &Returned, saved: Option<&str>) -> ItemCard {
    let mut c = ItemCard {
        anchor: anchor(&i.code),
        text: i.text.clone(),
        clause: i.clause.clone(),
        detail: i.detail.clone(),
        citation: i.citation.clone(),
        basis_note: basis_note(i.basis),
        regulation: i.special == Some(Special::RegulationBeforeApproval),
        status: i.status.as_str(),
        status_label: i.status_label.clone(),
        status_badge: status_badge(i.status),
        na_reason: i.na_reason.clone(),
        how_met: i.how_met.clone(),
        responsible_name: i.responsible_name.clone(),
        target_date: i.target_date.map(date_vn).unwrap_or_default(),
        overdue: i.overdue,
        evidence: i
            .evidence
            .iter()
            .map(|e| evidence_line(system_id, e))
            .collect(),
        saved: saved == Some(i.code.as_str()),
        open: false,
        form: ItemForm::from_view(i),
        errors: FormErrors::default(),
        alert: None,
        ev_form: EvidenceForm::default(),
        ev_errors: FormErrors::default(),
        ev_alert: None,
        ev_open: false,
        code: i.code.clone(),
    };
    match returned {
        Returned::Item(code, form, o) if *code == i.code => {
            (c.errors, c.alert) = outcome_parts(o);
            c.form = form.clone();
            c.open = true;
            c.saved = false;
        }
        Returned::Evidence(code, form, o) if *code == i.code => {
            (c.ev_errors, c.ev_alert) = outcome_parts(o);
            c.ev_form = form.clone();
            c.ev_open = true;
            c.saved = false;
        }
        _ => {}
    }
    c
}

/// The checklist body of `v`, for `csrf_token`'s forms, with the users one may name.
pub fn body(
    v: &ChecklistView,
    csrf_token: &str,
    users: Vec<Choice>,
    returned: &Returned,
    saved: Option<&str>,
    today: chrono::NaiveDate,
) -> Body {
    let mut last_part = None;
    let groups = v
        .groups
        .iter()
        .map(|g| {
            let part_heading = (last_part != Some(g.part)).then(|| g.part_label.clone());
            last_part = Some(g.part);
            GroupCard {
                code: g.code.clone(),
                title: g.title.clone(),
                part_heading,
                percent: percent_vn(g.percent),
                tally: g.tally,
                items: g
                    .items
                    .iter()
                    .map(|i| card(&v.system_id, i, returned, saved))
                    .collect(),
            }
        })
        .collect();
    let regulation = v
        .groups
        .iter()
        .flat_map(|g| &g.items)
        .find(|i| i.special == Some(Special::RegulationBeforeApproval))
        .map(|i| (i.code.clone(), anchor(&i.code)));
    Body {
        system_id: v.system_id.clone(),
        baseline_id: v.baseline_id.clone(),
        csrf_token: csrf_token.to_string(),
        editable: v.editable,
        users,
        statuses: ComplianceStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str().into(),
                label: s.label().into(),
            })
            .collect(),
        baseline_title: v.baseline_title.clone(),
        standard: v.standard.clone(),
        year: v.review.year,
        level: v.review.level,
        level_source: level_source_label(&v.review.level_source),
        due_on: v.review.due_on.map(date_vn),
        percent: percent_vn(v.percent),
        tally: v.tally,
        percent_rule: v.percent_rule.clone(),
        regulation_recorded: v.regulation_recorded,
        regulation,
        groups,
        next_year: (v.editable && v.review.year < today.year()).then_some(today.year()),
    }
}
