//! The fixed parts of the DOCX package: content types, relationships, styles (Times New Roman,
//! Vietnamese), settings, page-number header, document properties and section properties.

use super::xml::escape;
use super::{
    DocProps, DEFAULT_SIZE_PT, FONT, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP,
    PAGE_HEIGHT, PAGE_WIDTH,
};

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

pub(super) const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#,
    r#"<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#,
    r#"<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#,
    r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
    r#"</Types>"#
);

pub(super) const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
    r#"</Relationships>"#
);

pub(super) const DOCUMENT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#,
    r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>"#,
    r#"</Relationships>"#
);

pub(super) const APP: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
    r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    r#"<Application>capdo</Application><DocSecurity>0</DocSecurity></Properties>"#
);

pub(super) const SETTINGS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>"#,
    r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
    r#"</w:settings>"#
);

/// The page number, centred at the top (Decree 30/2020: from the second page).
pub(super) const HEADER_PAGE_NUMBER: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr>"#,
    r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#,
    r#"<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>"#,
    r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>"#,
    r#"<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>"#
);

/// The first page has no number.
pub(super) const HEADER_EMPTY: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p></w:hdr>"#
);

pub(super) const DOCUMENT_START: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#
);

pub(super) const DOCUMENT_END: &str = "</w:body></w:document>";

/// The section properties closing the body: A4 portrait, the margins, headers.
pub(super) fn section() -> String {
    format!(
        concat!(
            r#"<w:sectPr><w:headerReference w:type="default" r:id="rId3"/>"#,
            r#"<w:headerReference w:type="first" r:id="rId4"/>"#,
            r#"<w:pgSz w:w="{w}" w:h="{h}"/>"#,
            r#"<w:pgMar w:top="{t}" w:right="{r}" w:bottom="{b}" w:left="{l}" w:header="567" w:footer="567" w:gutter="0"/>"#,
            r#"<w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>"#
        ),
        w = PAGE_WIDTH,
        h = PAGE_HEIGHT,
        t = MARGIN_TOP,
        r = MARGIN_RIGHT,
        b = MARGIN_BOTTOM,
        l = MARGIN_LEFT,
    )
}

fn fonts() -> String {
    format!(r#"<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>"#)
}

fn heading(id: &str, name: &str, level: u8, size_pt: u32, italic: bool) -> String {
    let italic = if italic { "<w:i/><w:iCs/>" } else { "" };
    let half = size_pt * 2;
    format!(
        concat!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/>"#,
            r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>"#,
            r#"<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="120"/>"#,
            r#"<w:jc w:val="both"/><w:outlineLvl w:val="{level}"/></w:pPr>"#,
            r#"<w:rPr>{fonts}<w:b/><w:bCs/>{italic}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr></w:style>"#
        ),
        id = id,
        name = name,
        level = level,
        fonts = fonts(),
        italic = italic,
        half = half,
    )
}

/// styles.xml: document defaults (Times New Roman in every script slot, 14 pt, Vietnamese),
/// Normal, three headings and a title.
pub(super) fn styles() -> String {
    let half = DEFAULT_SIZE_PT * 2;
    let fonts = fonts();
    let mut s = format!(
        concat!(
            "{decl}",
            r#"<w:styles xmlns:w="{w_ns}" xmlns:r="{r_ns}"><w:docDefaults><w:rPrDefault><w:rPr>"#,
            r#"{fonts}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>"#,
            r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>"#,
            r#"<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>"#,
            r#"</w:docDefaults>"#,
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>"#,
            r#"<w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>"#,
            r#"<w:rPr>{fonts}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/><w:lang w:val="vi-VN"/></w:rPr></w:style>"#,
            r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">"#,
            r#"<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>"#,
            r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>"#,
            r#"<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>"#,
            r#"<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>"#,
            r#"<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
        ),
        decl = DECL,
        w_ns = W_NS,
        r_ns = R_NS,
        fonts = fonts,
        half = half,
    );
    s.push_str(&heading("Heading1", "heading 1", 0, DEFAULT_SIZE_PT, false));
    s.push_str(&heading("Heading2", "heading 2", 1, DEFAULT_SIZE_PT, false));
    s.push_str(&heading("Heading3", "heading 3", 2, DEFAULT_SIZE_PT, true));
    s.push_str(&format!(
        concat!(
            r#"<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>"#,
            r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>"#,
            r#"<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="0"/><w:jc w:val="center"/></w:pPr>"#,
            r#"<w:rPr>{fonts}<w:b/><w:bCs/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr></w:style>"#
        ),
        fonts = fonts,
        half = half,
    ));
    s.push_str("</w:styles>");
    s
}

/// docProps/core.xml with the (escaped) title, subject and creator.
pub(super) fn core(props: &DocProps, now: chrono::DateTime<chrono::Utc>) -> String {
    let at = now.format("%Y-%m-%dT%H:%M:%SZ");
    format!(
        concat!(
            "{decl}",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{creator}</dc:creator>"#,
            r#"<dc:language>vi-VN</dc:language>"#,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{at}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{at}</dcterms:modified>"#,
            r#"</cp:coreProperties>"#
        ),
        decl = DECL,
        title = escape(&props.title),
        subject = escape(&props.subject),
        creator = escape(&props.creator),
        at = at,
    )
}
