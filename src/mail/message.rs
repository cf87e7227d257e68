//! One outgoing message as lettre builds it: addresses, Message-ID, text and HTML parts.

use std::sync::RwLock;

use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Address;

use crate::repo::outbox::OutboxRow;

/// Host part of every Message-ID, from `mail.from`; set when the transport is built.
static MESSAGE_ID_DOMAIN: RwLock<String> = RwLock::new(String::new());

pub(crate) fn set_message_id_domain(from: &Mailbox) {
    if let Ok(mut domain) = MESSAGE_ID_DOMAIN.write() {
        *domain = from.email.domain().to_string();
    }
}

/// `<local@domain-of-mail.from>`; the local part is unique (an outbox id).
pub fn message_id_for(local: &str) -> String {
    let domain = MESSAGE_ID_DOMAIN
        .read()
        .map(|d| d.clone())
        .unwrap_or_default();
    let domain = if domain.is_empty() {
        "localhost".to_string()
    } else {
        domain
    };
    format!("<{local}@{domain}>")
}

/// A recipient address, or the Vietnamese reason it is not one.
pub fn parse_address(raw: &str) -> Result<Address, String> {
    raw.trim()
        .parse::<Address>()
        .map_err(|_| format!("`{}` không phải địa chỉ thư điện tử hợp lệ", raw.trim()))
}

/// Everything needed to send one message (an outbox row, or the test message).
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// Outbox id (names the `.eml` file), or a fresh id for a message outside the outbox.
    pub id: String,
    pub message_id: String,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
}

impl Outgoing {
    pub fn from_row(row: &OutboxRow) -> Self {
        Self {
            id: row.id.clone(),
            message_id: row.message_id.clone(),
            to_address: row.to_address.clone(),
            to_name: row.to_name.clone(),
            subject: row.subject.clone(),
            text_body: row.text_body.clone(),
            html_body: row.html_body.clone(),
        }
    }

    /// The message of `capdo send-test-mail` and of the "Gửi thư thử" button.
    pub fn test(to: &Address, sender_description: &str) -> Self {
        let id = crate::db::new_id();
        let at = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7"))
            .format("%H:%M:%S ngày %d/%m/%Y");
        Self {
            message_id: message_id_for(&id),
            id,
            to_address: to.to_string(),
            to_name: None,
            subject: "Thư thử từ capdo — kiểm tra cấu hình thư điện tử".into(),
            text_body: format!(
                "Xin chào,\n\nĐây là thư thử do capdo gửi lúc {at} (giờ Việt Nam) qua {sender_description}.\n\
                 Nếu bạn nhận được thư này, cấu hình thư điện tử đã hoạt động: cảnh báo an toàn \
                 thông tin sẽ được gửi tới người nhận theo cách này.\n\nKhông cần trả lời thư này.\n"
            ),
            html_body: None,
        }
    }

    /// File name of the `.eml` written by the file transport.
    pub fn file_stem(&self) -> String {
        self.id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect()
    }

    /// The lettre message: UTF-8 headers are RFC 2047-encoded and bodies quoted-printable or
    /// base64, so the message is plain ASCII and needs no 8BITMIME from the server.
    pub fn to_message(&self, from: &Mailbox) -> Result<lettre::Message, String> {
        let address = parse_address(&self.to_address)?;
        let name = self
            .to_name
            .as_deref()
            .map(one_line)
            .filter(|n| !n.is_empty());
        let builder = lettre::Message::builder()
            .from(from.clone())
            .to(Mailbox::new(name, address))
            .subject(one_line(&self.subject))
            .message_id(Some(self.message_id.clone()))
            .date_now();
        let built = match &self.html_body {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                self.text_body.clone(),
                html.clone(),
            )),
            None => builder.singlepart(SinglePart::plain(self.text_body.clone())),
        };
        built.map_err(|e| format!("không dựng được thư: {e}"))
    }
}

/// Header values stay on one line (no header injection through a subject or a name).
pub fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_ascii_and_keep_their_message_id() {
        let mail = Outgoing {
            id: "0190-abc".into(),
            message_id: "<0190-abc@sct.gov.vn>".into(),
            to_address: "an@sct.gov.vn".into(),
            to_name: Some("Nguyễn Văn An".into()),
            subject: "[Cảnh báo ATTT][Cao] Lỗ hổng\r\nBcc: x@y".into(),
            text_body: "Đề nghị khắc phục ngay.".into(),
            html_body: Some("<p>Đề nghị khắc phục ngay.</p>".into()),
        };
        let from: Mailbox = "capdo@sct.gov.vn".parse().unwrap();
        let bytes = mail.to_message(&from).unwrap().formatted();
        assert!(bytes.is_ascii());
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("Message-ID: <0190-abc@sct.gov.vn>"));
        assert!(!text.contains("\r\nBcc:"));
        assert!(text.contains("multipart/alternative"));
    }

    #[test]
    fn bad_addresses_are_named() {
        assert!(parse_address("không hợp lệ")
            .unwrap_err()
            .contains("không hợp lệ"));
        assert!(parse_address(" an@sct.gov.vn ").is_ok());
    }
}
