//! The plumbing every form post shares: reading the body, the CSRF check, running the service
//! and turning its refusal into the form shown again with what was typed.

use std::future::Future;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};

use super::systems::login_redirect;
use crate::auth::csrf;
use crate::error::{AppError, FieldErrors};
use crate::startup::FORM_LIMIT;

/// Shown above a form whose CSRF token did not match; what was typed is kept.
pub const CSRF_MESSAGE: &str = "Phiên biểu mẫu đã hết hạn nên chưa lưu được. Các thông tin đã nhập vẫn còn dưới đây; vui lòng bấm lưu lại.";

/// How a form is shown again: its field errors, a message above it, the status.
#[derive(Debug)]
pub struct Outcome {
    pub errors: FieldErrors,
    pub alert: Option<String>,
    pub status: StatusCode,
}

impl Outcome {
    /// A fresh form, nothing to report.
    pub fn ok() -> Self {
        Self::errors(FieldErrors::new(), StatusCode::OK)
    }

    pub fn errors(errors: FieldErrors, status: StatusCode) -> Self {
        Self {
            errors,
            alert: None,
            status,
        }
    }

    pub fn alert(message: String, status: StatusCode) -> Self {
        Self {
            errors: FieldErrors::new(),
            alert: Some(message),
            status,
        }
    }

    /// Adds field errors found besides the service's (kept when the service named the field
    /// already); a message without fields gives way to the fields.
    pub fn add_fields(&mut self, extra: FieldErrors) {
        for (key, messages) in extra {
            self.errors.entry(key).or_insert(messages);
        }
        if !self.errors.is_empty() {
            self.alert = None;
        }
    }

    /// What a refusal of the service becomes on the form: field errors (422), or its
    /// message above the form (403, 409). Anything else is for an error page.
    pub fn from_error(err: AppError) -> Result<Self, AppError> {
        match err {
            AppError::Validation { fields, message } if fields.is_empty() => {
                Ok(Self::alert(message, StatusCode::UNPROCESSABLE_ENTITY))
            }
            AppError::Validation { fields, .. } => {
                Ok(Self::errors(fields, StatusCode::UNPROCESSABLE_ENTITY))
            }
            AppError::Forbidden(message) => Ok(Self::alert(message, StatusCode::FORBIDDEN)),
            AppError::Conflict(message) => Ok(Self::alert(message, StatusCode::CONFLICT)),
            other => Err(other),
        }
    }
}

/// What became of a posted form.
pub enum Posted<T> {
    /// The service did it: redirect (post/redirect/get).
    Done(T),
    /// Show the form again with what was typed.
    Again(Outcome),
    /// Not a matter of the form: show an error page.
    Failed(AppError),
}

/// Reads a posted urlencoded form, or `None` when the body is over the form limit (413).
pub fn read<F>(body: &[u8], parse: impl FnOnce(&[u8]) -> F) -> Option<F> {
    (body.len() <= FORM_LIMIT).then(|| parse(body))
}

/// Checks the form's CSRF token, then the fields the form itself could not read, then runs
/// `save` (a future, not started unless both checks pass). Text the form could not read is
/// never sent to the service: it would be dropped, not saved.
pub async fn submit<T>(
    req: &HttpRequest,
    csrf_token: &str,
    parse_errors: FieldErrors,
    save: impl Future<Output = Result<T, AppError>>,
) -> Posted<T> {
    if !csrf::matches(req, Some(csrf_token)) {
        return Posted::Again(Outcome::alert(
            CSRF_MESSAGE.to_string(),
            StatusCode::FORBIDDEN,
        ));
    }
    let result = if parse_errors.is_empty() {
        save.await
    } else {
        Err(AppError::fields(parse_errors))
    };
    match result {
        Ok(done) => Posted::Done(done),
        Err(err) => match Outcome::from_error(err) {
            Ok(outcome) => Posted::Again(outcome),
            Err(other) => Posted::Failed(other),
        },
    }
}

/// Whether htmx sent the request (it swaps a fragment instead of loading a page).
pub fn is_htmx(req: &HttpRequest) -> bool {
    req.headers().contains_key("hx-request")
}

/// A request without a session: htmx is told to load the login page, a browser is sent there.
pub fn sign_in_first(req: &HttpRequest) -> HttpResponse {
    if is_htmx(req) {
        HttpResponse::Unauthorized()
            .insert_header(("HX-Redirect", "/login"))
            .finish()
    } else {
        login_redirect(req)
    }
}

/// The CSRF token of an htmx call (header) or of a plain post (field), either one.
pub fn csrf_header_or_field(req: &HttpRequest, field: &str) -> bool {
    let header_token = req
        .headers()
        .get(csrf::CSRF_HEADER)
        .and_then(|v| v.to_str().ok());
    csrf::matches(req, header_token) || csrf::matches(req, Some(field))
}

/// A fragment computed from what was typed: never cached.
pub fn no_store(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_become_the_form_again_and_the_rest_an_error_page() {
        let o = Outcome::from_error(AppError::field("name", "Vui lòng nhập tên")).unwrap();
        assert_eq!(o.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(o.alert.is_none() && o.errors.contains_key("name"));
        let o = Outcome::from_error(AppError::Conflict("Đã gửi".into())).unwrap();
        assert_eq!(
            (o.status, o.alert.as_deref()),
            (StatusCode::CONFLICT, Some("Đã gửi"))
        );
        assert!(Outcome::from_error(AppError::not_found()).is_err());
    }

    #[test]
    fn added_fields_replace_a_bare_message() {
        let mut o = Outcome::alert(
            "Dữ liệu không hợp lệ".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        let mut extra = FieldErrors::new();
        extra.insert("facts.function".into(), vec!["Chọn chức năng".into()]);
        o.add_fields(extra);
        assert!(o.alert.is_none());
        assert_eq!(o.errors.len(), 1);
    }
}
