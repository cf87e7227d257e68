//! Personal acknowledgement links for warnings: the delivery id and an expiry, signed with
//! HMAC-SHA256 under the server secret. Unguessable without the secret, tamper-evident,
//! expiring; nothing to store.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Secret;

/// How long an acknowledgement link stays valid.
pub const VALID_DAYS: i64 = 60;

#[derive(Clone)]
pub struct AckSigner {
    key: Vec<u8>,
}

/// Why a link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckTokenError {
    Malformed,
    BadSignature,
    Expired,
}

impl AckTokenError {
    pub fn message(self) -> &'static str {
        match self {
            Self::Malformed | Self::BadSignature => {
                "Đường dẫn xác nhận không hợp lệ hoặc đã bị sửa. Hãy mở lại đúng đường dẫn trong thư cảnh báo."
            }
            Self::Expired => {
                "Đường dẫn xác nhận đã hết hạn. Hãy liên hệ người gửi cảnh báo để được gửi lại."
            }
        }
    }
}

impl AckSigner {
    pub fn new(secret: &Secret) -> Self {
        // A key of its own, so an acknowledgement link can never pass for a session token.
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
            .expect("HMAC takes any key length");
        mac.update(b"capdo acknowledgement links");
        Self {
            key: mac.finalize().into_bytes().to_vec(),
        }
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(payload.as_bytes());
        mac
    }

    pub fn issue(&self, delivery_id: &str, expires_at: DateTime<Utc>) -> String {
        let payload = format!("{delivery_id}.{}", expires_at.timestamp());
        let signature = self.mac(&payload).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(signature)
        )
    }

    /// The delivery id of a valid, unexpired token.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<String, AckTokenError> {
        let (payload, signature) = token.split_once('.').ok_or(AckTokenError::Malformed)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|p| String::from_utf8(p).ok())
            .ok_or(AckTokenError::Malformed)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| AckTokenError::Malformed)?;
        self.mac(&payload)
            .verify_slice(&signature)
            .map_err(|_| AckTokenError::BadSignature)?;
        let (id, expiry) = payload.rsplit_once('.').ok_or(AckTokenError::Malformed)?;
        let expiry: i64 = expiry.parse().map_err(|_| AckTokenError::Malformed)?;
        if now.timestamp() > expiry {
            return Err(AckTokenError::Expired);
        }
        Ok(id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_until_it_expires_and_not_once_changed() {
        let signer = AckSigner::new(&Secret::new("s".repeat(40)));
        let now = Utc::now();
        let token = signer.issue("0190-abc", now + chrono::Duration::days(1));
        assert_eq!(signer.verify(&token, now).unwrap(), "0190-abc");
        assert_eq!(
            signer.verify(&token, now + chrono::Duration::days(2)),
            Err(AckTokenError::Expired)
        );
        let mut tampered = token.clone();
        tampered.replace_range(0..2, "AA");
        assert!(signer.verify(&tampered, now).is_err());
        let other = AckSigner::new(&Secret::new("t".repeat(40)));
        assert_eq!(other.verify(&token, now), Err(AckTokenError::BadSignature));
        assert_eq!(signer.verify("garbage", now), Err(AckTokenError::Malformed));
    }
}
