//! The dossier page's model: the service's `DossierView` worded for people — the header, the
//! checklist by step with a form per component, the timeline (the steps' forms are in
//! `dossier_steps`).

use super::dossier_forms::{ComponentForm, TransitionForm};
use super::dossier_templates::{
    AuthorityView, Choice, ClockPanel, ComponentCard, Fact, FieldView, FileLine, StepGroup,
    TimelineRow,
};
use super::form_errors::FormErrors;
use super::form_post::Outcome;
use super::system_views::{date_vn, time_vn};
use crate::domain::dossier::{ComponentStatus, DossierStatus};
use crate::rules::dossier::DossierStep;
use crate::services::dossier_views::{ComponentView, DossierView};

pub const STATUSES: &[Choice] = &[
    Choice {
        value: "missing",
        label: "Chưa có",
    },
    Choice {
        value: "in_progress",
        label: "Đang chuẩn bị",
    },
    Choice {
        value: "complete",
        label: "Đã có",
    },
];

pub const OPINIONS: &[Choice] = &[
    Choice {
        value: "favourable",
        label: "Thống nhất với cấp độ đề xuất",
    },
    Choice {
        value: "favourable_with_conditions",
        label: "Thống nhất, có điều kiện",
    },
    Choice {
        value: "unfavourable",
        label: "Chưa thống nhất",
    },
];

pub const LEVELS: &[Choice] = &[
    Choice {
        value: "1",
        label: "Cấp độ 1",
    },
    Choice {
        value: "2",
        label: "Cấp độ 2",
    },
    Choice {
        value: "3",
        label: "Cấp độ 3",
    },
    Choice {
        value: "4",
        label: "Cấp độ 4",
    },
    Choice {
        value: "5",
        label: "Cấp độ 5",
    },
];

/// The badge of a dossier status: colour and a label, never colour alone.
pub fn status_badge(s: DossierStatus) -> &'static str {
    match s {
        DossierStatus::Draft => "badge-neutral",
        DossierStatus::Returned => "badge-warning",
        DossierStatus::Approved => "badge-success",
        _ => "badge-info",
    }
}

fn component_badge(s: ComponentStatus) -> &'static str {
    match s {
        ComponentStatus::Missing => "badge-danger",
        ComponentStatus::InProgress => "badge-warning",
        ComponentStatus::Complete => "badge-success",
    }
}

/// A form that came back: the one of a component or of a step, with what was typed.
pub enum Returned {
    None,
    Component(String, ComponentForm, Outcome),
    Transition(TransitionForm, Outcome),
    /// A refusal that belongs to no form (an upload that could not be read).
    Page(Outcome),
}

/// What the user may do, as the service will judge it (this only hides forms).
#[derive(Clone, Copy)]
pub struct Rights {
    /// May change the system (prepare and submit the dossier).
    pub edit: bool,
    /// Manages the subtree (records receipt, appraisal, approval).
    pub manage: bool,
}

/// How a control is shown: label, hint, kind (`text`, `date`, `textarea`, `select`), options,
/// whether required.
pub(super) type Spec = (
    &'static str,
    &'static str,
    &'static str,
    &'static [Choice],
    bool,
);

pub(super) fn field(
    prefix: &str,
    name: &'static str,
    spec: Spec,
    value: String,
    errors: &FormErrors,
) -> FieldView {
    let (label, hint, kind, options, required) = spec;
    let id = format!("{prefix}-{name}");
    FieldView {
        name,
        aria: errors.aria(name, &id, !hint.is_empty()),
        error: errors.text(name),
        id,
        label,
        hint,
        kind,
        options,
        value,
        required,
    }
}

/// Why a component cannot be changed in this status, or `None` when it can.
fn locked(step: DossierStep, status: DossierStatus) -> Option<&'static str> {
    let open = match step {
        DossierStep::Proposal => status.open_for_completion(),
        DossierStep::Appraisal => matches!(
            status,
            DossierStatus::UnderAppraisal | DossierStatus::Appraised
        ),
        _ => status != DossierStatus::Approved,
    };
    (!open).then_some(match step {
        DossierStep::Proposal => {
            "Hồ sơ đã gửi: thành phần chỉ được hoàn thiện khi hồ sơ được trả lại."
        }
        DossierStep::Appraisal => "Ý kiến thẩm định được ghi nhận khi hồ sơ đang thẩm định.",
        _ => "Hồ sơ đã được phê duyệt.",
    })
}

