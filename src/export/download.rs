//! File downloads over HTTP: a finished workbook or document streamed from its temporary file (shared by
//! the API and the web UI).

use actix_web::{web, HttpResponse};
use futures_util::stream;
use tokio::io::AsyncReadExt;

/// The content type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The content type of a DOCX document.
pub const DOCX: &str = crate::export::docx::DOCX;

/// Streams a finished workbook from its (rewound) temporary file in 64 KiB chunks, as an
/// attachment named `filename` (ASCII: the name goes into a plain header parameter).
pub fn xlsx_response(file: std::fs::File, filename: &str) -> HttpResponse {
    file_response(file, filename, XLSX)
}

/// Streams a finished DOCX document from its (rewound) temporary file, as `xlsx_response`.
pub fn docx_response(file: std::fs::File, filename: &str) -> HttpResponse {
    file_response(file, filename, DOCX)
}

fn file_response(file: std::fs::File, filename: &str, content_type: &str) -> HttpResponse {
    let file = tokio::fs::File::from_std(file);
    let body = stream::unfold(file, |mut file| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(web::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .streaming(body)
}
