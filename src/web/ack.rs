//! `GET/POST /ack/{token}`: the public acknowledgement page a recipient opens from the
//! warning's email — no login, no navigation, fit for a phone. Opening it records nothing
//! (no tracking of opens); only a submitted answer is stored, and it may be changed later.
//!
//! CSRF: the POST is accepted on the strength of the token in the path alone, with no cookie
//! or session. The token is the capability: a forged cross-site POST can only carry a token
//! its author already holds, and with it they could answer directly anyway; nothing ambient
//! (a cookie) is lent to the request, so there is no victim credential to ride. A
//! double-submit cookie would add nothing and would fail for recipients whose mail client
//! opens links in a browser that drops SameSite=Strict cookies on the first visit.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::alert_templates::severity_class;
use super::system_views::{date_vn, time_vn};
use super::templates::render;
use crate::auth::ack_token::AckTokenError;
use crate::domain::alert::{AckAnswer, Severity};
use crate::services::alert_send::{self as sending, AckError, AckPage};
use crate::startup::AppState;

/// A note and an answer are small; anything larger is not a real submission.
const ACK_FORM_LIMIT: usize = 16 * 1024;

/// One of the three answers, as a button.
pub struct AnswerChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub class: &'static str,
}

const CHOICES: [AnswerChoice; 3] = [
    AnswerChoice {
        value: "received",
        label: "Đã nhận",
        class: "btn-secondary",
    },
    AnswerChoice {
        value: "fixed",
        label: "Đã khắc phục",
        class: "btn-primary",
    },
    AnswerChoice {
        value: "not_affected",
        label: "Không ảnh hưởng",
        class: "btn-secondary",
    },
];

/// What the page shows of the warning and of the recorded answer.
pub struct AckView {
    pub recipient: String,
    pub title: String,
    pub severity_label: &'static str,
    pub severity_class: &'static str,
    pub required_action: String,
    pub due: String,
    pub answer_label: Option<&'static str>,
    pub answered_at: String,
    pub note: String,
}

impl AckView {
    fn from_page(p: AckPage) -> Self {
        let severity = Severity::ALL
            .iter()
            .copied()
            .find(|s| s.label() == p.severity_label)
            .unwrap_or(Severity::Medium);
        Self {
            recipient: p.recipient,
            title: p.alert_title,
            severity_label: p.severity_label,
            severity_class: severity_class(severity),
            required_action: p.required_action,
            due: p.action_due_on.map(date_vn).unwrap_or_default(),
            answer_label: p.answer.map(AckAnswer::label),
            answered_at: p.answered_at.map(time_vn).unwrap_or_default(),
            note: p.note.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "pages/ack.html")]
pub struct AckTemplate {
    pub heading: String,
    /// Why the page cannot be shown (a bad or expired link, an unknown delivery).
    pub failure: Option<String>,
    pub view: Option<AckView>,
    /// The answer was just recorded.
    pub saved: bool,
    /// A problem with the submitted answer.
    pub problem: Option<String>,
    /// The note as typed, when the answer must be given again.
    pub typed_note: String,
    pub action: String,
    pub choices: &'static [AnswerChoice; 3],
}

/// Renders the page with the headers every state of it needs.
fn page(status: StatusCode, tpl: &AckTemplate) -> HttpResponse {
    let mut res = render(status, tpl);
    let h = res.headers_mut();
    // The URL carries the token: never send it onwards, never keep the page in a cache.
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    h.insert(
        header::HeaderName::from_static("x-robots-tag"),
        header::HeaderValue::from_static("noindex, nofollow"),
    );
    res
}

fn failure(status: StatusCode, heading: &str, message: &str) -> HttpResponse {
    let tpl = AckTemplate {
        heading: heading.into(),
        failure: Some(message.into()),
        view: None,
        saved: false,
        problem: None,
        typed_note: String::new(),
        action: String::new(),
        choices: &CHOICES,
    };
    page(status, &tpl)
}

fn error_response(err: AckError) -> HttpResponse {
    match err {
        AckError::Token(e) => {
            let status = match e {
                AckTokenError::Expired => StatusCode::GONE,
                AckTokenError::Malformed | AckTokenError::BadSignature => StatusCode::BAD_REQUEST,
            };
            let heading = match e {
                AckTokenError::Expired => "Đường dẫn đã hết hạn",
                _ => "Đường dẫn không hợp lệ",
            };
            failure(status, heading, e.message())
        }
        AckError::Gone => failure(
            StatusCode::NOT_FOUND,
            "Không tìm thấy cảnh báo",
            "Không tìm thấy thư cảnh báo ứng với đường dẫn này. Hãy liên hệ người gửi cảnh báo.",
        ),
        AckError::Invalid(message) => failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Chưa ghi nhận được câu trả lời",
            &message,
        ),
        AckError::Internal(e) => {
            tracing::error!(error = ?e, "acknowledgement page failed");
            failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Đã xảy ra lỗi",
                "Chưa mở được trang xác nhận lúc này; vui lòng thử lại sau ít phút.",
            )
        }
    }
}