pub fn card(
    view: &DossierView,
    c: &ComponentView,
    rights: Rights,
    csrf_token: &str,
    returned: Option<(&ComponentForm, &Outcome)>,
    saved: bool,
) -> ComponentCard {
    let fresh = ComponentForm::from_view(c);
    let (form, outcome) = match returned {
        Some((f, o)) => (f, Some(o)),
        None => (&fresh, None),
    };
    let errors = FormErrors(outcome.map(|o| o.errors.clone()).unwrap_or_default());
    let prefix = format!("c-{}", c.component);
    let reason = locked(c.step, view.status);
    let fields = vec![
        field(
            &prefix,
            "status",
            ("Tình trạng", "", "select", STATUSES, true),
            form.status.clone(),
            &errors,
        ),
        field(
            &prefix,
            "document_number",
            (
                "Số, ký hiệu văn bản",
                "Ví dụ 2559/SCT-VP",
                "text",
                &[],
                false,
            ),
            form.document_number.clone(),
            &errors,
        ),
        field(
            &prefix,
            "document_date",
            ("Ngày văn bản", "", "date", &[], false),
            form.document_date.clone(),
            &errors,
        ),
        field(
            &prefix,
            "note",
            ("Ghi chú", "", "textarea", &[], false),
            form.note.clone(),
            &errors,
        ),
    ];
    ComponentCard {
        dossier_id: view.id.clone(),
        component: c.component.clone(),
        title: c.title.clone(),
        citation: c.citation.clone(),
        required: c.required,
        status: c.status.as_str(),
        status_label: c.status.label(),
        status_badge: component_badge(c.status),
        document_number: c.document_number.clone(),
        document_date: c.document_date.map(date_vn).unwrap_or_default(),
        note: c.note.clone(),
        updated: time_vn(c.updated_at),
        editable: rights.edit && reason.is_none(),
        locked_reason: reason.filter(|_| rights.edit).map(str::to_string),
        fields,
        alert: outcome.and_then(|o| o.alert.clone()),
        open: outcome.is_some(),
        saved,
        csrf_token: csrf_token.to_string(),
        files: c
            .files
            .iter()
            .map(|f| FileLine {
                href: format!("/dossiers/{}/files/{}", view.id, f.id),
                name: f.name.clone(),
                version: f.version,
                size: crate::api::files::size_label(u64::try_from(f.size).unwrap_or(0)),
                sha256: f.sha256.clone(),
                uploaded: time_vn(f.uploaded_at),
            })
            .collect(),
    }
}

pub fn groups(
    view: &DossierView,
    rights: Rights,
    csrf_token: &str,
    returned: &Returned,
    saved: Option<&str>,
) -> Vec<StepGroup> {
    let steps = [
        (DossierStep::Proposal, "proposal", "Hồ sơ đề xuất cấp độ"),
        (DossierStep::Appraisal, "appraisal", "Thẩm định"),
        (DossierStep::Approval, "approval", "Hồ sơ phê duyệt"),
    ];
    steps
        .into_iter()
        .filter_map(|(step, id, title)| {
            let list: Vec<&ComponentView> =
                view.components.iter().filter(|c| c.step == step).collect();
            if list.is_empty() {
                return None;
            }
            let required: Vec<_> = list.iter().filter(|c| c.required).collect();
            let cards = list
                .iter()
                .map(|c| {
                    let back = match returned {
                        Returned::Component(id, f, o) if *id == c.component => Some((f, o)),
                        _ => None,
                    };
                    card(
                        view,
                        c,
                        rights,
                        csrf_token,
                        back,
                        saved == Some(c.component.as_str()),
                    )
                })
                .collect();
            Some(StepGroup {
                id,
                title,
                required_total: required.len(),
                required_done: required
                    .iter()
                    .filter(|c| c.status == ComponentStatus::Complete)
                    .count(),
                cards,
            })
        })
        .collect()
}

