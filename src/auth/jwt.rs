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
    match std::fs::read_to_string(&path) {
        Ok(existing) => {
            let existing = existing.trim().to_string();
            anyhow::ensure!(
                existing.len() >= 32,
                "tệp {} chứa khóa quá ngắn (cần ít nhất 32 byte)",
                path.display()
            );
            return Ok(Secret::new(existing));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        // Never overwrite a key that exists but cannot be read: say which file and why.
        Err(e) => anyhow::bail!("không đọc được tệp khóa {}: {e}", path.display()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_secret_is_used_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let configured = Secret::new("c".repeat(40));
        let secret = load_or_create_secret(Some(&configured), dir.path()).unwrap();
        assert_eq!(secret.expose(), configured.expose());
        assert!(!dir.path().join("jwt_secret").exists());
    }

    #[test]
    fn the_secret_is_generated_once_and_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        // The data folder does not exist yet: it is created.
        let data_dir = dir.path().join("data");
        let first = load_or_create_secret(None, &data_dir).unwrap();
        let path = data_dir.join("jwt_secret");
        assert!(first.expose().len() >= 32);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), first.expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the owner reads the key");
        }
        let token = JwtKeys::new(&first).unwrap().issue("user-1", 3).unwrap().0;

        // A restart reads the same file: the token issued before still verifies.
        let second = load_or_create_secret(None, &data_dir).unwrap();
        assert_eq!(second.expose(), first.expose());
        let claims = JwtKeys::new(&second)
            .unwrap()
            .verify(&token)
            .expect("still valid");
        assert_eq!((claims.sub.as_str(), claims.ver), ("user-1", 3));

        // Another data folder gets another key, which refuses the token.
        let other = load_or_create_secret(None, &dir.path().join("other")).unwrap();
        assert_ne!(other.expose(), first.expose());
        assert!(JwtKeys::new(&other).unwrap().verify(&token).is_none());
    }

    #[test]
    fn a_too_short_secret_file_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt_secret");
        std::fs::write(&path, "ngan-qua\n").unwrap();
        let err = load_or_create_secret(None, dir.path())
            .expect_err("a short key is refused")
            .to_string();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("quá ngắn") && err.contains("32"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "ngan-qua\n",
            "the file is left alone"
        );
    }

    #[test]
    fn an_unreadable_secret_file_is_named_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt_secret");
        std::fs::write(&path, [0xff, 0xfe, 0x00, 0x41]).unwrap();
        let err = load_or_create_secret(None, dir.path())
            .expect_err("a key that is not text is refused")
            .to_string();
        assert!(
            err.contains("không đọc được") && err.contains(&path.display().to_string()),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), [0xff, 0xfe, 0x00, 0x41]);
    }
}
