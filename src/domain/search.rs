//! Diacritic-insensitive search keys: neither backend's LIKE folds Vietnamese marks.

use unicode_normalization::UnicodeNormalization;

/// Lower case, combining marks stripped, `đ` folded to `d`, whitespace collapsed:
/// "Hệ thống Đăng ký" → "he thong dang ky".
pub fn search_key(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A LIKE pattern matching `query` anywhere in a search key; LIKE wildcards are removed.
pub fn contains_pattern(query: &str) -> String {
    let key: String = search_key(query)
        .chars()
        .filter(|c| *c != '%' && *c != '_')
        .collect();
    format!("%{key}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_marks() {
        assert_eq!(search_key("Hệ thống  Đăng ký"), "he thong dang ky");
        assert_eq!(search_key("Sở Công Thương"), "so cong thuong");
        assert_eq!(contains_pattern("he_thong%"), "%hethong%");
    }
}
