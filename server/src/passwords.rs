//! Password hashing with argon2id, off the async threads and bounded, so a
//! flood of logins cannot starve sync requests of CPU.

use std::sync::Arc;

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

/// The shortest password an account may have.
pub const MIN_LENGTH: usize = innom_shared::api::MIN_PASSWORD_CHARS;

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone, Debug)]
pub struct Passwords {
    /// At most this many hashes run at once (one per core).
    permits: Arc<Semaphore>,
    /// Verified against when the user does not exist, so an unknown user
    /// takes as long to refuse as a wrong password.
    dummy_hash: Arc<str>,
}

/// Argon2id with the crate's defaults: 19 MiB memory, 2 iterations, 1 lane
/// (the OWASP minimum).
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))?;
    Ok(hash.to_string())
}

impl Passwords {
    /// Prepares the hasher; computes the dummy hash once.
    pub fn new() -> anyhow::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Ok(Self { permits: Arc::new(Semaphore::new(cores)), dummy_hash: hash_blocking("innom-dummy-password")?.into() })
    }

    /// The argon2id PHC string for `password`.
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
    }

    /// Whether `password` matches `stored`. With `stored = None` (no such
    /// user) it does the same work and answers `false`.
    pub async fn verify(&self, stored: Option<&str>, password: String) -> anyhow::Result<bool> {
        let exists = stored.is_some();
        let stored: Arc<str> = stored.map_or_else(|| self.dummy_hash.clone(), Arc::from);
        let _permit = self.permits.acquire().await?;
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&stored).is_ok_and(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
        })
        .await?;
        Ok(exists && matches)
    }
}
