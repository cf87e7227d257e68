//! Detection of each accepted kind from sample bytes built here, and of look-alikes refused.

use std::io::{Cursor, Write};

use super::*;

fn kind(bytes: &[u8]) -> Option<FileKind> {
    detect(&mut Cursor::new(bytes)).unwrap()
}

fn zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
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

const END: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn dir_entry(name: &str, object_type: u8) -> [u8; 128] {
    let mut e = [0u8; 128];
    let units: Vec<u16> = name.encode_utf16().collect();
    for (i, u) in units.iter().enumerate() {
        put_u16(&mut e, i * 2, *u);
    }
    put_u16(&mut e, 0x40, u16::try_from(units.len() * 2 + 2).unwrap());
    e[0x42] = object_type;
    e
}

/// A version-3 compound file (512-byte sectors): sector 0 is the FAT, the directory runs over
/// sectors 1.. with four entries each, chained in order.
fn ole(streams: &[&str]) -> Vec<u8> {
    let mut entries = vec![dir_entry("Root Entry", 5)];
    entries.extend(streams.iter().map(|s| dir_entry(s, 2)));
    let dir_sectors = entries.len().div_ceil(4);
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&OLE_MAGIC);
    put_u16(&mut header, 0x18, 0x3E);
    put_u16(&mut header, 0x1A, 3);
    put_u16(&mut header, 0x1C, 0xFFFE);
    put_u16(&mut header, 0x1E, 9);
    put_u16(&mut header, 0x20, 6);
    put_u32(&mut header, 0x2C, 1);
    put_u32(&mut header, 0x30, 1);
    put_u32(&mut header, 0x38, 4096);
    put_u32(&mut header, 0x3C, END);
    put_u32(&mut header, 0x44, END);
    for i in 0..109 {
        put_u32(&mut header, 0x4C + i * 4, if i == 0 { 0 } else { FREE });
    }
    let mut fat = vec![0u8; 512];
    for i in 0..128 {
        put_u32(&mut fat, i * 4, FREE);
    }
    put_u32(&mut fat, 0, 0xFFFF_FFFD);
    for s in 1..=dir_sectors {
        let next = if s == dir_sectors {
            END
        } else {
            u32::try_from(s + 1).unwrap()
        };
        put_u32(&mut fat, s * 4, next);
    }
    let mut out = header;
    out.extend(fat);
    for chunk in entries.chunks(4) {
        let mut sector = vec![0u8; 512];
        for (i, e) in chunk.iter().enumerate() {
            sector[i * 128..(i + 1) * 128].copy_from_slice(e);
        }
        out.extend(sector);
    }
    out
}

#[test]
fn magic_numbers_of_pdf_png_and_jpeg() {
    assert_eq!(kind(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"), Some(FileKind::Pdf));
    assert_eq!(
        kind(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]),
        Some(FileKind::Png)
    );
    assert_eq!(kind(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), Some(FileKind::Jpeg));
    assert_eq!(kind(b"%PDF"), None, "a truncated header is not a PDF");
    assert_eq!(kind(b"\x89PNG\r\n"), None);
}

#[test]
fn executables_html_and_empty_content_are_refused() {
    assert_eq!(kind(b""), None);
    assert_eq!(kind(b"MZ\x90\x00\x03\x00\x00\x00"), None);
    assert_eq!(kind(b"\x7fELF\x02\x01\x01"), None);
    assert_eq!(kind(b"<!DOCTYPE html><html><script>"), None);
    assert_eq!(kind(b"  %PDF-1.4"), None, "the magic must start the file");
}

#[test]
fn office_open_xml_by_its_main_part() {
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>", false),
        ("word/document.xml", b"<w:document/>", false),
    ]);
    assert_eq!(kind(&docx), Some(FileKind::Docx));
    let xlsx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>", false),
        ("xl/workbook.xml", b"<workbook/>", false),
    ]);
    assert_eq!(kind(&xlsx), Some(FileKind::Xlsx));
    let other = zip_of(&[("word/other.xml", b"<x/>", false), ("a.txt", b"a", true)]);
    assert_eq!(kind(&other), None, "a zip that is no document");
    let mut truncated = docx.clone();
    truncated.truncate(docx.len() - 10);
    assert_eq!(kind(&truncated), None, "no central directory");
}

#[test]
fn open_document_by_its_first_stored_mimetype() {
    let odt = zip_of(&[
        ("mimetype", ODT_MIME, true),
        ("content.xml", b"<office:document-content/>", false),
    ]);
    assert_eq!(kind(&odt), Some(FileKind::Odt));
    let ods = zip_of(&[
        ("mimetype", ODS_MIME, true),
        ("content.xml", b"<x/>", false),
    ]);
    assert_eq!(kind(&ods), Some(FileKind::Ods));
    let odp = zip_of(&[(
        "mimetype",
        b"application/vnd.oasis.opendocument.presentation",
        true,
    )]);
    assert_eq!(kind(&odp), None);
    let epub = zip_of(&[("mimetype", b"application/epub+zip", true)]);
    assert_eq!(kind(&epub), None);
    let compressed = zip_of(&[("mimetype", ODT_MIME, false)]);
    assert_eq!(
        kind(&compressed),
        None,
        "ODF stores the mimetype uncompressed"
    );
}

#[test]
fn compound_files_told_apart_by_their_streams() {
    assert_eq!(kind(&ole(&["1Table", "WordDocument"])), Some(FileKind::Doc));
    assert_eq!(kind(&ole(&["Workbook"])), Some(FileKind::Xls));
    assert_eq!(kind(&ole(&["Book"])), Some(FileKind::Xls));
    // The stream in the third directory sector: the walk follows the FAT chain.
    let names = [
        "SummaryInformation",
        "DocumentSummaryInformation",
        "CompObj",
        "Data",
        "ObjectPool",
        "1Table",
        "Macros",
        "WordDocument",
    ];
    assert_eq!(kind(&ole(&names)), Some(FileKind::Doc));
    assert_eq!(
        kind(&ole(&["PowerPoint Document", "Pictures"])),
        None,
        "walked to its end without Word or Excel"
    );
    let mut truncated = ole(&["WordDocument"]);
    truncated.truncate(600);
    assert_eq!(kind(&truncated), Some(FileKind::LegacyOffice));
}

#[test]
fn mime_round_trips_and_extensions_are_lower_case() {
    for k in FileKind::ALL {
        assert_eq!(FileKind::from_mime(k.mime()), Some(k));
        assert!(k
            .extensions()
            .iter()
            .all(|e| e.chars().all(|c| c.is_ascii_lowercase())));
    }
    assert_eq!(FileKind::from_mime("text/html"), None);
}
