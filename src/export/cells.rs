//! Cell values that a spreadsheet must not run: the one place where exported text is
//! neutralised against formula injection (XLSX and CSV alike).

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (or split it into one).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `s` with a leading `'` when it starts like a formula (`=`, `+`, `-`, `@`, tab or carriage
/// return); any other text is returned as it is.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The inverse of [`neutralise`] for a cell read back from a file capdo wrote: the quote that
/// was added in front of a formula-like text is taken away again.
pub fn restore(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_gets_a_quote() {
        for s in ["=1+1", "+84 912", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(s), format!("'{s}"));
            assert_eq!(restore(&neutralise(s)), s);
        }
        assert!(matches!(neutralise("Cổng thông tin"), Cow::Borrowed(_)));
        assert_eq!(neutralise(""), "");
        assert_eq!(restore("'abc"), "'abc");
        assert_eq!(restore("abc"), "abc");
    }
}
