//! Failed sends: transient, unreachable or permanent, with the exact reason in Vietnamese.

use super::smtp_pool::SmtpError;

/// Why a message was not delivered, and whether trying again can help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The server answered 4xx (or a local file could not be written): retry later.
    Transient,
    /// No conversation with the server (refused, timeout, TLS, DNS): retry later, and stop
    /// starting more sends for now.
    Unreachable,
    /// The server answered 5xx for this message: do not retry.
    Permanent,
}

/// A failed attempt: its kind and the exact reason, in Vietnamese, with the server's reply.
#[derive(Clone, Debug)]
pub struct SendFailure {
    pub kind: FailureKind,
    pub reason: String,
}

pub(crate) fn reply_text<'a>(code: &str, lines: impl Iterator<Item = &'a str>) -> String {
    let text: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty()).collect();
    if text.is_empty() {
        code.to_string()
    } else {
        format!("{code} {}", text.join(" "))
    }
}

/// Authentication replies are the operator's to fix (mail.smtp_url), not the message's:
/// retry them instead of failing every message of a broadcast at once.
const AUTH_CODES: &[&str] = &["530", "534", "535", "538"];

pub(crate) fn describe_smtp_error(err: &SmtpError, endpoint: &str) -> SendFailure {
    match err {
        SmtpError::Connect(io) => describe_io(io, endpoint),
        SmtpError::Smtp(e) => describe_lettre(e, endpoint),
    }
}

fn describe_io(io: &std::io::Error, endpoint: &str) -> SendFailure {
    use std::io::ErrorKind as K;
    let what = match io.kind() {
        K::ConnectionRefused => "kết nối bị từ chối (máy chủ không chạy hoặc sai cổng)".into(),
        K::TimedOut | K::WouldBlock => "hết thời gian chờ".into(),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            format!("máy chủ đóng kết nối giữa chừng ({io})")
        }
        K::HostUnreachable | K::NetworkUnreachable => format!("không tới được máy chủ ({io})"),
        _ if io.to_string().contains("lookup") => {
            format!("không phân giải được tên máy ({io})")
        }
        _ => io.to_string(),
    };
    SendFailure {
        kind: FailureKind::Unreachable,
        reason: format!("không kết nối được máy chủ thư {endpoint}: {what}"),
    }
}

fn describe_lettre(err: &lettre::transport::smtp::Error, endpoint: &str) -> SendFailure {
    use std::error::Error as _;
    let detail = err.source().map(|s| s.to_string()).unwrap_or_default();
    if let Some(code) = err.status() {
        let code = code.to_string();
        let reply = reply_text(&code, std::iter::once(detail.as_str()));
        if AUTH_CODES.contains(&code.as_str()) {
            return SendFailure {
                kind: FailureKind::Transient,
                reason: format!(
                    "xác thực với máy chủ thư {endpoint} thất bại: {reply} (kiểm tra tài khoản trong mail.smtp_url)"
                ),
            };
        }
        return if err.is_permanent() {
            SendFailure {
                kind: FailureKind::Permanent,
                reason: format!("máy chủ thư từ chối: {reply}"),
            }
        } else {
            SendFailure {
                kind: FailureKind::Transient,
                reason: format!("máy chủ thư tạm thời từ chối: {reply}"),
            }
        };
    }
    // rustls errors reach us as `InvalidData` I/O errors during the handshake.
    let tls_io = io_cause(err).filter(|io| io.kind() == std::io::ErrorKind::InvalidData);
    if err.is_tls() || tls_io.is_some() {
        let detail = tls_io
            .map(|io| io.to_string())
            .unwrap_or_else(|| chain(err));
        return SendFailure {
            kind: FailureKind::Unreachable,
            reason: format!(
                "lỗi TLS với máy chủ thư {endpoint}: {}{detail}",
                tls_hint(&detail)
            ),
        };
    }
    if let Some(io) = io_cause(err) {
        return describe_io(io, endpoint);
    }
    if err.is_client() {
        let detail = chain(err);
        // No common AUTH mechanism is the operator's to fix; anything else (e.g. a UTF-8
        // address the server cannot take) will fail the same way every time.
        if detail.contains("authentication") {
            return SendFailure {
                kind: FailureKind::Transient,
                reason: format!(
                    "không đăng nhập được máy chủ thư {endpoint}: máy chủ không cung cấp cách xác thực phù hợp (có cần tls=starttls?) — {detail}"
                ),
            };
        }
        return SendFailure {
            kind: FailureKind::Permanent,
            reason: format!("không gửi được qua máy chủ thư {endpoint}: {detail}"),
        };
    }
    if err.is_response() {
        return SendFailure {
            kind: FailureKind::Transient,
            reason: format!(
                "máy chủ thư {endpoint} trả lời không đúng giao thức SMTP: {}",
                chain(err)
            ),
        };
    }
    SendFailure {
        kind: FailureKind::Unreachable,
        reason: format!(
            "lỗi khi trao đổi với máy chủ thư {endpoint}: {}",
            chain(err)
        ),
    }
}

/// A Vietnamese reading of the usual certificate failures, before rustls' own words.
fn tls_hint(detail: &str) -> &'static str {
    if detail.contains("UnknownIssuer") {
        "chứng thư của máy chủ không do tổ chức chứng thực tin cậy cấp (khai báo CA trong mail.ca_file) — "
    } else if detail.contains("NotValidForName") {
        "chứng thư không cấp cho tên máy trong mail.smtp_url — "
    } else if detail.contains("Expired") {
        "chứng thư của máy chủ đã hết hạn — "
    } else {
        ""
    }
}

fn io_cause<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        source = e.source();
    }
    None
}

fn chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![];
    let mut source = err.source();
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    if parts.is_empty() {
        err.to_string()
    } else {
        parts.join(": ")
    }
}
