//! A small pool of SMTP connections opened with TCP_NODELAY.
//!
//! lettre writes a message body and its terminating `.` in two writes; with Nagle's
//! algorithm on (lettre's own pool cannot turn it off) the second waits for the server's
//! delayed ACK, ≈ 40 ms per message, so one connection tops out near 22 messages a second.
//! Here each connection is opened by us with TCP_NODELAY and handed to lettre's
//! `AsyncSmtpConnection`, which still speaks the protocol (EHLO, STARTTLS, AUTH, MAIL …).
//! `smtps://` (TLS from the first byte) goes through lettre's own connect, without the option.

use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Response;
use tokio::sync::Mutex;

use super::endpoint::Security;

/// An idle connection older than this is closed rather than reused (servers drop them).
const IDLE_FOR: Duration = Duration::from_secs(60);
/// A connection parked for less than this is reused without a NOOP round trip.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// Why a send failed: before any SMTP conversation (connect), or during it.
#[derive(Debug)]
pub enum SmtpError {
    Connect(std::io::Error),
    Smtp(lettre::transport::smtp::Error),
}

pub struct SmtpPool {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) security: Security,
    pub(crate) tls: Option<TlsParameters>,
    pub(crate) hello: ClientId,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) timeout: Duration,
    pub(crate) max_idle: usize,
    pub(crate) idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

impl SmtpPool {
    /// Sends one message over a pooled (or new) connection; the connection goes back to
    /// the pool unless the conversation broke it.
    pub async fn send(&self, envelope: &Envelope, bytes: &[u8]) -> Result<Response, SmtpError> {
        let (mut conn, reused) = self.checkout().await?;
        let mut result = conn.send(envelope, bytes).await;
        // A parked connection the server closed without telling us breaks with no reply:
        // try once more on a new one rather than calling the server unreachable.
        if reused && matches!(&result, Err(e) if e.status().is_none()) {
            conn.abort().await;
            conn = self.connect().await?;
            result = conn.send(envelope, bytes).await;
        }
        self.checkin(conn).await;
        result.map_err(SmtpError::Smtp)
    }

    async fn checkout(&self) -> Result<(AsyncSmtpConnection, bool), SmtpError> {
        loop {
            let parked = self.idle.lock().await.pop();
            let Some((mut conn, since)) = parked else {
                break;
            };
            // A connection parked a moment ago is used as is (a broken one fails the send,
            // which is retried); one parked longer is checked with NOOP first, since
            // servers drop idle clients.
            let idle_for = since.elapsed();
            if idle_for < FRESH_FOR || (idle_for < IDLE_FOR && conn.test_connected().await) {
                return Ok((conn, true));
            }
            conn.abort().await;
        }
        Ok((self.connect().await?, false))
    }

    async fn checkin(&self, mut conn: AsyncSmtpConnection) {
        if conn.has_broken() {
            conn.abort().await;
            return;
        }
        let mut idle = self.idle.lock().await;
        if idle.len() < self.max_idle {
            idle.push((conn, Instant::now()));
        } else {
            drop(idle);
            let _ = conn.quit().await;
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        let timed_out = || {
            SmtpError::Connect(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "hết thời gian chờ",
            ))
        };
        if self.security == Security::Tls {
            let connect = AsyncSmtpConnection::connect_tokio1(
                (self.host.as_str(), self.port),
                Some(self.timeout),
                &self.hello,
                self.tls.clone(),
                None,
            );
            let mut conn = tokio::time::timeout(self.timeout, connect)
                .await
                .map_err(|_| timed_out())?
                .map_err(SmtpError::Smtp)?;
            self.login(&mut conn).await?;
            return Ok(conn);
        }
        let tcp = tokio::time::timeout(
            self.timeout,
            tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| timed_out())?
        .map_err(SmtpError::Connect)?;
        tcp.set_nodelay(true).map_err(SmtpError::Connect)?;
        let greet = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello);
        let mut conn = tokio::time::timeout(self.timeout, greet)
            .await
            .map_err(|_| timed_out())?
            .map_err(SmtpError::Smtp)?;
        if let Some(tls) = &self.tls {
            let wanted = match self.security {
                Security::StartTls => true,
                Security::Opportunistic => conn.can_starttls(),
                _ => false,
            };
            if wanted {
                let upgrade = conn.starttls(tls.clone(), &self.hello);
                tokio::time::timeout(self.timeout, upgrade)
                    .await
                    .map_err(|_| timed_out())?
                    .map_err(SmtpError::Smtp)?;
            }
        }
        self.login(&mut conn).await?;
        Ok(conn)
    }

    async fn login(&self, conn: &mut AsyncSmtpConnection) -> Result<(), SmtpError> {
        if let Some(credentials) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(SmtpError::Smtp)?;
        }
        Ok(())
    }

    /// Says QUIT on every idle connection.
    pub async fn shutdown(&self) {
        let parked = std::mem::take(&mut *self.idle.lock().await);
        for (mut conn, _) in parked {
            let _ = tokio::time::timeout(Duration::from_secs(2), conn.quit()).await;
        }
    }
}