fn shown(
    token: &str,
    p: AckPage,
    saved: bool,
    problem: Option<String>,
    note: String,
) -> AckTemplate {
    AckTemplate {
        heading: p.alert_title.clone(),
        failure: None,
        view: Some(AckView::from_page(p)),
        saved,
        problem,
        typed_note: note,
        action: format!("/ack/{token}"),
        choices: &CHOICES,
    }
}

#[derive(Deserialize)]
pub struct AckQuery {
    saved: Option<String>,
}

pub async fn open(
    state: web::Data<AppState>,
    token: web::Path<String>,
    query: web::Query<AckQuery>,
) -> HttpResponse {
    let token = token.into_inner();
    let signer = state.ack.clone();
    let lookup = token.clone();
    let result = state
        .db
        .run(move |conn| Ok(sending::open_ack(conn, &signer, &lookup)))
        .await;
    match result {
        Ok(Ok(p)) => {
            let saved = query.saved.is_some() && p.answer.is_some();
            let note = p.note.clone().unwrap_or_default();
            page(StatusCode::OK, &shown(&token, p, saved, None, note))
        }
        Ok(Err(e)) => error_response(e),
        Err(e) => error_response(AckError::Internal(e)),
    }
}

pub async fn submit(
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let token = token.into_inner();
    if body.len() > ACK_FORM_LIMIT {
        return failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Chưa ghi nhận được câu trả lời",
            "Ghi chú quá dài; vui lòng rút gọn rồi gửi lại.",
        );
    }
    let (mut answer, mut note) = (String::new(), String::new());
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "answer" => answer = value.into_owned(),
            "note" => note = value.into_owned(),
            _ => {}
        }
    }
    let signer = state.ack.clone();
    let (t, a, n) = (token.clone(), answer, note.clone());
    let result = state
        .db
        .run(move |conn| Ok(sending::answer(conn, &signer, &t, &a, Some(&n))))
        .await;
    match result {
        Ok(Ok(_)) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/ack/{token}?saved=1")))
            .insert_header((header::REFERRER_POLICY, "no-referrer"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
        // A missing answer or a long note: the page again, with the note kept.
        Ok(Err(AckError::Invalid(message))) => {
            let signer = state.ack.clone();
            let t = token.clone();
            match state
                .db
                .run(move |conn| Ok(sending::open_ack(conn, &signer, &t)))
                .await
            {
                Ok(Ok(p)) => page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &shown(&token, p, false, Some(message), note),
                ),
                Ok(Err(e)) => error_response(e),
                Err(e) => error_response(AckError::Internal(e)),
            }
        }
        Ok(Err(e)) => error_response(e),
        Err(e) => error_response(AckError::Internal(e)),
    }
}
