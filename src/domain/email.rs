//! E-mail addresses, compared case-insensitively.

use std::fmt;

/// A syntactically valid e-mail address, stored in lower case so uniqueness ignores case.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err("Vui lòng nhập địa chỉ thư điện tử");
        }
        if value.len() > 254 || !validator::ValidateEmail::validate_email(&value) {
            return Err("Địa chỉ thư điện tử không hợp lệ");
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, used to refuse passwords that merely repeat the address.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_lower_cased_and_checked() {
        assert_eq!(
            Email::parse(" An.Nguyen@SCT.gov.vn ").unwrap().as_str(),
            "an.nguyen@sct.gov.vn"
        );
        assert!(Email::parse("not-an-address").is_err());
        assert!(Email::parse("").is_err());
    }
}
