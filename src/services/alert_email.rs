//! The warning email: Vietnamese subject, plain-text and HTML parts with the required action
//! and due date first, and the recipient's personal acknowledgement link. No tracking pixels.

use pulldown_cmark::{html, Event, Options, Parser};

use crate::domain::alert::{AffectedProduct, Severity, Tlp};
use crate::repo::alerts::AlertRow;

/// "[Cảnh báo ATTT][Cao] Lỗ hổng …" — severity in the subject so mail filters can sort.
pub fn subject(alert: &AlertRow) -> String {
    let severity = Severity::parse(&alert.severity).map_or("?", Severity::label);
    format!("[Cảnh báo ATTT][{severity}] {}", one_line(&alert.title))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Markdown to HTML with raw HTML shown as text, never passed through.
pub fn markdown_html(source: &str) -> String {
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    // Links keep their target but may only be http(s) or mailto.
    out.replace("href=\"javascript:", "href=\"#")
}

/// What the body lists besides the text.
pub struct Details {
    pub cve_ids: Vec<String>,
    pub products: Vec<AffectedProduct>,
}

impl Details {
    pub fn of(alert: &AlertRow) -> Self {
        Self {
            cve_ids: serde_json::from_str(&alert.cve_ids_json).unwrap_or_default(),
            products: serde_json::from_str(&alert.affected_products_json).unwrap_or_default(),
        }
    }
}

fn due_line(alert: &AlertRow) -> String {
    alert
        .action_due_on
        .map(|d| format!("Hạn thực hiện: {}", d.format("%d/%m/%Y")))
        .unwrap_or_else(|| "Hạn thực hiện: càng sớm càng tốt".into())
}

fn product_line(p: &AffectedProduct) -> String {
    match &p.versions {
        Some(v) => format!("{} (phiên bản {v})", p.name),
        None => p.name.clone(),
    }
}

pub fn text_body(alert: &AlertRow, recipient: &str, ack_url: &str) -> String {
    let d = Details::of(alert);
    let mut out = String::new();
    out.push_str(&format!("Kính gửi {recipient},\n\n"));
    out.push_str(&format!(
        "VIỆC CẦN LÀM: {}\n{}\n\n",
        alert.required_action.trim(),
        due_line(alert)
    ));
    out.push_str(&format!("Sau khi xử lý, xin xác nhận tại: {ack_url}\n\n"));
    if let Some(tlp) = alert.tlp.as_deref().and_then(Tlp::parse) {
        out.push_str(&format!("{}\n", tlp.label()));
    }
    out.push_str(&format!("Nguồn: {}", alert.source_authority));
    if let Some(doc) = &alert.source_document {
        out.push_str(&format!(", {doc}"));
    }
    out.push_str("\n\n");
    out.push_str(alert.body.trim());
    out.push_str("\n\n");
    if !d.cve_ids.is_empty() {
        out.push_str(&format!("Mã lỗ hổng: {}\n", d.cve_ids.join(", ")));
    }
    if !d.products.is_empty() {
        let list: Vec<_> = d.products.iter().map(product_line).collect();
        out.push_str(&format!("Sản phẩm bị ảnh hưởng: {}\n", list.join("; ")));
    }
    out.push_str(
        "\n— Gửi từ capdo. Đường dẫn xác nhận chỉ dành riêng cho bạn, xin không chuyển tiếp.\n",
    );
    out
}

pub fn html_body(alert: &AlertRow, recipient: &str, ack_url: &str) -> String {
    let d = Details::of(alert);
    let severity = Severity::parse(&alert.severity).map_or("?", Severity::label);
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif;line-height:1.5\">",
    );
    out.push_str(&format!("<p>Kính gửi {},</p>", escape(recipient)));
    out.push_str(&format!(
        "<div style=\"border-left:4px solid #b42318;padding:8px 12px;background:#fef3f2\"><p><strong>Mức độ: {}</strong></p><p><strong>Việc cần làm:</strong> {}</p><p>{}</p><p><a href=\"{}\">Xác nhận đã nhận, đã khắc phục hoặc không ảnh hưởng</a></p></div>",
        escape(severity),
        escape(alert.required_action.trim()),
        escape(&due_line(alert)),
        escape(ack_url)
    ));
    if let Some(tlp) = alert.tlp.as_deref().and_then(Tlp::parse) {
        out.push_str(&format!("<p><strong>{}</strong></p>", tlp.label()));
    }
    out.push_str(&format!(
        "<p>Nguồn: {}{}</p>",
        escape(&alert.source_authority),
        alert
            .source_document
            .as_deref()
            .map(|d| format!(", {}", escape(d)))
            .unwrap_or_default()
    ));
    out.push_str(&markdown_html(&alert.body));
    if !d.cve_ids.is_empty() {
        out.push_str(&format!(
            "<p>Mã lỗ hổng: {}</p>",
            escape(&d.cve_ids.join(", "))
        ));
    }
    if !d.products.is_empty() {
        out.push_str("<p>Sản phẩm bị ảnh hưởng:</p><ul>");
        for p in &d.products {
            out.push_str(&format!("<li>{}</li>", escape(&product_line(p))));
        }
        out.push_str("</ul>");
    }
    out.push_str("<p style=\"color:#667085\">Gửi từ capdo. Đường dẫn xác nhận chỉ dành riêng cho bạn, xin không chuyển tiếp.</p></body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_in_markdown_is_shown_as_text() {
        let html = markdown_html("**Gấp**: <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(html.contains("<strong>Gấp</strong>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("javascript:"));
    }
}
