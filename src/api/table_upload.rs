//! The upload of a table to import (API and web): one file part streamed to a temporary file
//! under the data folder, stopping at the upload limit, plus a few short text fields.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use actix_multipart::{Multipart, MultipartError};
use futures_util::{StreamExt, TryStreamExt};

use super::files::size_label;
use crate::error::AppError;

/// Longest text field (a mapping of a few dozen headers).
const MAX_TEXT_BYTES: usize = 32 * 1024;
const MAX_PARTS: usize = 16;

/// The form: text fields by name and the file, if one was sent.
pub struct TableUpload {
    pub text: BTreeMap<String, String>,
    pub file: Option<tempfile::NamedTempFile>,
}

fn bad(err: MultipartError) -> AppError {
    use actix_web::error::PayloadError;
    match err {
        MultipartError::Payload(PayloadError::Overflow) => AppError::PayloadTooLarge,
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => AppError::UnsupportedFile(
            "Hãy gửi tệp bằng biểu mẫu multipart/form-data (trường file)".into(),
        ),
        other => AppError::BadRequest(format!("Không đọc được biểu mẫu tải lên: {other}")),
    }
}

/// Reads the form: the part `file` into a temporary file in `<data_dir>/files/tmp` (413 past
/// `max_bytes`), the parts named in `text_fields` as text, anything else refused (422).
pub async fn read(
    mut form: Multipart,
    data_dir: &Path,
    max_bytes: u64,
    text_fields: &[&str],
) -> Result<TableUpload, AppError> {
    let mut out = TableUpload {
        text: BTreeMap::new(),
        file: None,
    };
    let mut parts = 0;
    while let Some(mut field) = form.try_next().await.map_err(bad)? {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(AppError::BadRequest("Biểu mẫu có quá nhiều trường".into()));
        }
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let dir = data_dir.join("files").join("tmp");
            std::fs::create_dir_all(&dir).map_err(AppError::internal)?;
            let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(AppError::internal)?;
            let mut size: u64 = 0;
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(bad)?;
                size += chunk.len() as u64;
                if size > max_bytes {
                    return Err(AppError::FileTooLarge(format!(
                        "Tệp vượt quá dung lượng cho phép ({})",
                        size_label(max_bytes)
                    )));
                }
                tmp.write_all(&chunk).map_err(AppError::internal)?;
            }
            tmp.flush().map_err(AppError::internal)?;
            if size > 0 {
                out.file = Some(tmp);
            }
        } else if text_fields.contains(&name.as_str()) {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(bad)?;
                if bytes.len() + chunk.len() > MAX_TEXT_BYTES {
                    return Err(AppError::field(&name, "Giá trị quá dài"));
                }
                bytes.extend_from_slice(&chunk);
            }
            let value = String::from_utf8(bytes)
                .map_err(|_| AppError::field(&name, "Giá trị không phải văn bản UTF-8"))?;
            out.text.insert(name, value.trim().to_string());
        } else {
            return Err(AppError::field(
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
