//! One error type for every use case, rendered as the JSON error of contract §3 for the API
//! (the web UI renders the same error as an HTML page, see `web::WebError`).

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// Per-field messages, e.g. `{"email": ["Địa chỉ thư điện tử không hợp lệ"]}`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Phương thức không được hỗ trợ cho đường dẫn này")]
    MethodNotAllowed,
    #[error("Nội dung gửi lên vượt quá giới hạn cho phép")]
    PayloadTooLarge,
    #[error("Kiểu nội dung không được hỗ trợ; hãy gửi application/json")]
    UnsupportedMediaType,
    /// An uploaded file over the size limit (413), with the limit in the message.
    #[error("{0}")]
    FileTooLarge(String),
    /// An uploaded file or body of a kind not accepted here (415), naming what is.
    #[error("{0}")]
    UnsupportedFile(String),
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    #[error("Quá nhiều lần thử; vui lòng thử lại sau {retry_after_secs} giây")]
    RateLimited { retry_after_secs: u64 },
    #[error("Lỗi hệ thống")]
    Internal(#[source] anyhow::Error),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub code: &'static str,
    /// Vietnamese message for people.
    pub message: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: FieldErrors,
}

impl AppError {
    pub fn not_found() -> Self {
        Self::NotFound("Không tìm thấy".into())
    }

    pub fn unauthenticated() -> Self {
        Self::Unauthorized("Vui lòng đăng nhập".into())
    }

    pub fn forbidden() -> Self {
        Self::Forbidden("Bạn không có quyền thực hiện thao tác này".into())
    }

    /// A validation failure on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), vec![message.into()]);
        Self::Validation {
            message: "Dữ liệu không hợp lệ".into(),
            fields,
        }
    }

    pub fn fields(fields: FieldErrors) -> Self {
        Self::Validation {
            message: "Dữ liệu không hợp lệ".into(),
            fields,
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::FileTooLarge(_) => "payload_too_large",
            Self::UnsupportedFile(_) => "unsupported_media_type",
            Self::Validation { .. } => "validation_failed",
            Self::RateLimited { .. } => "rate_limited",
            Self::Internal(_) => "internal_error",
        }
    }

    pub fn body(&self) -> ErrorBody {
        let fields = match self {
            Self::Validation { fields, .. } => fields.clone(),
            _ => FieldErrors::new(),
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                fields,
            },
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::FileTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedFile(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            // The cause chain goes to the log only; the user sees a generic message.
            tracing::error!(error = ?cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let Self::RateLimited { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let Self::Unauthorized(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.body())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => Self::not_found(),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Self::Conflict("Bản ghi trùng với một bản ghi đã có".into())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => Self::Conflict(
                "Bản ghi đang được tham chiếu hoặc tham chiếu tới bản ghi không tồn tại".into(),
            ),
            other => Self::Internal(other.into()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::Internal(anyhow::Error::new(err).context("database pool"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::Internal(anyhow::anyhow!("blocking task failed: {err}"))
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = FieldErrors::new();
        for (field, errs) in errors.field_errors() {
            let messages = errs
                .iter()
                .map(|e| {
                    e.message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| "Giá trị không hợp lệ".into())
                })
                .collect();
            fields.insert(field.to_string(), messages);
        }
        Self::fields(fields)
    }
}

/// Maps actix's JSON extractor failures onto the contract: 400 malformed, 413, 415, 422 for
/// well-formed JSON of the wrong shape (unknown field, wrong type).
pub fn json_error(err: actix_web::error::JsonPayloadError) -> AppError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::ContentType => AppError::UnsupportedMediaType,
        E::OverflowKnownLength { .. } | E::Overflow { .. } => AppError::PayloadTooLarge,
        E::Deserialize(e) if e.is_data() => shape_error(&e.to_string()),
        E::Deserialize(e) => AppError::BadRequest(format!("JSON không hợp lệ: {e}")),
        E::Payload(actix_web::error::PayloadError::Overflow) => AppError::PayloadTooLarge,
        other => AppError::BadRequest(format!("Không đọc được nội dung gửi lên: {other}")),
    }
}

pub fn query_error(err: actix_web::error::QueryPayloadError) -> AppError {
    AppError::BadRequest(format!("Tham số truy vấn không hợp lệ: {err}"))
}

pub fn path_error(_err: actix_web::error::PathError) -> AppError {
    AppError::not_found()
}

/// Well-formed JSON of the wrong shape: name the field in Vietnamese where serde names it.
pub fn shape_error(serde_message: &str) -> AppError {
    let quoted = serde_message.split('`').nth(1).map(str::to_string);
    let (field, text) = if serde_message.starts_with("unknown field") {
        (
            quoted,
            "Trường này không được hỗ trợ (kiểm tra lỗi chính tả)".to_string(),
        )
    } else if serde_message.starts_with("missing field") {
        (quoted, "Trường này là bắt buộc".to_string())
    } else if serde_message.starts_with("unknown variant") {
        (
            None,
            format!("Giá trị không thuộc danh sách cho phép ({serde_message})"),
        )
    } else {
        (None, format!("Sai kiểu dữ liệu ({serde_message})"))
    };
    match field {
        Some(name) => {
            let mut fields = FieldErrors::new();
            fields.insert(name, vec![text]);
            AppError::Validation {
                message: "Dữ liệu không đúng cấu trúc".into(),
                fields,
            }
        }
        None => AppError::Validation {
            message: text,
            fields: FieldErrors::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = AppError::internal(anyhow::anyhow!(
            "connection to 10.0.0.5 refused: password=hunter2"
        ));
        assert_eq!(err.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&err.body()).unwrap();
        assert!(
            !body.contains("hunter2") && !body.contains("10.0.0.5"),
            "{body}"
        );
        assert!(body.contains("internal_error"));
    }

    #[test]
    fn serde_shape_errors_name_the_field() {
        let err = shape_error("unknown field `colour`, expected one of `name`, `code`");
        let AppError::Validation { fields, .. } = err else {
            panic!("not a validation error")
        };
        assert!(fields.contains_key("colour"));
        let err = shape_error("missing field `name` at line 1 column 2");
        let AppError::Validation { fields, .. } = err else {
            panic!("not a validation error")
        };
        assert_eq!(fields["name"], vec!["Trường này là bắt buộc".to_string()]);
    }
}
