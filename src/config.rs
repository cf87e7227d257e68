//! Configuration: defaults → `capdo.toml` (or `--config FILE`) → environment (contract §5).

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Format, Serialized, Toml};
use figment::Figment;
use serde::Deserialize;

use crate::db::DatabaseTarget;

mod reminders;

pub use reminders::ReminderConfig;
use reminders::{LeadDays, RawReminders};

/// Environment variables and the configuration keys they set.
const ENV_KEYS: &[(&str, &str)] = &[
    ("CAPDO_BIND", "bind"),
    ("CAPDO_DATA_DIR", "data_dir"),
    ("DATABASE_URL", "database_url"),
    ("CAPDO_PUBLIC_URL", "public_url"),
    ("CAPDO_JWT_SECRET", "jwt_secret"),
    ("CAPDO_RULES_DIR", "rules_dir"),
    ("CAPDO_DEFAULT_REGIME", "default_regime"),
    ("CAPDO_UPLOAD_MAX_BYTES", "upload_max_bytes"),
    ("CAPDO_MAIL_TRANSPORT", "mail.transport"),
    ("CAPDO_SMTP_URL", "mail.smtp_url"),
    ("CAPDO_MAIL_FROM", "mail.from"),
    ("CAPDO_MAIL_CA_FILE", "mail.ca_file"),
    ("CAPDO_MAIL_HELO", "mail.helo_name"),
    ("CAPDO_MAIL_POOL_SIZE", "mail.pool_size"),
    ("CAPDO_MAIL_RATE_PER_MINUTE", "mail.rate_per_minute"),
    ("CAPDO_MAIL_MAX_ATTEMPTS", "mail.max_attempts"),
    ("CAPDO_REMINDER_LEAD_DAYS", "reminders.lead_days"),
];

/// A value that must never reach a log line or a `Debug` dump.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailTransport {
    Smtp,
    File,
    None,
}

#[derive(Clone, Debug)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// May carry a password (`smtp://user:pass@host`), hence a secret.
    pub smtp_url: Option<Secret>,
    pub from: String,
    /// Extra root certificate(s), PEM, trusted beside the system store (an agency CA).
    pub ca_file: Option<PathBuf>,
    /// Name sent with EHLO; default: this machine's host name.
    pub helo_name: Option<String>,
    /// Pooled SMTP connections, which is also how many messages are sent at once.
    pub pool_size: u32,
    /// Most messages sent per minute; 0 = no limit.
    pub rate_per_minute: u32,
    /// Attempts before a message that keeps failing transiently is marked failed.
    pub max_attempts: u32,
}

/// Validated configuration of one capdo process.
#[derive(Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// May carry a password, hence kept as a secret; `database` holds the parsed target.
    pub database_url: Secret,
    pub database: DatabaseTarget,
    pub public_url: url::Url,
    /// `None` until start-up reads or generates the secret file in `data_dir`.
    pub jwt_secret: Option<Secret>,
    pub rules_dir: Option<PathBuf>,
    pub default_regime: Option<String>,
    /// Largest accepted attachment (dossier and evidence files); larger uploads get 413.
    pub upload_max_bytes: u64,
    pub mail: MailConfig,
    pub reminders: ReminderConfig,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("database", &redacted_url(self.database_url.expose()))
            .field("public_url", &self.public_url.as_str())
            .field("jwt_secret", &self.jwt_secret)
            .field("rules_dir", &self.rules_dir)
            .field("default_regime", &self.default_regime)
            .field("upload_max_bytes", &self.upload_max_bytes)
            .field("mail", &self.mail)
            .field("reminders", &self.reminders)
            .finish()
    }
}

/// The URL with any password replaced, for logs.
pub fn redacted_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => raw.to_string(),
    }
}

/// Start-up stops with this: one message that names the key.
#[derive(Debug, thiserror::Error)]
#[error("Cấu hình không hợp lệ — khóa `{key}`: {message}")]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

impl ConfigError {
    fn new(key: &str, message: impl Into<String>) -> Self {
        Self {
            key: key.to_string(),
            message: message.into(),
        }
    }
}

