//! `mail.smtp_url`: host, port, security (none / STARTTLS / TLS) and optional login.

use crate::config::Secret;

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
