//! Names of uploaded files made safe to store and to offer back in `Content-Disposition`:
//! no path, no control or bidirectional characters, no quotes, the extension of the kind the
//! content really is; Vietnamese letters kept.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::file_kind::FileKind;

/// Longest stored name, in characters (the extension included).
const MAX_CHARS: usize = 150;

/// Characters Windows refuses in names, and quotes that break header parameters.
const REFUSED: &[char] = &['"', '\'', '`', '<', '>', ':', '|', '?', '*', ';'];

const RESERVED_STEMS: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Invisible characters that reorder or hide text (`tệp\u{202E}fdp.exe` shows as `tệpexe.pdf`).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The name to store for an upload named `raw` whose content is of `kind`.
pub fn sanitize(raw: &str, kind: FileKind) -> String {
    let composed: String = raw.nfc().collect();
    let last = composed
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_string();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c) && !REFUSED.contains(c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let collapsed = cleaned
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let trimmed = collapsed.trim_matches(|c: char| c == '.' || c == ' ');
    let (stem, ext) = split_extension(trimmed, kind);
    let mut stem = stem.trim_end_matches(['.', ' ']).to_string();
    if stem.is_empty() {
        stem = "tệp".into();
    }
    if RESERVED_STEMS.contains(&stem.to_lowercase().as_str()) {
        stem.insert(0, '_');
    }
    let room = MAX_CHARS.saturating_sub(ext.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{ext}", stem.trim_end_matches(['.', ' ']))
}

/// The stem and the extension to use: the name's own when it is one of `kind`, else the
/// kind's usual one (replacing an extension of another document kind, appended otherwise so
/// `Quyết định 12.2024` keeps its `.2024`).
fn split_extension(name: &str, kind: FileKind) -> (&str, String) {
    let usual = kind.extensions()[0].to_string();
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return (name, usual);
    };
    let lower = ext.to_ascii_lowercase();
    if kind.extensions().contains(&lower.as_str()) {
        (stem, lower)
    } else if FileKind::ALL
        .iter()
        .any(|k| k.extensions().contains(&lower.as_str()))
        || KNOWN_OTHER.contains(&lower.as_str())
    {
        (stem, usual)
    } else {
        (name, usual)
    }
}

/// Extensions of kinds not accepted, replaced rather than kept before the real one.
const KNOWN_OTHER: &[&str] = &[
    "exe", "msi", "bat", "cmd", "com", "scr", "js", "vbs", "ps1", "sh", "html", "htm", "svg",
    "txt", "rtf", "ppt", "pptx", "odp", "zip", "rar", "7z", "gif", "bmp", "tif", "tiff", "webp",
];

/// An ASCII stand-in for old clients: marks dropped (`Quyết định` → `Quyet dinh`), `đ` → `d`,
/// anything else outside printable ASCII (and `%`, `\`) → `_`.
pub fn ascii_fallback(name: &str) -> String {
    name.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c if c.is_ascii_graphic() && !matches!(c, '%' | '\\' | '"') => c,
            ' ' => ' ',
            _ => '_',
        })
        .collect()
}

/// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 and 8187) for a sanitised name.
pub fn content_disposition(name: &str) -> String {
    let mut encoded = String::new();
    for b in name.as_bytes() {
        let c = char::from(*b);
        if c.is_ascii_alphanumeric() || "!#$&+-.^_`|~".contains(c) {
            encoded.push(c);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{encoded}",
        ascii_fallback(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_controls_and_quotes_are_stripped() {
        assert_eq!(
            sanitize("../../etc/passwd.pdf", FileKind::Pdf),
            "passwd.pdf"
        );
        assert_eq!(
            sanitize("C:\\Users\\an\\Tờ trình.pdf", FileKind::Pdf),
            "Tờ trình.pdf"
        );
        assert_eq!(
            sanitize("a\u{0}b\r\n\"c'\u{7f}.pdf", FileKind::Pdf),
            "abc.pdf"
        );
        assert_eq!(sanitize("tệp\u{202E}fdp.exe", FileKind::Pdf), "tệpfdp.pdf");
        assert_eq!(sanitize("..", FileKind::Png), "tệp.png");
        assert_eq!(sanitize("", FileKind::Pdf), "tệp.pdf");
        assert_eq!(sanitize(" . hồ   sơ .pdf. ", FileKind::Pdf), "hồ sơ.pdf");
        assert_eq!(sanitize("CON.pdf", FileKind::Pdf), "_CON.pdf");
    }

    #[test]
    fn the_extension_follows_the_content() {
        assert_eq!(sanitize("scan.pdf", FileKind::Png), "scan.png");
        assert_eq!(sanitize("Ảnh.JPEG", FileKind::Jpeg), "Ảnh.jpeg");
        assert_eq!(
            sanitize("Quyết định 12.2024", FileKind::Pdf),
            "Quyết định 12.2024.pdf"
        );
        assert_eq!(sanitize("bao-cao", FileKind::Xlsx), "bao-cao.xlsx");
        assert_eq!(sanitize("setup.exe", FileKind::Doc), "setup.doc");
        assert_eq!(sanitize("cu.xls", FileKind::LegacyOffice), "cu.xls");
    }

    #[test]
    fn names_are_composed_and_bounded() {
        let decomposed = "Quye\u{302}\u{301}t đi\u{323}nh.pdf";
        assert_eq!(sanitize(decomposed, FileKind::Pdf), "Quyết định.pdf");
        let long = format!("{}.pdf", "ơ".repeat(400));
        let name = sanitize(&long, FileKind::Pdf);
        assert_eq!(name.chars().count(), MAX_CHARS);
        assert!(name.ends_with(".pdf"));
    }

    #[test]
    fn the_header_carries_an_ascii_fallback_and_the_utf8_name() {
        assert_eq!(
            content_disposition("Tờ trình đề xuất.pdf"),
            "attachment; filename=\"To trinh de xuat.pdf\"; \
filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh%20%C4%91%E1%BB%81%20xu%E1%BA%A5t.pdf"
        );
        assert_eq!(ascii_fallback("100% 漢.pdf"), "100_ _.pdf");
    }
}