#[derive(Deserialize, Default, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    bind: Option<String>,
    data_dir: Option<String>,
    database_url: Option<String>,
    public_url: Option<String>,
    jwt_secret: Option<String>,
    rules_dir: Option<String>,
    default_regime: Option<String>,
    upload_max_bytes: Option<Number>,
    #[serde(default)]
    mail: RawMail,
    #[serde(default)]
    reminders: RawReminders,
}

#[derive(Deserialize, Default, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct RawMail {
    transport: Option<String>,
    smtp_url: Option<String>,
    from: Option<String>,
    ca_file: Option<String>,
    helo_name: Option<String>,
    pool_size: Option<Number>,
    rate_per_minute: Option<Number>,
    max_attempts: Option<Number>,
}

/// A whole number written in TOML (`4`) or arriving as text from the environment (`"4"`).
#[derive(Deserialize, serde::Serialize, Clone, Debug)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Text(String),
}

impl Number {
    /// The value within `min..=max`, or an error naming `key`.
    fn within(
        value: Option<&Number>,
        key: &str,
        default: u32,
        min: u32,
        max: u32,
    ) -> Result<u32, ConfigError> {
        let parsed = match value {
            None => return Ok(default),
            Some(Number::Int(n)) => u32::try_from(*n).ok(),
            Some(Number::Text(t)) => t.trim().parse::<u32>().ok(),
        };
        parsed.filter(|n| (min..=max).contains(n)).ok_or_else(|| {
            let shown = match value {
                Some(Number::Int(n)) => n.to_string(),
                Some(Number::Text(t)) => t.clone(),
                None => String::new(),
            };
            ConfigError::new(
                key,
                format!("`{shown}` không hợp lệ; phải là số nguyên từ {min} đến {max}"),
            )
        })
    }
}

impl Config {
    /// Loads from `file` (which must exist when given), else `./capdo.toml` when present,
    /// then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(RawConfig::default()));
        match file {
            Some(path) if !path.exists() => {
                return Err(ConfigError::new(
                    "--config",
                    format!("không tìm thấy tệp {}", path.display()),
                ))
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("capdo.toml").exists() => {
                figment = figment.merge(Toml::file_exact("capdo.toml"))
            }
            None => {}
        }
        for (var, key) in ENV_KEYS {
            if let Ok(value) = std::env::var(var) {
                figment = figment.merge(Serialized::default(key, value));
            }
        }
        Self::from_figment(figment)
    }

    /// Configuration with every default, rooted at `data_dir` (tests and tools).
    pub fn with_data_dir(data_dir: &Path) -> Result<Self, ConfigError> {
        let figment = Figment::from(Serialized::defaults(RawConfig::default())).merge(
            Serialized::default("data_dir", data_dir.to_string_lossy().to_string()),
        );
        Self::from_figment(figment)
    }

    pub fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let raw: RawConfig = figment.extract().map_err(|e| {
            let mut path = e.path.clone();
            let message = match &e.kind {
                figment::error::Kind::UnknownField(name, _) => {
                    if path.last() != Some(name) {
                        path.push(name.clone());
                    }
                    "khóa không được hỗ trợ (kiểm tra lỗi chính tả)".to_string()
                }
                other => format!("giá trị không hợp lệ ({other})"),
            };
            let key = if path.is_empty() {
                "(tệp cấu hình)".to_string()
            } else {
                path.join(".")
            };
            ConfigError::new(&key, message)
        })?;
        raw.validate()
    }
}

