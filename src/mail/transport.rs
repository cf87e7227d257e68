//! Mail transports: SMTP (pooled, none/STARTTLS/TLS, optional AUTH), `.eml` files, or none.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use super::failure::{describe_smtp_error, reply_text};
use super::message::Outgoing;
use super::smtp_pool::SmtpPool;
use crate::config::{Config, ConfigError, MailConfig, MailTransport};

pub use super::endpoint::{Security, SmtpEndpoint};
pub use super::failure::{FailureKind, SendFailure};

/// How long one SMTP step (connect, a command, its reply) may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// What `mail.transport = none` records as the reply.
pub const NONE_REPLY: &str = "không gửi (mail.transport = none)";

/// The configured transport. Cloning is cheap: the SMTP pool is shared.
#[derive(Clone)]
pub enum Mailer {
    Smtp {
        pool: std::sync::Arc<SmtpPool>,
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
                let (pool, endpoint) = smtp_pool(mail, pool_size)?;
                Self::Smtp {
                    pool: std::sync::Arc::new(pool),
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
                pool,
                endpoint,
                from,
            } => {
                let message = build(mail, from)?;
                match pool.send(message.envelope(), &message.formatted()).await {
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
        if let Self::Smtp { pool, .. } = self {
            pool.shutdown().await;
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

fn smtp_pool(mail: &MailConfig, pool_size: u32) -> Result<(SmtpPool, String), ConfigError> {
    let raw = mail.smtp_url.as_ref().ok_or_else(|| {
        config_error("mail.smtp_url", "bắt buộc khi mail.transport = smtp".into())
    })?;
    let endpoint =
        SmtpEndpoint::parse(raw.expose()).map_err(|m| config_error("mail.smtp_url", m))?;
    let tls = if endpoint.security == Security::None {
        None
    } else {
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
        Some(params.build().map_err(|e| {
            config_error("mail.ca_file", format!("không dựng được cấu hình TLS: {e}"))
        })?)
    };
    let hello = match &mail.helo_name {
        Some(name) => ClientId::Domain(name.clone()),
        None => ClientId::default(),
    };
    let credentials = match (&endpoint.username, &endpoint.password) {
        (Some(user), Some(password)) => Some(Credentials::new(
            user.clone(),
            password.expose().to_string(),
        )),
        _ => None,
    };
    let label = endpoint.label();
    Ok((
        SmtpPool {
            host: endpoint.host,
            port: endpoint.port,
            security: endpoint.security,
            tls,
            hello,
            credentials,
            timeout: SMTP_TIMEOUT,
            max_idle: pool_size.max(1) as usize,
            idle: Default::default(),
        },
        label,
    ))
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
