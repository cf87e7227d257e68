//! A real SMTP server in the test process (mailin-embedded) and a small MIME reader.

use std::collections::HashSet;
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use mailin_embedded::{response, AuthMechanism, Handler, Response, Server, SslConfig};

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Clone)]
struct Sink {
    inbox: Arc<Mutex<Vec<Received>>>,
    reject: Arc<HashSet<String>>,
    delay: Duration,
    login: Option<(String, String)>,
    helos: Arc<Mutex<Vec<String>>>,
    discard_bodies: bool,
    current: Option<Received>,
}

impl Handler for Sink {
    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        match &self.login {
            Some((u, p)) if u == user && p == password => response::AUTH_OK,
            _ => response::INVALID_CREDENTIALS,
        }
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let address = to.trim_matches(['<', '>']).to_ascii_lowercase();
        if self.reject.contains(&address) {
            Response::custom(550, "5.1.1 Mailbox unavailable: no such user".into())
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            to: to.to_vec(),
            data: Vec::new(),
        });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = self.current.as_mut().filter(|_| !self.discard_bodies) {
            current.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        if let Some(message) = self.current.take() {
            self.inbox.lock().unwrap().push(message);
        }
        Response::custom(250, "2.0.0 Ok: queued as capdo-test".into())
    }

    fn helo(&mut self, _ip: IpAddr, domain: &str) -> Response {
        self.helos.lock().unwrap().push(domain.to_string());
        response::OK
    }
}

/// A running SMTP server and what it received. It runs until the test process ends.
pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
    helos: Arc<Mutex<Vec<String>>>,
}

#[derive(Default)]
pub struct SinkOptions {
    /// Recipients answered with 550 at RCPT.
    pub reject: Vec<String>,
    /// Pause before accepting each message (to catch a broadcast in the middle).
    pub delay: Duration,
    /// Offer STARTTLS with the test certificate (`tls/server.pem`, signed by `tls/ca.pem`).
    pub starttls: bool,
    /// Require AUTH PLAIN with this user and password (only offered after STARTTLS).
    pub login: Option<(String, String)>,
    /// Keep only the envelope (benchmarks: the sink's memory stays out of the figures).
    pub discard_bodies: bool,
}

/// The CA that signed the test server's certificate (for `mail.ca_file`).
pub fn test_ca() -> std::path::PathBuf {
    tls_dir().join("ca.pem")
}

fn tls_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/mail/tls")
}

impl SmtpServer {
    pub fn start(options: SinkOptions) -> Self {
        Self::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), options)
    }

    /// Starts on a port chosen earlier (see [`free_port`]).
    pub fn start_at(port: u16, options: SinkOptions) -> Self {
        Self::start_on(TcpListener::bind(("127.0.0.1", port)).unwrap(), options)
    }

    fn start_on(listener: TcpListener, options: SinkOptions) -> Self {
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let helos = Arc::new(Mutex::new(Vec::new()));
        let ssl = if options.starttls {
            let path = |f: &str| tls_dir().join(f).to_string_lossy().to_string();
            SslConfig::SelfSigned {
                cert_path: path("server.pem"),
                key_path: path("server.key"),
            }
        } else {
            SslConfig::None
        };
        let require_login = options.login.is_some();
        let handler = Sink {
            login: options.login,
            helos: helos.clone(),
            discard_bodies: options.discard_bodies,
            inbox: inbox.clone(),
            reject: Arc::new(
                options
                    .reject
                    .iter()
                    .map(|a| a.to_ascii_lowercase())
                    .collect(),
            ),
            delay: options.delay,
            current: None,
        };
        let mut server = Server::new(handler);
        // More threads than pooled client connections, or sessions queue behind idle ones.
        server
            .with_name("sink.capdo.test")
            .with_ssl(ssl)
            .unwrap()
            .with_num_threads(24)
            .with_tcp_listener(listener);
        if require_login {
            server.with_auth(AuthMechanism::Plain);
        }
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, inbox, helos }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The names clients gave with EHLO/HELO.
    pub fn helos(&self) -> Vec<String> {
        self.helos.lock().unwrap().clone()
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }
}

/// A port nothing listens on (yet): connections to it are refused.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The decoded parts of a received message.
pub struct Parsed {
    headers: Vec<(String, String)>,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl Parsed {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| decode_words(v))
    }
}

pub fn parse(data: &[u8]) -> Parsed {
    let raw = String::from_utf8(data.to_vec()).expect("the message is ASCII");
    assert!(raw.is_ascii(), "a message on the wire is 7-bit");
    let (headers, body) = split_head(&raw);
    let mut parsed = Parsed {
        headers: headers.clone(),
        text: None,
        html: None,
    };
    collect_parts(&headers, body, &mut parsed);
    parsed
}

fn split_head(raw: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    (headers, body)
}

fn get<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn collect_parts(headers: &[(String, String)], body: &str, out: &mut Parsed) {
    let content_type = get(headers, "Content-Type").to_ascii_lowercase();
    if content_type.starts_with("multipart/") {
        let original = get(headers, "Content-Type");
        let boundary = original
            .split("boundary=")
            .nth(1)
            .expect("multipart boundary")
            .trim_matches('"')
            .split(';')
            .next()
            .unwrap()
            .trim_matches('"')
            .to_string();
        let marker = format!("--{boundary}");
        for part in body.split(&marker).skip(1) {
            if part.starts_with("--") {
                break;
            }
            let part = part.trim_start_matches("\r\n");
            let (h, b) = split_head(part);
            collect_parts(&h, b, out);
        }
        return;
    }
    let encoding = get(headers, "Content-Transfer-Encoding").to_ascii_lowercase();
    let decoded = match encoding.as_str() {
        "base64" => {
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .unwrap(),
            )
            .unwrap()
        }
        "quoted-printable" => decode_qp(body),
        _ => body.to_string(),
    };
    let decoded = decoded
        .replace("\r\n", "\n")
        .trim_end_matches('\n')
        .to_string();
    if content_type.starts_with("text/html") {
        out.html = Some(decoded);
    } else {
        out.text = Some(decoded);
    }
}

fn decode_qp(body: &str) -> String {
    let bytes = body.replace("=\r\n", "").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// RFC 2047: `=?utf-8?b?…?=` and `=?utf-8?q?…?=` words; whitespace between two encoded
/// words is dropped.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for (i, token) in value.split(' ').enumerate() {
        let decoded = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut it = t.splitn(3, '?');
                let _charset = it.next()?;
                let kind = it.next()?.to_ascii_lowercase();
                let text = it.next()?;
                let bytes = match kind.as_str() {
                    "b" => base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .ok()?,
                    "q" => decode_qp(&text.replace('_', " ")).into_bytes(),
                    _ => return None,
                };
                String::from_utf8(bytes).ok()
            });
        match decoded {
            Some(d) => {
                if i > 0 && !previous_encoded {
                    out.push(' ');
                }
                out.push_str(&d);
                previous_encoded = true;
            }
            None => {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(token);
                previous_encoded = false;
            }
        }
    }
    out
}