pub fn timeline(view: &DossierView) -> Vec<TimelineRow> {
    view.steps
        .iter()
        .rev()
        .map(|s| TimelineRow {
            label: if s.to == DossierStatus::Draft {
                "Lập hồ sơ"
            } else {
                s.to.label()
            },
            badge: status_badge(s.to),
            occurred_on: date_vn(s.occurred_on),
            document: s.document_number.as_ref().map(|n| match s.document_date {
                Some(d) => format!("Văn bản số {n} ngày {}", date_vn(d)),
                None => format!("Văn bản số {n}"),
            }),
            note: s.note.clone(),
            actor: s.actor_label.clone(),
            at: time_vn(s.at),
        })
        .collect()
}

/// The documents of the steps taken so far, for the header.
pub fn facts(view: &DossierView) -> Vec<Fact> {
    let doc = |n: &Option<String>, d: Option<chrono::NaiveDate>| match (n, d) {
        (Some(n), Some(d)) => Some(format!("Số {n} ngày {}", date_vn(d))),
        (Some(n), None) => Some(format!("Số {n}")),
        _ => None,
    };
    let mut out = Vec::new();
    let mut push = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            out.push(Fact {
                label: label.to_string(),
                value,
            });
        }
    };
    push(
        "Văn bản gửi hồ sơ",
        doc(&view.submission_number, view.submission_date),
    );
    push("Đơn vị nhận hồ sơ", view.submission_recipient.clone());
    push("Ngày tiếp nhận", view.received_on.map(date_vn));
    push(
        "Ngày bắt đầu thẩm định",
        view.appraisal_started_on.map(date_vn),
    );
    push(
        "Kết luận thẩm định",
        view.appraisal_opinion.map(|o| o.label().to_string()),
    );
    push(
        "Văn bản ý kiến thẩm định",
        doc(&view.appraisal_number, view.appraisal_date),
    );
    push(
        "Quyết định phê duyệt",
        doc(&view.decision_number, view.decision_date),
    );
    push(
        "Cấp độ được phê duyệt",
        view.approved_level.map(|l| format!("Cấp độ {l}")),
    );
    out
}

/// Who appraises and approves: the units routed to, and the roles of the pack at the level.
pub fn authority(a: &crate::services::dossier_routing::AuthorityView) -> AuthorityView {
    let unit = |u: &Option<crate::services::dossier_routing::RoutedUnit>| {
        u.as_ref()
            .map(|u| format!("{} ({})", u.name, u.source_label))
    };
    let roles = a.roles.as_ref();
    AuthorityView {
        appraiser_unit: unit(&a.appraiser),
        approver_unit: unit(&a.approver),
        units_note: if a.stored {
            "Đơn vị được ghi vào hồ sơ khi gửi."
        } else {
            "Đơn vị sẽ áp dụng nếu gửi hồ sơ hôm nay."
        },
        opinion: roles
            .and_then(|r| r.opinion.as_ref())
            .map(|p| p.description.clone()),
        appraiser: roles
            .map(|r| r.appraiser.description.clone())
            .unwrap_or_default(),
        approvers: roles
            .map(|r| r.approvers.iter().map(|p| p.description.clone()).collect())
            .unwrap_or_default(),
        report_to: roles
            .and_then(|r| r.report_to.as_ref())
            .map(|p| p.description.clone()),
        citations: roles.map(|r| r.citations.join("; ")).unwrap_or_default(),
        note: roles.and_then(|r| r.note.clone()),
    }
}

/// The running clock in words: the due day and the working days left or overdue.
pub fn clock(c: &crate::services::dossier_clock::ClockView) -> ClockPanel {
    let remaining = match c.working_days_left {
        Some(n) if n < 0 => format!("Quá hạn {} ngày làm việc", -n),
        Some(0) if !c.overdue => "Hôm nay là ngày cuối của thời hạn".to_string(),
        Some(n) if !c.overdue => format!("Còn {n} ngày làm việc"),
        _ if c.overdue => "Đã quá hạn".to_string(),
        _ => "Chưa tính được số ngày làm việc còn lại".to_string(),
    };
    let length = match (c.length, &c.unit_label) {
        (Some(n), Some(unit)) => format!("{n} {unit} "),
        _ => String::new(),
    };
    ClockPanel {
        label: c.label.clone(),
        basis: format!("{length}kể từ {} ({})", c.trigger, date_vn(c.started_on)),
        due_on: c
            .due_on
            .map(date_vn)
            .unwrap_or_else(|| "chưa xác định".into()),
        remaining,
        overdue: c.overdue,
        citation: c.citation.clone(),
        judgement: c.judgement.clone(),
        caveats: c.caveats.clone(),
    }
}
