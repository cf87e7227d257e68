//! Checks of generated DOCX packages: every part unzips and is well-formed XML; the text of the
//! document body for assertions.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

/// The parts of a DOCX package, (name, text).
pub fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip package");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).expect("UTF-8 part");
            (f.name().expect("part name").to_string(), s)
        })
        .collect()
}

fn attributes(e: &quick_xml::events::BytesStart<'_>, decoder: quick_xml::Decoder) {
    for a in e.attributes() {
        a.expect("attribute")
            .decode_and_unescape_value(decoder)
            .expect("attribute value");
    }
}

/// Parses `xml` strictly (matching tags, one root, known entities, unique attributes, no
/// character XML forbids) and returns the text of its `w:t` elements.
pub fn well_formed(xml: &str) -> String {
    assert!(
        xml.chars()
            .all(|c| matches!(c, '\t' | '\n' | '\r')
                || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')),
        "forbidden character"
    );
    let mut reader = Reader::from_str(xml);
    let (mut depth, mut roots, mut in_t, mut text) = (0usize, 0usize, false, String::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                attributes(&e, reader.decoder());
                roots += usize::from(depth == 0);
                depth += 1;
                in_t = e.name().as_ref() == b"w:t";
            }
            Event::Empty(e) => {
                attributes(&e, reader.decoder());
                roots += usize::from(depth == 0);
                if e.name().as_ref() == b"w:br" || e.name().as_ref() == b"w:tab" {
                    text.push(' ');
                }
            }
            Event::End(e) => {
                depth = depth.checked_sub(1).expect("unbalanced end tag");
                in_t = false;
                if e.name().as_ref() == b"w:p" {
                    text.push('\n');
                }
            }
            Event::Text(t) => {
                let s = t.decode().expect("utf-8");
                assert!(depth > 0 || s.trim().is_empty(), "text outside the root");
                if in_t {
                    text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("char ref") {
                    Some(c) => c.to_string(),
                    None => match r.decode().expect("utf-8").as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("unknown entity {other}"),
                    },
                };
                if in_t {
                    text.push_str(&c);
                }
            }
            Event::CData(_) | Event::DocType(_) => panic!("unexpected CDATA or DOCTYPE"),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    assert_eq!(roots, 1, "exactly one root element");
    text
}

/// Checks every part of the package and returns the text of word/document.xml (paragraphs
/// end with a line feed).
pub fn docx_text(bytes: &[u8]) -> String {
    let parts = parts(bytes);
    for required in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/_rels/document.xml.rels",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        assert!(
            parts.iter().any(|(n, _)| n == required),
            "missing {required}"
        );
    }
    let mut body = String::new();
    for (name, xml) in &parts {
        let text = well_formed(xml);
        if name == "word/document.xml" {
            body = text;
        }
    }
    body
}
