//! Small valid documents of every accepted kind, multipart bodies built by hand (so names can
//! carry what browsers and attackers send), and a server with a small upload limit.

use std::io::{Cursor, Write};

use capdo::config::{Config, Secret};
use capdo::db::DatabaseTarget;
use capdo::domain::OrgKind;
use capdo::services::setup::InitInput;
use capdo::startup::{Application, ServeOptions};
use serde_json::Value;

use crate::support::{json as json_of, TestDatabase, JWT_SECRET, PASSWORD};

pub fn pdf(body: &str) -> Vec<u8> {
    format!("%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj << /Title ({body}) >> endobj\ntrailer << >>\n%%EOF\n")
        .into_bytes()
}

pub fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(&[0, 0, 0, 13]);
    b.extend_from_slice(b"IHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89");
    b.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    b
}

pub fn jpeg() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9");
    b
}

pub fn zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, stored) in entries {
        let method = if *stored {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn docx() -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>", false),
        ("word/document.xml", b"<w:document/>", false),
    ])
}

pub fn xlsx() -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>", false),
        ("xl/workbook.xml", b"<workbook/>", false),
    ])
}

pub fn odf(mime: &str) -> Vec<u8> {
    zip_of(&[
        ("mimetype", mime.as_bytes(), true),
        ("content.xml", b"<office:document-content/>", false),
    ])
}

/// A one-directory-sector compound file (512-byte sectors: header, FAT, directory) holding
/// one stream named `stream`.
pub fn ole(stream: &str) -> Vec<u8> {
    fn u16_at(b: &mut [u8], at: usize, v: u16) {
        b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
    fn u32_at(b: &mut [u8], at: usize, v: u32) {
        b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    let mut out = vec![0u8; 512 * 3];
    out[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    u16_at(&mut out, 0x1A, 3);
    u16_at(&mut out, 0x1C, 0xFFFE);
    u16_at(&mut out, 0x1E, 9);
    u16_at(&mut out, 0x20, 6);
    u32_at(&mut out, 0x2C, 1);
    u32_at(&mut out, 0x30, 1);
    u32_at(&mut out, 0x3C, 0xFFFF_FFFE);
    u32_at(&mut out, 0x44, 0xFFFF_FFFE);
    for i in 0..109 {
        u32_at(&mut out, 0x4C + i * 4, if i == 0 { 0 } else { u32::MAX });
    }
    for i in 0..128 {
        u32_at(&mut out, 512 + i * 4, u32::MAX);
    }
    u32_at(&mut out, 512, 0xFFFF_FFFD);
    u32_at(&mut out, 516, 0xFFFF_FFFE);
    for (slot, (name, kind)) in [("Root Entry", 5u8), (stream, 2)].iter().enumerate() {
        let at = 1024 + slot * 128;
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            u16_at(&mut out, at + i * 2, *u);
        }
        u16_at(
            &mut out,
            at + 0x40,
            u16::try_from(units.len() * 2 + 2).unwrap(),
        );
        out[at + 0x42] = *kind;
    }
    out
}

/// One part of a multipart body; `disposition_extra` is appended to the Content-Disposition
/// as sent (e.g. `; filename*=UTF-8''%2E%2E%2Fa.pdf`).
pub struct Part<'a> {
    pub name: &'a str,
    pub filename: Option<&'a str>,
    pub disposition_extra: &'a str,
    pub data: &'a [u8],
}

pub fn text<'a>(name: &'a str, value: &'a str) -> Part<'a> {
    Part {
        name,
        filename: None,
        disposition_extra: "",
        data: value.as_bytes(),
    }
}

pub fn file<'a>(filename: &'a str, data: &'a [u8]) -> Part<'a> {
    Part {
        name: "file",
        filename: Some(filename),
        disposition_extra: "",
        data,
    }
}

pub const BOUNDARY: &str = "----capdo-test-7f3a9c";

pub fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", p.name);
        if let Some(f) = p.filename {
            disposition.push_str(&format!("; filename=\"{f}\""));
        }
        disposition.push_str(p.disposition_extra);
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if p.filename.is_some() {
            // What the client claims is ignored: the content decides.
            body.extend_from_slice(b"Content-Type: application/pdf\r\n");
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(p.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub async fn post_form(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    parts: &[Part<'_>],
) -> reqwest::Response {
    client
        .post(url)
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(parts))
        .send()
        .await
        .unwrap()
}

/// A server whose upload limit is `max_bytes`, with its root organisation and admin, for the
/// 413 test (`TestApp` keeps the default limit).
pub struct SmallLimitApp {
    pub address: String,
    pub token: String,
    pub org_id: String,
    pub client: reqwest::Client,
    pub data_dir: std::path::PathBuf,
    handle: actix_web::dev::ServerHandle,
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

impl SmallLimitApp {
    pub async fn spawn(max_bytes: u64) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = TestDatabase::new(dir.path());
        let mut config = Config::with_data_dir(dir.path()).unwrap();
        config.bind = "127.0.0.1:0".parse().unwrap();
        config.jwt_secret = Some(Secret::new(JWT_SECRET));
        config.database = DatabaseTarget::parse(&database.url()).unwrap();
        config.database_url = Secret::new(database.url());
        config.upload_max_bytes = max_bytes;
        let app = Application::build(
            config,
            ServeOptions {
                workers: 1,
                signals: false,
            },
        )
        .unwrap();
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state();
        let handle = app.handle();
        tokio::spawn(app.run());
        let (root, admin) = state
            .db
            .run(|conn| {
                capdo::services::setup::init(
                    conn,
                    InitInput {
                        org_name: "Sở Tư pháp".into(),
                        org_code: "STP".into(),
                        org_kind: OrgKind::Department,
                        admin_email: "admin@stp.gov.vn".into(),
                        admin_name: "Trần Thị Bình".into(),
                        admin_password: PASSWORD.into(),
                    },
                )
            })
            .await
            .unwrap();
        Self {
            address,
            token: state.jwt.issue(&admin.id, 0).unwrap().0,
            org_id: root.id,
            client: reqwest::Client::new(),
            data_dir: dir.path().to_path_buf(),
            handle,
            _database: database,
            _dir: dir,
        }
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let res = self
            .client
            .post(format!("{}{path}", self.address))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        json_of(res).await
    }
}

impl Drop for SmallLimitApp {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}
