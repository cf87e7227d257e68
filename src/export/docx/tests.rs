use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::*;

/// Parses `xml` strictly (balanced, matching tags, one root, known entities, unique
/// attributes, no characters XML forbids) and returns the text of its `w:t` elements.
fn well_formed(xml: &str) -> String {
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
                for a in e.attributes() {
                    a.expect("attribute")
                        .decode_and_unescape_value(reader.decoder())
                        .expect("attribute value");
                }
                roots += usize::from(depth == 0);
                depth += 1;
                in_t = e.name().as_ref() == b"w:t";
            }
            Event::Empty(e) => {
                for a in e.attributes() {
                    a.expect("attribute")
                        .decode_and_unescape_value(reader.decoder())
                        .expect("attribute value");
                }
                roots += usize::from(depth == 0);
            }
            Event::End(_) => {
                depth = depth.checked_sub(1).expect("unbalanced end tag");
                in_t = false;
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

fn parts(bytes: &[u8]) -> Vec<(String, String)> {
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

fn sample(hostile: &str) -> Vec<u8> {
    let props = DocProps {
        title: format!("Tiêu đề {hostile}"),
        subject: "Thử".into(),
        creator: "capdo".into(),
    };
    let mut w = DocxWriter::in_memory(&props).unwrap();
    w.admin_header(&AdminHeader {
        parent_body: Some("UBND tỉnh Thử"),
        issuing_body: hostile,
        number: "Số:      /TM-STTTT",
        place_date: "……, ngày 02 tháng 12 năm 2026",
    })
    .unwrap();
    w.title("Thuyết minh", &[hostile]).unwrap();
    w.heading(1, "1. Tổng quan").unwrap();
    w.text(hostile).unwrap();
    w.item("-", "mục\tmột\ndòng hai").unwrap();
    w.start_table(TableLayout::grid(&[1, 3, 2]).size(12))
        .unwrap();
    w.header_row(&[
        TableCell::title("STT"),
        TableCell::title("Tên"),
        TableCell::title("Cấp độ"),
    ])
    .unwrap();
    w.row(&[TableCell::text("1"), TableCell::text(hostile).span(2)])
        .unwrap();
    w.row(&[TableCell::text("2")]).unwrap();
    w.start_table(TableLayout::grid(&[1])).unwrap(); // adjacent, empty
    w.page_break().unwrap();
    w.paragraph(&Paragraph::new().run(Run::new("đậm").bold().italic().underline().size(13)))
        .unwrap();
    w.signature(&Signature {
        recipients: &["Như trên;".to_string(), format!("Lưu: {hostile}")],
        authority: "Thủ trưởng đơn vị",
        note: "(Ký, ghi rõ họ tên, đóng dấu)",
        name: "",
    })
    .unwrap();
    w.start_table(TableLayout::grid(&[1, 1])).unwrap(); // left open: finish closes it
    w.finish_bytes().unwrap()
}

const HOSTILE: &str = "A & B <script>x</script> </w:t><w:p> ]]> \"q\" 'a' \u{0}\u{1}\u{7}\u{b}\u{1b}\u{7f}\u{fffe} end";

#[test]
fn the_package_has_every_part_and_each_is_well_formed() {
    let bytes = sample("Sở Thông tin");
    let parts = parts(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    for required in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/settings.xml",
        "word/_rels/document.xml.rels",
        "word/header1.xml",
        "word/header2.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        assert!(names.contains(&required), "missing {required}: {names:?}");
    }
    for (name, xml) in &parts {
        assert!(xml.starts_with("<?xml"), "{name}");
        well_formed(xml);
    }
    let doc = &parts
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap()
        .1;
    let text = well_formed(doc);
    assert!(text.contains(QUOC_HIEU));
    assert!(text.contains(TIEU_NGU));
    assert!(text.contains("SỞ THÔNG TIN"), "issuing body upper case");
    assert!(text.contains("THUYẾT MINH"));
    assert!(doc.contains(r#"<w:tblHeader/>"#));
    assert!(doc.contains(r#"<w:br w:type="page"/>"#));
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(doc.contains(r#"w:top="1133" w:right="850" w:bottom="1133" w:left="1700""#));
    assert!(doc.contains("<w:tab/>") && doc.contains("<w:br/>"));
    assert!(doc.ends_with("</w:sectPr></w:body></w:document>"));
    let styles = &parts
        .iter()
        .find(|(n, _)| n == "word/styles.xml")
        .unwrap()
        .1;
    assert!(styles.contains(r#"w:eastAsia="Times New Roman" w:cs="Times New Roman""#));
    assert!(styles.contains(r#"<w:sz w:val="28"/>"#));
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let bytes = sample(HOSTILE);
    let expected = "A & B <script>x</script> </w:t><w:p> ]]> \"q\" 'a'  end";
    for (name, xml) in parts(&bytes) {
        let text = well_formed(&xml);
        assert!(!xml.contains("<script>"), "{name}");
        assert!(!xml.contains("</w:t><w:p> ]]>"), "{name}");
        if name == "word/document.xml" {
            assert!(text.contains(expected), "{text}");
            assert!(xml.contains("A &amp; B &lt;script&gt;"));
        }
        if name == "docProps/core.xml" {
            assert!(xml.contains("Tiêu đề A &amp; B &lt;script&gt;x&lt;/script&gt;"));
        }
    }
}

#[test]
fn escape_handles_entities_and_control_characters() {
    assert!(matches!(escape("Hệ thống"), Cow::Borrowed(_)));
    assert_eq!(escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    assert_eq!(
        escape("x\u{0}\u{8}\u{1f}\u{7f}\u{85}\u{ffff}y\tz\n"),
        "xy\tz\n"
    );
    assert_eq!(escape("]]>"), "]]&gt;");
}

#[test]
fn a_row_outside_a_table_is_refused() {
    let mut w = DocxWriter::in_memory(&DocProps::default()).unwrap();
    assert!(w.row(&[TableCell::text("x")]).is_err());
    let bytes = w.finish_bytes().unwrap();
    for (_, xml) in parts(&bytes) {
        well_formed(&xml);
    }
}

#[test]
fn the_tempfile_writer_is_rewound() {
    let mut w = DocxWriter::tempfile(&DocProps::default()).unwrap();
    w.text("Một").unwrap();
    let mut file = w.finish_rewound().unwrap();
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).unwrap();
    assert!(bytes.starts_with(b"PK"));
    assert!(well_formed(
        &parts(&bytes)
            .into_iter()
            .find(|(n, _)| n == "word/document.xml")
            .unwrap()
            .1
    )
    .contains("Một"));
}
