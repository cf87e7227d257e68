//! Argon2id password hashing and the password policy. Hashing is slow by design: call these
//! from a blocking thread, never on the async workers.

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

use crate::domain::Email;

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

pub fn hash(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the same time as a real check, so an unknown e-mail cannot be told from a wrong
/// password by the response time.
pub fn verify_against_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("capdo-dummy-password").unwrap_or_default());
    let _ = verify(password, dummy);
}

/// Checks the password policy; the message is shown to the user as is.
pub fn check_policy(password: &str, email: &Email) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err("Mật khẩu phải có ít nhất 10 ký tự");
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err("Mật khẩu không được dài quá 128 ký tự");
    }
    let lowered = password.to_lowercase();
    if lowered == email.as_str() || lowered == email.local_part() {
        return Err("Mật khẩu không được trùng với địa chỉ thư điện tử");
    }
    let mut distinct = password.chars().collect::<Vec<_>>();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return Err("Mật khẩu quá đơn giản; hãy dùng nhiều ký tự khác nhau");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("Mật-khẩu-thử-2026").unwrap();
        let b = hash("Mật-khẩu-thử-2026").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify("Mật-khẩu-thử-2026", &a));
        assert!(!verify("mật-khẩu-thử-2026", &a));
        assert!(!verify("anything", "not-a-hash"));
    }

    #[test]
    fn policy_rejects_short_and_email_passwords() {
        let email = Email::parse("an.nguyen@sct.gov.vn").unwrap();
        assert!(check_policy("short", &email).is_err());
        assert!(check_policy("AN.NGUYEN@sct.gov.vn", &email).is_err());
        assert!(check_policy("aaaaaaaaaaaa", &email).is_err());
        assert!(check_policy("Mật-khẩu-thử-2026", &email).is_ok());
    }
}
