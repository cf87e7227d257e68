//! `/assessments`: periodic inspections and assessments (kiểm tra, đánh giá định kỳ) — due,
//! overdue and done — and the form that records one as done (which plans the next one).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::dossier_forms::date_value;
use super::form_errors::FormErrors;
use super::form_post::{self, Outcome, Posted};
use super::pages::{csrf_for, redirect};
use super::system_views::date_vn;
use super::systems::{can_register, error_page, login_redirect, respond};
use super::templates::Chrome;
use crate::auth::AuthUser;
use crate::error::{AppError, FieldErrors};
use crate::repo::Page;
use crate::rules::today_in_vietnam;
use crate::services::assessments::{self as service, AssessmentView, Completion};
use crate::services::Actor;
use crate::startup::AppState;

const PAGE_SIZE: i64 = 50;
const TABS: [(&str, &str); 4] = [
    ("open", "Chưa thực hiện"),
    ("due", "Đến hạn trong 30 ngày"),
    ("overdue", "Quá hạn"),
    ("done", "Đã thực hiện"),
];

/// The "đã thực hiện" form, as typed.
#[derive(Clone, Debug, Default)]
pub struct DoneForm {
    pub csrf_token: String,
    pub done_on: String,
    pub assessor: String,
    pub result: String,
    pub document_number: String,
    pub document_date: String,
    pub note: String,
}

fn date(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<chrono::NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .ok();
    if parsed.is_none() {
        errors
            .entry(field.into())
            .or_default()
            .push("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 03/11/2026".into());
    }
    parsed
}

impl DoneForm {
    pub fn parse(body: &[u8]) -> Self {
        let mut f = Self::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            let slot = match key.as_ref() {
                "csrf_token" => &mut f.csrf_token,
                "done_on" => &mut f.done_on,
                "assessor" => &mut f.assessor,
                "result" => &mut f.result,
                "document_number" => &mut f.document_number,
                "document_date" => &mut f.document_date,
                "note" => &mut f.note,
                _ => continue,
            };
            *slot = value.into_owned();
        }
        f
    }

    /// An empty day of completion means today; the service checks the rest.
    fn to_completion(&self) -> (Completion, FieldErrors) {
        let mut errors = FieldErrors::new();
        let done_on = date(&mut errors, "done_on", &self.done_on).unwrap_or_else(today_in_vietnam);
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let c = Completion {
            done_on,
            assessor: self.assessor.clone(),
            result: self.result.clone(),
            document_number: text(&self.document_number),
            document_date: date(&mut errors, "document_date", &self.document_date),
            note: text(&self.note),
        };
        (c, errors)
    }
}

/// One assessment of the list, with its form when it is open.
pub struct AssessmentLine {
    pub id: String,
    pub title: String,
    pub system_id: Option<String>,
    pub state: String,
    pub state_label: String,
    pub badge: &'static str,
    pub due_on: String,
    pub remaining: String,
    pub done_on: String,
    pub citation: String,
    /// "Chu kỳ 6 tháng, theo bộ quy tắc" or the agency's adjusted interval with its reason.
    pub interval: String,
    pub result: Option<String>,
    pub document: Option<String>,
    pub open: bool,
    pub form: DoneForm,
    pub errors: FormErrors,
    pub alert: Option<String>,
    pub expanded: bool,
}

impl AssessmentLine {
    /// `aria-invalid`/`aria-describedby` of the control `key` of this line's form.
    pub fn aria(&self, key: &str) -> String {
        self.errors.aria(key, &format!("{}-{key}", self.id), false)
    }
}

