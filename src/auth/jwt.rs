//! HS256 session tokens. A token names the user and the user's token version; bumping the
//! version (logout, password change, deactivation) revokes every older token.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::Secret;

/// How long a session lasts: one working day.
pub const SESSION_HOURS: i64 = 10;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// The user's token version when the token was issued.
    pub ver: i32,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &Secret) -> anyhow::Result<Self> {
        let bytes = secret.expose().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub", "iat"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(bytes)?,
            decoding: DecodingKey::from_secret(bytes)?,
            validation,
        })
    }

    pub fn issue(
        &self,
        user_id: &str,
        token_version: i32,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let expires_at = now + Duration::hours(SESSION_HOURS);
        let claims = Claims {
            sub: user_id.to_string(),
            ver: token_version,
            jti: uuid::Uuid::now_v7().to_string(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, expires_at))
    }

    /// Verifies signature, algorithm (HS256 only, so `alg: none` fails) and expiry.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }
}

/// The configured secret, or the one kept in `<data_dir>/jwt_secret`, generated on first use.
pub fn load_or_create_secret(
    configured: Option<&Secret>,
    data_dir: &Path,
) -> anyhow::Result<Secret> {
    if let Some(secret) = configured {
        return Ok(secret.clone());
    }
    let path = data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_string();
        anyhow::ensure!(
            existing.len() >= 32,
            "tệp {} chứa khóa quá ngắn (cần ít nhất 32 byte)",
            path.display()
        );
        return Ok(Secret::new(existing));
    }
    std::fs::create_dir_all(data_dir)?;
    let mut bytes = [0u8; 48];
    rand::fill(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(&path, &secret)?;
    Ok(Secret::new(secret))
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
