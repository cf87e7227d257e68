//! Outgoing mail: transports (SMTP, `.eml` files, none), the transactional outbox and its worker.
//!
//! A use case writes messages with [`outbox::enqueue`] / [`outbox::enqueue_many`] inside its
//! own write transaction, then calls [`Mail::notify`]; the worker ([`worker`]) delivers them
//! and records each server reply in the row, which trackers read through
//! [`crate::repo::outbox`]. See the worker's module comment for the duplicate window.

pub mod endpoint;
pub mod failure;
pub mod message;
pub mod outbox;
pub mod smtp_pool;
pub mod transport;
pub mod worker;

pub use message::Outgoing;
pub use outbox::{enqueue, enqueue_many, NewMessage};
pub use transport::{FailureKind, Mailer, SendFailure};
pub use worker::{Notifier, WorkerOptions};

use crate::config::Config;

/// What the application state holds: the shared transport and the worker's wake-up.
#[derive(Clone)]
pub struct Mail {
    pub mailer: Mailer,
    pub notifier: Notifier,
}

impl Mail {
    /// Builds the configured transport; a bad value stops start-up naming its key.
    pub fn from_config(config: &Config) -> Result<Self, crate::config::ConfigError> {
        Ok(Self {
            mailer: Mailer::from_config(config)?,
            notifier: Notifier::default(),
        })
    }

    /// Wakes the worker so messages committed just now are sent at once.
    pub fn notify(&self) {
        self.notifier.notify();
    }
}

/// Sends one test message to `to` right now through the configured transport (not through
/// the outbox), for `capdo send-test-mail` and the "Gửi thư thử" button. `Ok` is the
/// server's reply (code and text); `Err` the exact failure, in Vietnamese.
pub async fn send_test(config: &Config, to: &str) -> Result<String, String> {
    let address = message::parse_address(to)?;
    let mailer = Mailer::with_pool_size(config, 1).map_err(|e| e.to_string())?;
    let mail = Outgoing::test(&address, &mailer.describe());
    let result = mailer.send(&mail).await;
    mailer.shutdown().await;
    result.map_err(|failure| failure.reason)
}