fn line(v: AssessmentView, back: Option<&(String, DoneForm, Outcome)>) -> AssessmentLine {
    let returned = back.filter(|(id, _, _)| *id == v.id);
    let remaining = match (v.done_on, v.working_days_left) {
        (Some(_), _) => String::new(),
        (None, Some(n)) if n < 0 => format!("Quá hạn {} ngày làm việc", -n),
        (None, Some(n)) => format!("Còn {n} ngày làm việc"),
        (None, None) => String::new(),
    };
    AssessmentLine {
        badge: match v.state.as_str() {
            "overdue" => "badge-danger",
            "due" => "badge-warning",
            "done" => "badge-success",
            _ => "badge-neutral",
        },
        due_on: date_vn(v.due_on),
        done_on: v.done_on.map(date_vn).unwrap_or_default(),
        remaining,
        document: v.document_number.as_ref().map(|n| match v.document_date {
            Some(d) => format!("{n} ngày {}", date_vn(d)),
            None => n.clone(),
        }),
        open: v.done_on.is_none(),
        form: returned
            .map(|(_, f, _)| f.clone())
            .unwrap_or_else(|| DoneForm {
                done_on: date_value(Some(today_in_vietnam())),
                ..DoneForm::default()
            }),
        errors: FormErrors(
            returned
                .map(|(_, _, o)| o.errors.clone())
                .unwrap_or_default(),
        ),
        alert: returned.and_then(|(_, _, o)| o.alert.clone()),
        expanded: returned.is_some(),
        id: v.id,
        title: v.title,
        system_id: v.system_id,
        state: v.state,
        state_label: v.state_label,
        interval: match v.interval_months {
            Some(m) => format!("Chu kỳ {m} tháng, {}", v.interval_source),
            None => format!("Chu kỳ {}", v.interval_source),
        },
        citation: v.citation,
        result: v.result,
    }
}

#[derive(Template)]
#[template(path = "pages/assessments.html")]
pub struct AssessmentsPage {
    pub chrome: Chrome,
    pub tab: &'static str,
    pub tabs: &'static [(&'static str, &'static str)],
    pub rows: Vec<AssessmentLine>,
    pub total: i64,
    pub can_record: bool,
    pub notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    done: Option<String>,
}

async fn show(
    req: &HttpRequest,
    state: &AppState,
    user: &AuthUser,
    tab: &str,
    back: Option<(String, DoneForm, Outcome)>,
    notice: Option<String>,
) -> HttpResponse {
    let tab = TABS
        .iter()
        .find(|(t, _)| *t == tab)
        .map_or("open", |(t, _)| t);
    let actor = Actor::user(user);
    let calendar = state.calendar.clone();
    let found = state
        .db
        .run(move |conn| {
            let today = today_in_vietnam();
            let filter = service::parse_state(Some(tab), today)?;
            let page = Page {
                number: 1,
                size: PAGE_SIZE,
            };
            service::list(conn, &calendar, &actor, None, filter, today, page)
        })
        .await;
    let (items, total) = match found {
        Ok(f) => f,
        Err(e) => return error_page(req, state, user, e),
    };
    let status = back.as_ref().map_or(StatusCode::OK, |(_, _, o)| o.status);
    let (token, cookie) = csrf_for(req, state);
    let page = AssessmentsPage {
        chrome: Chrome::signed_in(token, &user.principal, "assessments"),
        tab,
        tabs: &TABS,
        rows: items.into_iter().map(|v| line(v, back.as_ref())).collect(),
        total,
        can_record: can_register(user.role),
        notice,
    };
    respond(status, &page, cookie)
}

/// `GET /assessments`.
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    query: web::Query<ListQuery>,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let q = query.into_inner();
    let notice = q.done.is_some().then(|| {
        "Đã ghi nhận đợt kiểm tra, đánh giá; đợt tiếp theo đã được lập kế hoạch.".to_string()
    });
    show(
        &req,
        &state,
        &user,
        q.state.as_deref().unwrap_or("open"),
        None,
        notice,
    )
    .await
}

/// `POST /assessments/{id}/complete`: records the assessment as done.
pub async fn complete(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(user) = user else {
        return login_redirect(&req);
    };
    let Some(form) = form_post::read(&body, DoneForm::parse) else {
        return error_page(&req, &state, &user, AppError::PayloadTooLarge);
    };
    let id = id.into_inner();
    let (completion, parse_errors) = form.to_completion();
    let actor = Actor::user(&user);
    let (registry, calendar, target) = (state.rules.clone(), state.calendar.clone(), id.clone());
    let run = state.db.run(move |conn| {
        service::complete(
            conn,
            &registry,
            &calendar,
            &actor,
            &target,
            completion,
            today_in_vietnam(),
        )
    });
    match form_post::submit(&req, &form.csrf_token, parse_errors, run).await {
        Posted::Done(_) => redirect("/assessments?state=done&done=1"),
        Posted::Again(outcome) => {
            show(&req, &state, &user, "open", Some((id, form, outcome)), None).await
        }
        Posted::Failed(e) => error_page(&req, &state, &user, e),
    }
}
