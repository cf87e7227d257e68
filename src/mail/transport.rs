//! Mail transports: SMTP (pooled, none/STARTTLS/TLS, optional AUTH), `.eml` files, or none.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::message::Outgoing;
use crate::config::{Config, ConfigError, MailConfig, MailTransport, Secret};

/// How long one SMTP step (connect, a command, its reply) may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// What `mail.transport = none` records as the reply.
pub const NONE_REPLY: &str = "không gửi (mail.transport = none)";

/// Connection security of an SMTP server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// Plain text (the usual port-25 relay inside an agency).
    None,
    /// STARTTLS if the server offers it, plain text otherwise.
    Opportunistic,
    /// STARTTLS, required.
    StartTls,
    /// TLS from the first byte (`smtps://`, port 465).
    Tls,
}

impl Security {
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "không mã hóa",
            Self::Opportunistic => "STARTTLS nếu máy chủ hỗ trợ",
            Self::StartTls => "STARTTLS",
            Self::Tls => "TLS",
        }
    }
}

/// The server named by `mail.smtp_url`; the password stays a secret.
#[derive(Clone, Debug)]
pub struct SmtpEndpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<Secret>,
}

impl SmtpEndpoint {
    /// `smtp://host[:25]`, `smtp://user:pass@host:587?tls=starttls`, `smtps://host[:465]`;
    /// `tls` may also be `none`, `required` (= starttls) or `opportunistic`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = url::Url::parse(raw.trim())
            .map_err(|_| "phải có dạng smtp://máy:cổng hoặc smtps://máy:cổng".to_string())?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("thiếu tên máy chủ thư")?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let mut tls = None;
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "tls" if tls.is_none() => tls = Some(value.to_ascii_lowercase()),
                other => return Err(format!("tham số `{other}` không được hỗ trợ (chỉ có tls)")),
            }
        }
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None | Some("none")) => (Security::None, 25),
            ("smtp", Some("opportunistic")) => (Security::Opportunistic, 25),
            ("smtp", Some("starttls" | "required")) => (Security::StartTls, 587),
            ("smtps", None | Some("tls" | "wrapper")) => (Security::Tls, 465),
            ("smtp" | "smtps", Some(other)) => {
                return Err(format!(
                    "tls=`{other}` không hợp lệ; dùng tls=starttls, tls=opportunistic hoặc smtps://"
                ))
            }
            (other, _) => {
                return Err(format!(
                    "lược đồ `{other}` không được hỗ trợ; dùng smtp:// hoặc smtps://"
                ))
            }
        };
        let decode = |s: &str| {
            percent_decode(s).ok_or("tên đăng nhập hoặc mật khẩu không phải UTF-8 hợp lệ")
        };
        let username = Some(url.username())
            .filter(|u| !u.is_empty())
            .map(decode)
            .transpose()?;
        let password = url.password().map(decode).transpose()?.map(Secret::new);
        if password.is_some() && username.is_none() {
            return Err("có mật khẩu nhưng thiếu tên đăng nhập".into());
        }
        Ok(Self {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            username,
            password,
        })
    }

    /// `host:port`, for messages.
    pub fn label(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

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

/// The configured transport. Cloning is cheap: the SMTP pool is shared.
#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        endpoint: String,
        from: Mailbox,
    },
    File {
        dir: PathBuf,
        from: Mailbox,
    },
    None,
}

impl Mailer {
    /// Builds the transport of `config.mail` (file transport under `<data_dir>/mail/`).
    /// Must run inside a Tokio runtime: the SMTP pool starts a background task.
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        Self::with_pool_size(config, config.mail.pool_size)
    }

    pub fn with_pool_size(config: &Config, pool_size: u32) -> Result<Self, ConfigError> {
        let mail = &config.mail;
        let from: Mailbox = mail.from.parse().map_err(|_| ConfigError {
            key: "mail.from".into(),
            message: format!("`{}` không phải địa chỉ thư hợp lệ", mail.from),
        })?;
        super::message::set_message_id_domain(&from);
        Ok(match mail.transport {
            MailTransport::None => Self::None,
            MailTransport::File => Self::File {
                dir: config.data_dir.join("mail"),
                from,
            },
            MailTransport::Smtp => {
                let (transport, endpoint) = smtp_transport(mail, pool_size)?;
                Self::Smtp {
                    transport,
                    endpoint,
                    from,
                }
            }
        })
    }

    /// Where messages go, for logs and pages.
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp { endpoint, .. } => format!("máy chủ thư {endpoint}"),
            Self::File { dir, .. } => format!("tệp .eml trong {}", dir.display()),
            Self::None => "không gửi (mail.transport = none)".into(),
        }
    }

    /// Sends one message; `Ok` carries the server's reply (code and text).
    pub async fn send(&self, mail: &Outgoing) -> Result<String, SendFailure> {
        match self {
            Self::None => Ok(NONE_REPLY.to_string()),
            Self::File { dir, from } => {
                let message = build(mail, from)?;
                write_eml(dir, &mail.file_stem(), &message.formatted()).await
            }
            Self::Smtp {
                transport,
                endpoint,
                from,
            } => {
                let message = build(mail, from)?;
                match transport.send(message).await {
                    Ok(response) => {
                        Ok(reply_text(&response.code().to_string(), response.message()))
                    }
                    Err(err) => Err(describe_smtp_error(&err, endpoint)),
                }
            }
        }
    }

    /// Closes pooled connections (QUIT is not awaited by the server).
    pub async fn shutdown(&self) {
        if let Self::Smtp { transport, .. } = self {
            transport.shutdown().await;
        }
    }
}

fn build(mail: &Outgoing, from: &Mailbox) -> Result<lettre::Message, SendFailure> {
    mail.to_message(from).map_err(|reason| SendFailure {
        kind: FailureKind::Permanent,
        reason,
    })
}