impl RawConfig {
    fn validate(self) -> Result<Config, ConfigError> {
        let bind_text = self.bind.unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text.trim().parse().map_err(|_| {
            ConfigError::new(
                "bind",
                format!("`{bind_text}` không phải địa chỉ IP:cổng, ví dụ 127.0.0.1:8080"),
            )
        })?;

        let data_dir = PathBuf::from(self.data_dir.unwrap_or_else(|| "./data".into()));
        if data_dir.as_os_str().is_empty() {
            return Err(ConfigError::new("data_dir", "không được để trống"));
        }

        let database_url = self
            .database_url
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("capdo.db").display()));
        let database = DatabaseTarget::parse(database_url.trim())
            .map_err(|m| ConfigError::new("database_url", m))?;

        let public_text = self.public_url.unwrap_or_else(|| format!("http://{bind}"));
        let public_url = url::Url::parse(public_text.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            .ok_or_else(|| {
                ConfigError::new(
                    "public_url",
                    format!("`{public_text}` không phải URL http(s) hợp lệ"),
                )
            })?;

        let jwt_secret = match self.jwt_secret {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError::new("jwt_secret", "phải dài ít nhất 32 byte"))
            }
            other => other.map(Secret::new),
        };

        let rules_dir = self.rules_dir.map(PathBuf::from);
        if let Some(dir) = &rules_dir {
            if !dir.is_dir() {
                return Err(ConfigError::new(
                    "rules_dir",
                    format!("thư mục {} không tồn tại", dir.display()),
                ));
            }
        }

        let transport = match self.mail.transport.as_deref().map(str::trim) {
            None | Some("file") => MailTransport::File,
            Some("smtp") => MailTransport::Smtp,
            Some("none") => MailTransport::None,
            Some(other) => {
                return Err(ConfigError::new(
                    "mail.transport",
                    format!("`{other}` không hợp lệ; chọn smtp, file hoặc none"),
                ))
            }
        };
        let smtp_url = self.mail.smtp_url.filter(|s| !s.trim().is_empty());
        if let Some(raw) = &smtp_url {
            let ok = url::Url::parse(raw)
                .map(|u| matches!(u.scheme(), "smtp" | "smtps") && u.has_host())
                .unwrap_or(false);
            if !ok {
                return Err(ConfigError::new(
                    "mail.smtp_url",
                    "phải có dạng smtp://máy:cổng hoặc smtps://máy:cổng",
                ));
            }
        }
        if transport == MailTransport::Smtp && smtp_url.is_none() {
            return Err(ConfigError::new(
                "mail.smtp_url",
                "bắt buộc khi mail.transport = smtp",
            ));
        }
        if let Some(raw) = &smtp_url {
            crate::mail::transport::SmtpEndpoint::parse(raw)
                .map_err(|m| ConfigError::new("mail.smtp_url", m))?;
        }
        let from = self.mail.from.unwrap_or_else(|| "capdo@localhost".into());
        if from.trim() != from || from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::new(
                "mail.from",
                format!("`{from}` không phải địa chỉ thư hợp lệ"),
            ));
        }
        let ca_file = self
            .mail
            .ca_file
            .filter(|s| !s.trim().is_empty())
            .map(PathBuf::from);
        if let Some(path) = &ca_file {
            if !path.is_file() {
                return Err(ConfigError::new(
                    "mail.ca_file",
                    format!("không tìm thấy tệp {}", path.display()),
                ));
            }
        }
        let helo_name = self
            .mail
            .helo_name
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if let Some(name) = &helo_name {
            let ok = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
            if !ok {
                return Err(ConfigError::new(
                    "mail.helo_name",
                    format!(
                        "`{name}` không phải tên máy hợp lệ (chỉ chữ, số, dấu chấm và gạch nối)"
                    ),
                ));
            }
        }
        let pool_size = Number::within(self.mail.pool_size.as_ref(), "mail.pool_size", 4, 1, 64)?;
        let rate_per_minute = Number::within(
            self.mail.rate_per_minute.as_ref(),
            "mail.rate_per_minute",
            0,
            0,
            1_000_000,
        )?;
        let max_attempts = Number::within(
            self.mail.max_attempts.as_ref(),
            "mail.max_attempts",
            8,
            1,
            100,
        )?;

        // 25 MB by default; at most 1 GB (a scan of a whole dossier stays far below).
        let upload_max_bytes = u64::from(Number::within(
            self.upload_max_bytes.as_ref(),
            "upload_max_bytes",
            25 * 1024 * 1024,
            1024,
            1024 * 1024 * 1024,
        )?);
        let lead_days = LeadDays::parse(self.reminders.lead_days.as_ref())?;
        Ok(Config {
            bind,
            data_dir,
            database_url: Secret::new(database_url),
            database,
            public_url,
            jwt_secret,
            rules_dir,
            default_regime: self.default_regime.filter(|s| !s.trim().is_empty()),
            upload_max_bytes,
            mail: MailConfig {
                transport,
                smtp_url: smtp_url.map(Secret::new),
                from,
                ca_file,
                helo_name,
                pool_size,
                rate_per_minute,
                max_attempts,
            },
            reminders: ReminderConfig { lead_days },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut f = Figment::from(Serialized::defaults(RawConfig::default()));
        for (k, v) in pairs {
            f = f.merge(Serialized::default(k, v.to_string()));
        }
        Config::from_figment(f)
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = from(&[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(
            c.database,
            DatabaseTarget::Sqlite(PathBuf::from("./data/capdo.db"))
        );
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(c.mail.transport, MailTransport::File);
        assert_eq!(c.mail.from, "capdo@localhost");
        assert_eq!(
            (
                c.mail.pool_size,
                c.mail.rate_per_minute,
                c.mail.max_attempts
            ),
            (4, 0, 8)
        );
    }

    #[test]
    fn mail_numbers_come_from_toml_or_text() {
        let f = Figment::from(Serialized::defaults(RawConfig::default()))
            .merge(Toml::string("[mail]\npool_size = 8\nrate_per_minute = 600"))
            .merge(Serialized::default("mail.max_attempts", "3"));
        let c = Config::from_figment(f).unwrap();
        assert_eq!(
            (
                c.mail.pool_size,
                c.mail.rate_per_minute,
                c.mail.max_attempts
            ),
            (8, 600, 3)
        );
    }

    #[test]
    fn invalid_values_name_their_key() {
        assert_eq!(from(&[("bind", "nowhere")]).unwrap_err().key, "bind");
        assert_eq!(
            from(&[("database_url", "mysql://x")]).unwrap_err().key,
            "database_url"
        );
        assert_eq!(
            from(&[("jwt_secret", "short")]).unwrap_err().key,
            "jwt_secret"
        );
        assert_eq!(
            from(&[("mail.transport", "pigeon")]).unwrap_err().key,
            "mail.transport"
        );
        assert_eq!(
            from(&[("mail.transport", "smtp")]).unwrap_err().key,
            "mail.smtp_url"
        );
        assert_eq!(
            from(&[("mail.pool_size", "0")]).unwrap_err().key,
            "mail.pool_size"
        );
        assert_eq!(
            from(&[("mail.rate_per_minute", "nhanh")]).unwrap_err().key,
            "mail.rate_per_minute"
        );
        assert_eq!(
            from(&[("mail.max_attempts", "-1")]).unwrap_err().key,
            "mail.max_attempts"
        );
        assert_eq!(
            from(&[("mail.ca_file", "/khong/co/tep.pem")])
                .unwrap_err()
                .key,
            "mail.ca_file"
        );
        assert_eq!(
            from(&[("mail.helo_name", "máy chủ")]).unwrap_err().key,
            "mail.helo_name"
        );
        assert_eq!(
            from(&[("mail.smtp_url", "smtp://relay.local:25?tls=maybe")])
                .unwrap_err()
                .key,
            "mail.smtp_url"
        );
        assert_eq!(
            from(&[("mail.from", "không phải địa chỉ")])
                .unwrap_err()
                .key,
            "mail.from"
        );
        let unknown = Config::from_figment(
            Figment::from(Serialized::defaults(RawConfig::default()))
                .merge(Serialized::default("colour", "red")),
        );
        assert_eq!(unknown.unwrap_err().key, "colour");
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let c = from(&[
            (
                "jwt_secret",
                "a-very-long-secret-value-of-at-least-32-bytes",
            ),
            ("database_url", "postgres://capdo:hunter2@db.local/capdo"),
            ("mail.smtp_url", "smtp://relay:pw-xyz@relay.local:25"),
        ])
        .unwrap();
        let dump = format!("{c:?}");
        assert!(!dump.contains("a-very-long-secret"));
        assert!(!dump.contains("hunter2"));
        assert!(!dump.contains("pw-xyz"));
    }
}
