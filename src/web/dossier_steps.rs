//! The forms of the workflow steps allowed now on the dossier page: their wording, fields and
//! what the user typed when one came back.

use super::dossier_forms::{fields_of, TransitionForm};
use super::dossier_page::{field, Returned, Rights, Spec, LEVELS, OPINIONS};
use super::dossier_templates::{ActionView, Choice};
use super::form_errors::FormErrors;
use crate::domain::dossier::DossierStatus;
use crate::services::dossier_views::DossierView;

/// Heading, explanation, button of each step's form.
fn wording(to: DossierStatus, again: bool) -> (&'static str, &'static str, &'static str) {
    match to {
        DossierStatus::Submitted if again => ("Gửi lại hồ sơ đã hoàn thiện", "Ghi số, ngày văn bản gửi lại và đơn vị nhận.", "Gửi lại hồ sơ"),
        DossierStatus::Submitted => ("Gửi hồ sơ đề nghị thẩm định, phê duyệt", "Khi mọi thành phần bắt buộc của hồ sơ đề xuất đã có, ghi số, ngày văn bản gửi và đơn vị nhận hồ sơ.", "Gửi hồ sơ"),
        DossierStatus::Received => ("Ghi nhận tiếp nhận hồ sơ", "Ngày cơ quan nhận hồ sơ tiếp nhận; thời hạn kiểm tra tính hợp lệ tính từ ngày này.", "Ghi nhận đã tiếp nhận"),
        DossierStatus::UnderAppraisal => ("Bắt đầu thẩm định", "Ngày bắt đầu thẩm định hồ sơ đã hợp lệ.", "Ghi nhận bắt đầu thẩm định"),
        DossierStatus::Returned => ("Trả lại hồ sơ để hoàn thiện", "Ghi rõ nội dung cần bổ sung, hoàn thiện; hồ sơ trở lại đơn vị lập để sửa và gửi lại.", "Trả lại hồ sơ"),
        DossierStatus::Appraised => ("Ghi nhận ý kiến thẩm định", "Kết luận, số và ngày văn bản ý kiến thẩm định.", "Ghi nhận ý kiến thẩm định"),
        DossierStatus::Approved => ("Ghi nhận quyết định phê duyệt cấp độ", "Số, ngày quyết định và cấp độ được phê duyệt; cấp độ này trở thành cấp độ được phê duyệt của hệ thống.", "Ghi nhận phê duyệt"),
        DossierStatus::Draft => ("", "", ""),
    }
}

/// How the field `name` of the step `to` is shown.
fn describe(to: DossierStatus, name: &str) -> Spec {
    use DossierStatus::*;
    const NONE: &[Choice] = &[];
    match (to, name) {
        (Submitted, "document_number") => (
            "Số, ký hiệu văn bản gửi hồ sơ",
            "Ví dụ 2559/SCT-VP",
            "text",
            NONE,
            true,
        ),
        (Submitted, "document_date") => ("Ngày văn bản gửi hồ sơ", "", "date", NONE, true),
        (Submitted, "recipient") => (
            "Đơn vị nhận hồ sơ",
            "Ví dụ “Công an tỉnh Đồng Nai”",
            "text",
            NONE,
            true,
        ),
        (Returned, "note") => (
            "Nội dung cần bổ sung, hoàn thiện",
            "",
            "textarea",
            NONE,
            true,
        ),
        (Returned, "date") => (
            "Ngày trả lại",
            "Để trống nếu là hôm nay",
            "date",
            NONE,
            false,
        ),
        (Returned, "document_number") => ("Số, ký hiệu văn bản trả lại", "", "text", NONE, false),
        (Returned, "document_date") => ("Ngày văn bản trả lại", "", "date", NONE, false),
        (Received, "date") => (
            "Ngày tiếp nhận",
            "Để trống nếu là hôm nay",
            "date",
            NONE,
            false,
        ),
        (UnderAppraisal, "date") => (
            "Ngày bắt đầu thẩm định",
            "Để trống nếu là hôm nay",
            "date",
            NONE,
            false,
        ),
        (Appraised, "opinion") => ("Kết luận thẩm định", "", "select", OPINIONS, true),
        (Appraised, "document_number") => (
            "Số, ký hiệu văn bản ý kiến thẩm định",
            "",
            "text",
            NONE,
            true,
        ),
        (Appraised, "document_date") => ("Ngày văn bản ý kiến thẩm định", "", "date", NONE, true),
        (Approved, "document_number") => (
            "Số, ký hiệu quyết định phê duyệt",
            "Ví dụ 125/QĐ-UBND",
            "text",
            NONE,
            true,
        ),
        (Approved, "document_date") => ("Ngày quyết định", "", "date", NONE, true),
        (Approved, "approved_level") => ("Cấp độ được phê duyệt", "", "select", LEVELS, true),
        _ => ("Ghi chú", "", "textarea", NONE, false),
    }
}

/// The forms of the steps this user may take now; the one that came back keeps its input.
pub fn actions(
    view: &DossierView,
    rights: Rights,
    recipient: &str,
    returned: &Returned,
) -> Vec<ActionView> {
    let again = view.status == DossierStatus::Returned;
    view.next
        .iter()
        .copied()
        .filter(|to| match to {
            DossierStatus::Submitted => rights.edit,
            _ => rights.manage,
        })
        .map(|to| {
            let blank = TransitionForm::blank(to, recipient, view.proposed_level);
            let (form, outcome) = match returned {
                Returned::Transition(f, o) if f.target() == Some(to) => (f, Some(o)),
                _ => (&blank, None),
            };
            let errors = FormErrors(outcome.map(|o| o.errors.clone()).unwrap_or_default());
            let prefix = format!("t-{}", to.as_str());
            let fields = fields_of(to)
                .iter()
                .map(|name| {
                    let value = match *name {
                        "document_number" => &form.document_number,
                        "document_date" => &form.document_date,
                        "recipient" => &form.recipient,
                        "date" => &form.date,
                        "opinion" => &form.opinion,
                        "approved_level" => &form.approved_level,
                        _ => &form.note,
                    };
                    field(&prefix, name, describe(to, name), value.clone(), &errors)
                })
                .collect();
            let (heading, explain, button) = wording(to, again);
            ActionView {
                to: to.as_str(),
                heading,
                explain,
                button,
                danger: to == DossierStatus::Returned,
                fields,
                alert: outcome.and_then(|o| o.alert.clone()),
                open: outcome.is_some() || to != DossierStatus::Returned,
            }
        })
        .collect()
}
