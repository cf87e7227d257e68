//! The kind of an attached document told from its bytes (magic numbers, zip entries, the OLE
//! directory), never from its name or the client's content type.

use std::io::{self, Read, Seek, SeekFrom};

use serde::{Deserialize, Serialize};

/// A kind of file that dossiers accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    /// Word 97–2003 (OLE compound file with a `WordDocument` stream).
    Doc,
    /// Excel 97–2003 (OLE compound file with a `Workbook` or `Book` stream).
    Xls,
    /// An OLE compound file whose directory could not be read to the end: accepted as a
    /// legacy Office document without telling Word from Excel.
    LegacyOffice,
    Docx,
    Xlsx,
    Odt,
    Ods,
    Png,
    Jpeg,
}

/// What a 415 answer lists.
pub const ACCEPTED_LABEL: &str = "PDF, DOC/DOCX, XLS/XLSX, ODT/ODS, PNG, JPEG";

const PDF_MAGIC: &[u8] = b"%PDF-";
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const PNG_MAGIC: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
const JPEG_MAGIC: [u8; 3] = [0xFF, 0xD8, 0xFF];
const ZIP_LOCAL: [u8; 4] = *b"PK\x03\x04";
const ZIP_CENTRAL: [u8; 4] = *b"PK\x01\x02";
const ZIP_END: [u8; 4] = *b"PK\x05\x06";
const ODT_MIME: &[u8] = b"application/vnd.oasis.opendocument.text";
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
/// Bounds that keep detection cheap on hostile input.
const MAX_CENTRAL_DIRECTORY: u64 = 8 * 1024 * 1024;
const MAX_OLE_SECTORS: usize = 4096;

impl FileKind {
    pub const ALL: [FileKind; 10] = [
        FileKind::Pdf,
        FileKind::Doc,
        FileKind::Xls,
        FileKind::LegacyOffice,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Odt,
        FileKind::Ods,
        FileKind::Png,
        FileKind::Jpeg,
    ];

    /// The content type a download is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::LegacyOffice => "application/x-ole-storage",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }

    /// The kind stored as `mime` (the `content_type` column).
    pub fn from_mime(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.mime() == mime)
    }

    /// Name extensions of this kind, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Doc => &["doc", "dot"],
            FileKind::Xls => &["xls", "xlt"],
            FileKind::LegacyOffice => &["doc", "xls", "dot", "xlt"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Odt => &["odt"],
            FileKind::Ods => &["ods"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg", "jpe"],
        }
    }

    /// Vietnamese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Doc => "Word (DOC)",
            FileKind::Xls => "Excel (XLS)",
            FileKind::LegacyOffice => "Office định dạng cũ (DOC/XLS)",
            FileKind::Docx => "Word (DOCX)",
            FileKind::Xlsx => "Excel (XLSX)",
            FileKind::Odt => "OpenDocument văn bản (ODT)",
            FileKind::Ods => "OpenDocument bảng tính (ODS)",
            FileKind::Png => "Ảnh PNG",
            FileKind::Jpeg => "Ảnh JPEG",
        }
    }
}

/// Tells the kind of the whole content of `r` (any position; it is moved). `Ok(None)`: not a
/// kind dossiers accept (including an empty file).
pub fn detect<R: Read + Seek>(r: &mut R) -> io::Result<Option<FileKind>> {
    let len = r.seek(SeekFrom::End(0))?;
    let mut head = [0u8; 8];
    let n = read_at(r, 0, &mut head)?;
    let head = &head[..n];
    Ok(if head.starts_with(PDF_MAGIC) {
        Some(FileKind::Pdf)
    } else if head.starts_with(&PNG_MAGIC) {
        Some(FileKind::Png)
    } else if head.starts_with(&JPEG_MAGIC) {
        Some(FileKind::Jpeg)
    } else if head.starts_with(&OLE_MAGIC) {
        ole_kind(r, len)?
    } else if head.starts_with(&ZIP_LOCAL) {
        zip_kind(r, len)?
    } else {
        None
    })
}

