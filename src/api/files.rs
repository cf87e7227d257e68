//! File uploads and downloads over HTTP, shared by the API and the web UI: a multipart form
//! read into text fields and one staged file, and a stored blob answered as an attachment.

use std::collections::BTreeMap;

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::body::SizedStream;
use actix_web::http::header::{self, ContentEncoding};
use actix_web::{web, HttpResponse};
use futures_util::{stream, StreamExt, TryStreamExt};
use tokio::io::AsyncReadExt;

use crate::domain::file_kind::{FileKind, ACCEPTED_LABEL};
use crate::domain::file_name;
use crate::error::{AppError, FieldErrors};
use crate::storage::{BlobStore, StageError, StagedBlob};

/// Longest text field of an upload form, in bytes (a note is at most 2000 characters).
const MAX_TEXT_BYTES: usize = 16 * 1024;
/// Most parts a form may have.
const MAX_PARTS: usize = 32;

/// The file part of a form: checked by content, hashed, in a temporary file.
#[derive(Debug)]
pub struct UploadedFile {
    pub blob: StagedBlob,
    /// The name the client gave, as sent (sanitise before storing or showing).
    pub original_name: String,
}

/// A multipart form read completely: trimmed text fields and at most one file.
#[derive(Debug, Default)]
pub struct UploadForm {
    pub text: BTreeMap<String, String>,
    pub file: Option<UploadedFile>,
}

impl UploadForm {
    /// A text field, `None` when absent or blank.
    pub fn take(&mut self, name: &str) -> Option<String> {
        self.text.remove(name).filter(|v| !v.is_empty())
    }
}

/// The upload limit for messages, e.g. `25 MB` or `512 KB`.
pub fn size_label(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64).replace('.', ",")
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

fn one_field(name: &str, message: impl Into<String>) -> AppError {
    let mut fields = FieldErrors::new();
    fields.insert(name.to_string(), vec![message.into()]);
    AppError::Validation {
        message: "Dữ liệu tải lên không hợp lệ".into(),
        fields,
    }
}

fn multipart_error(err: MultipartError) -> AppError {
    use actix_web::error::PayloadError;
    match err {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => AppError::UnsupportedFile(
            "Kiểu nội dung không được hỗ trợ; hãy gửi biểu mẫu multipart/form-data".into(),
        ),
        MultipartError::Payload(PayloadError::Overflow) => AppError::PayloadTooLarge,
        other => AppError::BadRequest(format!("Không đọc được biểu mẫu tải lên: {other}")),
    }
}

/// Reads a multipart form whose file part is named `file_field` and whose other parts must be
/// among `text_fields` (anything else answers 422). The file is streamed to the store's
/// temporary folder, stopping at `max_bytes` (413), and must be of an accepted kind (415);
/// a file part with neither a name nor content (a form sent without choosing a file) counts
/// as absent.
pub async fn read_upload(
    mut form: Multipart,
    store: &BlobStore,
    max_bytes: u64,
    file_field: &str,
    text_fields: &[&str],
) -> Result<UploadForm, AppError> {
    let mut out = UploadForm::default();
    let mut parts = 0;
    let mut seen_file = false;
    while let Some(field) = form.try_next().await.map_err(multipart_error)? {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(AppError::BadRequest(
                "Biểu mẫu tải lên có quá nhiều trường".into(),
            ));
        }
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            if seen_file {
                return Err(one_field(&name, "Mỗi lần chỉ tải lên một tệp"));
            }
            seen_file = true;
            out.file = read_file(field, &name, store, max_bytes).await?;
        } else if text_fields.contains(&name.as_str()) {
            if out.text.contains_key(&name) {
                return Err(one_field(&name, "Trường này chỉ được gửi một lần"));
            }
            let value = read_text(field, &name).await?;
            out.text.insert(name, value.trim().to_string());
        } else {
            return Err(one_field(
                if name.is_empty() {
                    "(không tên)"
                } else {
                    &name
                },
                "Trường này không được hỗ trợ (kiểm tra lỗi chính tả)",
            ));
        }
    }
    Ok(out)
}

async fn read_file(
    field: Field,
    name: &str,
    store: &BlobStore,
    max_bytes: u64,
) -> Result<Option<UploadedFile>, AppError> {
    let original_name = field
        .content_disposition()
        .and_then(|cd| {
            cd.get_filename_ext()
                .map(|ext| String::from_utf8_lossy(&ext.value).into_owned())
                .or_else(|| cd.get_filename().map(str::to_string))
        })
        .unwrap_or_default();
    match store.stage(field, max_bytes).await {
        Ok(blob) => Ok(Some(UploadedFile {
            blob,
            original_name,
        })),
        Err(StageError::Empty) if original_name.is_empty() => Ok(None),
        Err(StageError::Empty) => Err(one_field(name, "Tệp rỗng: hãy chọn tệp có nội dung")),
        Err(StageError::TooLarge { max_bytes }) => Err(AppError::FileTooLarge(format!(
            "Tệp vượt quá dung lượng cho phép ({})",
            size_label(max_bytes)
        ))),
        Err(StageError::Unsupported) => Err(AppError::UnsupportedFile(format!(
            "Loại tệp không được chấp nhận; hãy tải lên tệp {ACCEPTED_LABEL} (loại tệp được xác định theo nội dung, không theo tên)"
        ))),
        Err(StageError::Source(e)) => Err(multipart_error(e)),
        Err(StageError::Io(e)) => Err(AppError::internal(e)),
    }
}

async fn read_text(mut field: Field, name: &str) -> Result<String, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(multipart_error)?;
        if bytes.len() + chunk.len() > MAX_TEXT_BYTES {
            return Err(one_field(name, "Giá trị quá dài"));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| one_field(name, "Giá trị không phải văn bản UTF-8"))
}

/// Answers a stored blob as a download named `name` (sanitised): its content type from the
/// detected kind, never sniffed by the browser, not compressed again.
pub fn attachment(
    store: &BlobStore,
    sha256: &str,
    kind: FileKind,
    name: &str,
    size: u64,
) -> Result<HttpResponse, AppError> {
    let file = store.open(sha256).map_err(|e| {
        AppError::internal(anyhow::Error::new(e).context(format!("blob {sha256} is missing")))
    })?;
    let file = tokio::fs::File::from_std(file);
    let body = stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(web::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    Ok(HttpResponse::Ok()
        .content_type(kind.mime())
        .insert_header((
            header::CONTENT_DISPOSITION,
            file_name::content_disposition(name),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header(ContentEncoding::Identity)
        .body(SizedStream::new(size, body.boxed_local())))
}

#[cfg(test)]
mod tests {
    use super::size_label;

    #[test]
    fn limits_read_in_megabytes_or_kilobytes() {
        assert_eq!(size_label(25 * 1024 * 1024), "25 MB");
        assert_eq!(size_label(1536 * 1024), "1,5 MB");
        assert_eq!(size_label(4096), "4 KB");
    }
}