fn config_error(key: &str, message: String) -> ConfigError {
    ConfigError {
        key: key.into(),
        message,
    }
}

fn smtp_transport(
    mail: &MailConfig,
    pool_size: u32,
) -> Result<(AsyncSmtpTransport<Tokio1Executor>, String), ConfigError> {
    let raw = mail.smtp_url.as_ref().ok_or_else(|| {
        config_error("mail.smtp_url", "bắt buộc khi mail.transport = smtp".into())
    })?;
    let endpoint =
        SmtpEndpoint::parse(raw.expose()).map_err(|m| config_error("mail.smtp_url", m))?;
    let mut builder =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(endpoint.host.clone())
            .port(endpoint.port)
            .timeout(Some(SMTP_TIMEOUT))
            .pool_config(
                PoolConfig::new()
                    .min_idle(0)
                    .max_size(pool_size.max(1))
                    .idle_timeout(Duration::from_secs(60)),
            );
    if endpoint.security != Security::None {
        let mut params = TlsParameters::builder(endpoint.host.clone());
        if let Some(path) = &mail.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                config_error(
                    "mail.ca_file",
                    format!("không đọc được {}: {e}", path.display()),
                )
            })?;
            let cert = Certificate::from_pem(&pem).map_err(|_| {
                config_error(
                    "mail.ca_file",
                    format!("{} không chứa chứng thư PEM hợp lệ", path.display()),
                )
            })?;
            params = params.add_root_certificate(cert);
        }
        let params = params.build().map_err(|e| {
            config_error("mail.ca_file", format!("không dựng được cấu hình TLS: {e}"))
        })?;
        builder = builder.tls(match endpoint.security {
            Security::Opportunistic => Tls::Opportunistic(params),
            Security::StartTls => Tls::Required(params),
            _ => Tls::Wrapper(params),
        });
    }
    if let Some(name) = &mail.helo_name {
        builder = builder.hello_name(ClientId::Domain(name.clone()));
    }
    if let (Some(user), Some(password)) = (&endpoint.username, &endpoint.password) {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            password.expose().to_string(),
        ));
    }
    Ok((builder.build(), endpoint.label()))
}

fn reply_text<'a>(code: &str, lines: impl Iterator<Item = &'a str>) -> String {
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

fn describe_smtp_error(err: &lettre::transport::smtp::Error, endpoint: &str) -> SendFailure {
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
        use std::io::ErrorKind as K;
        let what = match io.kind() {
            K::ConnectionRefused => "kết nối bị từ chối (máy chủ không chạy hoặc sai cổng)".into(),
            K::TimedOut | K::WouldBlock => "hết thời gian chờ".into(),
            K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                format!("máy chủ đóng kết nối giữa chừng ({io})")
            }
            K::HostUnreachable | K::NetworkUnreachable => {
                format!("không tới được máy chủ ({io})")
            }
            _ if io.to_string().contains("lookup") => {
                format!("không phân giải được tên máy ({io})")
            }
            _ => io.to_string(),
        };
        return SendFailure {
            kind: FailureKind::Unreachable,
            reason: format!("không kết nối được máy chủ thư {endpoint}: {what}"),
        };
    }
    if err.is_client() {
        // e.g. no common AUTH mechanism, or an address the server cannot take.
        return SendFailure {
            kind: FailureKind::Permanent,
            reason: format!("không gửi được qua máy chủ thư {endpoint}: {}", chain(err)),
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

/// Writes `<dir>/<stem>.eml` atomically (temp file, then rename), so an attempt repeated
/// after a crash overwrites instead of duplicating.
async fn write_eml(dir: &std::path::Path, stem: &str, bytes: &[u8]) -> Result<String, SendFailure> {
    let fail = |e: std::io::Error, what: &str| SendFailure {
        kind: FailureKind::Transient,
        reason: format!("không ghi được thư vào {what}: {e}"),
    };
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| fail(e, &dir.display().to_string()))?;
    let path = dir.join(format!("{stem}.eml"));
    let temp = dir.join(format!(".{stem}.eml.tmp"));
    tokio::fs::write(&temp, bytes)
        .await
        .map_err(|e| fail(e, &temp.display().to_string()))?;
    tokio::fs::rename(&temp, &path)
        .await
        .map_err(|e| fail(e, &path.display().to_string()))?;
    Ok(format!("đã ghi tệp {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_of_the_contract() {
        let plain = SmtpEndpoint::parse("smtp://relay.local:25").unwrap();
        assert_eq!(
            (plain.host.as_str(), plain.port, plain.security),
            ("relay.local", 25, Security::None)
        );
        assert!(plain.username.is_none());
        let submission = SmtpEndpoint::parse("smtp://user:p%40ss@host:587?tls=starttls").unwrap();
        assert_eq!(submission.security, Security::StartTls);
        assert_eq!(submission.username.as_deref(), Some("user"));
        assert_eq!(submission.password.unwrap().expose(), "p@ss");
        let tls = SmtpEndpoint::parse("smtps://host").unwrap();
        assert_eq!((tls.port, tls.security), (465, Security::Tls));
        assert_eq!(
            SmtpEndpoint::parse("smtp://[::1]:2525").unwrap().label(),
            "[::1]:2525"
        );
        assert!(SmtpEndpoint::parse("smtp://h?tls=maybe").is_err());
        assert!(SmtpEndpoint::parse("smtp://h?port=2").is_err());
        assert!(SmtpEndpoint::parse("http://h").is_err());
    }

    #[test]
    fn endpoint_debug_hides_the_password() {
        let e = SmtpEndpoint::parse("smtp://u:hunter2@h:25").unwrap();
        assert!(!format!("{e:?}").contains("hunter2"));
    }
}