/// Reads as much of `buf` as the content has from `offset`; returns the bytes read.
fn read_at<R: Read + Seek>(r: &mut R, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
    r.seek(SeekFrom::Start(offset))?;
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// ODF puts an uncompressed `mimetype` entry first; OOXML is told by its main part, found in
/// the central directory (local headers may lack sizes when written as a stream).
fn zip_kind<R: Read + Seek>(r: &mut R, len: u64) -> io::Result<Option<FileKind>> {
    let mut local = [0u8; 30 + 8];
    let n = read_at(r, 0, &mut local)?;
    let local = &local[..n];
    if let (Some(method), Some(size), Some(name_len), Some(extra_len)) = (
        u16_at(local, 8),
        u32_at(local, 18),
        u16_at(local, 26),
        u16_at(local, 28),
    ) {
        if method == 0 && name_len == 8 && local.get(30..38) == Some(b"mimetype".as_slice()) {
            let mut mime = [0u8; 64];
            let size = usize::try_from(size).unwrap_or(usize::MAX).min(mime.len());
            let start = 30 + 8 + u64::from(extra_len);
            let got = read_at(r, start, &mut mime[..size])?;
            return Ok(match &mime[..got] {
                m if m == ODT_MIME => Some(FileKind::Odt),
                m if m == ODS_MIME => Some(FileKind::Ods),
                _ => None,
            });
        }
    }
    let Some((offset, size)) = central_directory(r, len)? else {
        return Ok(None);
    };
    let mut cd = vec![0u8; usize::try_from(size).unwrap_or(0)];
    let got = read_at(r, offset, &mut cd)?;
    cd.truncate(got);
    let mut i = 0;
    let (mut docx, mut xlsx) = (false, false);
    while cd.get(i..i + 4) == Some(ZIP_CENTRAL.as_slice()) {
        let (Some(name_len), Some(extra_len), Some(comment_len)) = (
            u16_at(&cd, i + 28),
            u16_at(&cd, i + 30),
            u16_at(&cd, i + 32),
        ) else {
            break;
        };
        let name_start = i + 46;
        let Some(name) = cd.get(name_start..name_start + usize::from(name_len)) else {
            break;
        };
        docx |= name == b"word/document.xml";
        xlsx |= name == b"xl/workbook.xml";
        i = name_start + usize::from(name_len) + usize::from(extra_len) + usize::from(comment_len);
    }
    Ok(match (docx, xlsx) {
        (true, _) => Some(FileKind::Docx),
        (false, true) => Some(FileKind::Xlsx),
        _ => None,
    })
}

/// Offset and size of the central directory, from the end-of-central-directory record in the
/// last 64 KiB + 22 bytes (its comment is at most 65535 bytes).
fn central_directory<R: Read + Seek>(r: &mut R, len: u64) -> io::Result<Option<(u64, u64)>> {
    let tail_len = len.min(22 + 65535);
    let mut tail = vec![0u8; usize::try_from(tail_len).unwrap_or(0)];
    let got = read_at(r, len - tail_len, &mut tail)?;
    tail.truncate(got);
    let Some(at) = tail.windows(4).rposition(|w| w == ZIP_END) else {
        return Ok(None);
    };
    let (Some(size), Some(offset)) = (u32_at(&tail, at + 12), u32_at(&tail, at + 16)) else {
        return Ok(None);
    };
    let (size, offset) = (u64::from(size), u64::from(offset));
    if size > MAX_CENTRAL_DIRECTORY || offset.saturating_add(size) > len {
        // Zip64 (0xFFFFFFFF markers) or damaged: not a document this size limit admits.
        return Ok(None);
    }
    Ok(Some((offset, size)))
}

/// The sector chains of an OLE compound file (MS-CFB), read just far enough to walk the
/// directory.
struct Cfb {
    shift: u32,
    /// The first 109 FAT sector numbers, from the header.
    difat: Vec<u32>,
    first_difat: u32,
}

/// Sector numbers from here up are markers, not sectors.
const END_OF_CHAIN: u32 = 0xFFFF_FFFA;
/// The FAT entry of the last sector of a chain.
const END_OF_DIRECTORY: u32 = 0xFFFF_FFFE;

impl Cfb {
    fn sector_size(&self) -> usize {
        1 << self.shift
    }

    fn sector_offset(&self, sid: u32) -> u64 {
        (u64::from(sid) + 1) << self.shift
    }

    /// The FAT sector number `index`: from the header, then along the DIFAT chain.
    fn fat_sector<R: Read + Seek>(&self, r: &mut R, index: usize) -> io::Result<Option<u32>> {
        if let Some(sid) = self.difat.get(index) {
            return Ok(Some(*sid));
        }
        let per = self.sector_size() / 4 - 1;
        let rest = index - self.difat.len();
        let mut sid = self.first_difat;
        for _ in 0..rest / per {
            if sid >= END_OF_CHAIN {
                return Ok(None);
            }
            sid = self.read_u32(r, self.sector_offset(sid) + (per as u64) * 4)?;
        }
        if sid >= END_OF_CHAIN {
            return Ok(None);
        }
        let entry = self.read_u32(r, self.sector_offset(sid) + ((rest % per) as u64) * 4)?;
        Ok((entry < END_OF_CHAIN).then_some(entry))
    }

    /// The FAT entry of `sid` (the next sector, or a marker); `None` when the FAT sector
    /// holding it cannot be found.
    fn next<R: Read + Seek>(&self, r: &mut R, sid: u32) -> io::Result<Option<u32>> {
        let per = self.sector_size() / 4;
        let sid_index = usize::try_from(sid).unwrap_or(usize::MAX);
        let Some(fat) = self.fat_sector(r, sid_index / per)? else {
            return Ok(None);
        };
        Ok(Some(self.read_u32(
            r,
            self.sector_offset(fat) + ((sid_index % per) as u64) * 4,
        )?))
    }

    fn read_u32<R: Read + Seek>(&self, r: &mut R, offset: u64) -> io::Result<u32> {
        let mut b = [0u8; 4];
        if read_at(r, offset, &mut b)? < 4 {
            return Ok(u32::MAX);
        }
        Ok(u32::from_le_bytes(b))
    }
}

/// Word or Excel by the streams of the directory; a directory that cannot be walked to its
/// end gives the generic legacy kind; one walked completely without either stream (an
/// installer, a PowerPoint or Outlook file) is not accepted.
fn ole_kind<R: Read + Seek>(r: &mut R, len: u64) -> io::Result<Option<FileKind>> {
    let mut header = [0u8; 512];
    if read_at(r, 0, &mut header)? < 512 {
        return Ok(Some(FileKind::LegacyOffice));
    }
    let shift = u32::from(u16_at(&header, 0x1E).unwrap_or(9));
    if shift != 9 && shift != 12 {
        return Ok(Some(FileKind::LegacyOffice));
    }
    let cfb = Cfb {
        shift,
        difat: (0..109)
            .filter_map(|i| u32_at(&header, 0x4C + i * 4))
            .collect(),
        first_difat: u32_at(&header, 0x44).unwrap_or(u32::MAX),
    };
    let mut sid = u32_at(&header, 0x30).unwrap_or(u32::MAX);
    let mut sector = vec![0u8; cfb.sector_size()];
    for _ in 0..MAX_OLE_SECTORS {
        if sid >= END_OF_CHAIN || cfb.sector_offset(sid) >= len {
            return Ok(Some(FileKind::LegacyOffice));
        }
        if read_at(r, cfb.sector_offset(sid), &mut sector)? < sector.len() {
            return Ok(Some(FileKind::LegacyOffice));
        }
        for entry in sector.chunks_exact(128) {
            match ole_entry_name(entry).as_deref() {
                Some("WordDocument") => return Ok(Some(FileKind::Doc)),
                Some("Workbook" | "Book") => return Ok(Some(FileKind::Xls)),
                _ => {}
            }
        }
        match cfb.next(r, sid)? {
            Some(END_OF_DIRECTORY) => return Ok(None),
            Some(next) => sid = next,
            None => return Ok(Some(FileKind::LegacyOffice)),
        }
    }
    Ok(Some(FileKind::LegacyOffice))
}

/// The name of a directory entry of a stream (object type 2), decoded from UTF-16LE.
fn ole_entry_name(entry: &[u8]) -> Option<String> {
    let name_len = usize::from(u16_at(entry, 0x40)?);
    if entry.get(0x42) != Some(&2) || !(2..=64).contains(&name_len) {
        return None;
    }
    let units: Vec<u16> = entry[..name_len - 2]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).ok()
}

#[cfg(test)]
#[path = "file_kind_tests.rs"]
mod tests;
