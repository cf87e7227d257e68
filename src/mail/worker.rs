//! The outbox worker: claims due messages in batches, sends them through the pooled
//! transport, records each reply, retries transient failures with backoff.
//!
//! Delivery is at least once. A claimed message carries a lease (`claimed_until`); its
//! result is written as soon as the send returns, one short transaction per group of
//! results. A message is sent a second time only if the server accepted it and the process
//! died (or lost its database) before that write: the lease then expires and another
//! worker, or the restarted process, sends it again with the same Message-ID, which lets
//! mail systems recognise the duplicate. A send cut off by the worker's own time limit
//! (`send_timeout`) is treated the same way, since the server may have accepted it. A
//! clean shutdown lets sends in flight finish and gives untried messages back at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rand::Rng;
use tokio::sync::{mpsc, watch, Notify, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

use super::message::Outgoing;
use super::transport::{FailureKind, Mailer, SendFailure};
use crate::config::MailConfig;
use crate::db::{self, Db};
use crate::repo::outbox::{self as rows, OutboxRow};

/// Timings and limits of the worker; `from_config` gives the production values.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// Messages sent at once (= pooled SMTP connections).
    pub concurrency: usize,
    /// Most messages per minute; 0 = no limit.
    pub rate_per_minute: u32,
    /// Attempts before a transient failure becomes `failed`.
    pub max_attempts: i32,
    /// Messages claimed per transaction (memory stays flat whatever the queue length).
    pub batch_size: i64,
    /// How often the queue is polled when nobody calls `Notifier::notify`.
    pub poll_interval: Duration,
    /// How long a claim holds a message before another worker may take it.
    pub lease: Duration,
    /// Longest a single send may take; must stay well below `lease`.
    pub send_timeout: Duration,
    /// Delay after the first failed attempt; doubles with every attempt.
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
}

impl WorkerOptions {
    pub fn from_config(mail: &MailConfig) -> Self {
        Self {
            concurrency: mail.pool_size.max(1) as usize,
            rate_per_minute: mail.rate_per_minute,
            max_attempts: i32::try_from(mail.max_attempts).unwrap_or(i32::MAX),
            batch_size: 100,
            poll_interval: Duration::from_secs(5),
            lease: Duration::from_secs(120),
            send_timeout: Duration::from_secs(60),
            backoff_base: Duration::from_secs(30),
            backoff_cap: Duration::from_secs(3600),
        }
    }

    /// Delay before the next try after `attempts` failed ones: base × 2^(attempts−1),
    /// capped, with ±20 % jitter so retries of one broadcast do not arrive together.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let exp = attempts.clamp(1, 20) as u32 - 1;
        let raw = self.backoff_base.saturating_mul(2u32.saturating_pow(exp));
        let capped = raw.min(self.backoff_cap);
        capped.mul_f64(rand::rng().random_range(0.8..1.2))
    }

    fn batch_limit(&self) -> i64 {
        let mut limit = self.batch_size.max(1);
        if self.rate_per_minute > 0 {
            // At most half a minute of waiting on the rate limit per claim, far inside the lease.
            limit = limit.min(i64::from(self.rate_per_minute / 2).max(1));
        }
        limit
    }
}

/// Wakes the worker at once (after committing a transaction that enqueued messages).
#[derive(Clone, Default)]
pub struct Notifier(Arc<Notify>);

impl Notifier {
    pub fn notify(&self) {
        // A permit is kept when the worker is busy, so the wake-up is not lost.
        self.0.notify_one();
    }
}

/// Starts the worker; it ends once `stop` turns true (or its sender is dropped), after
/// in-flight sends finished and untried claims were released.
pub fn spawn(
    db: Db,
    mailer: Mailer,
    options: WorkerOptions,
    notifier: Notifier,
    stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    let limiter = std::num::NonZeroU32::new(options.rate_per_minute).and_then(|per_minute| {
        Quota::with_period(Duration::from_secs(60) / per_minute.get())
            .map(|q| Arc::new(RateLimiter::direct(q)))
    });
    let worker = Worker {
        db,
        mailer,
        options,
        notifier,
        limiter,
    };
    tokio::spawn(worker.run(stop))
}

struct Worker {
    db: Db,
    mailer: Mailer,
    options: WorkerOptions,
    notifier: Notifier,
    limiter: Option<Arc<DefaultDirectRateLimiter>>,
}

fn is_stopped(stop: &watch::Receiver<bool>) -> bool {
    *stop.borrow() || stop.has_changed().is_err()
}

async fn wait_stop(stop: &mut watch::Receiver<bool>) {
    loop {
        if *stop.borrow_and_update() {
            return;
        }
        if stop.changed().await.is_err() {
            return;
        }
    }
}

fn later(now: NaiveDateTime, by: Duration) -> NaiveDateTime {
    use chrono::SubsecRound;
    (now + chrono::Duration::from_std(by).unwrap_or(chrono::Duration::hours(1))).trunc_subsecs(6)
}

impl Worker {
    async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::debug!(transport = %self.mailer.describe(), "mail worker started");
        loop {
            if is_stopped(&stop) {
                break;
            }
            let mut unreachable = false;
            loop {
                let limit = self.options.batch_limit();
                let now = db::now();
                let lease_until = later(now, self.options.lease);
                let claimed = self
                    .db
                    .run(move |conn| Ok(rows::claim(conn, now, lease_until, limit)?))
                    .await;
                let batch = match claimed {
                    Ok(batch) if batch.is_empty() => break,
                    Ok(batch) => batch,
                    Err(e) => {
                        tracing::warn!(error = %e, "claiming outbox messages failed");
                        break;
                    }
                };
                let full = batch.len() as i64 == limit;
                unreachable = self.deliver(batch, &mut stop).await;
                if unreachable || !full || is_stopped(&stop) {
                    break;
                }
            }
            if is_stopped(&stop) {
                break;
            }
            tokio::select! {
                _ = self.notifier.0.notified(), if !unreachable => {}
                _ = tokio::time::sleep(self.options.poll_interval) => {}
                _ = wait_stop(&mut stop) => break,
            }
        }
        self.mailer.shutdown().await;
        tracing::debug!("mail worker stopped");
    }

    /// Sends one claimed batch; true when the server could not be reached (the rest of the
    /// batch is then given back untried).
    async fn deliver(&self, batch: Vec<OutboxRow>, stop: &mut watch::Receiver<bool>) -> bool {
        let unreachable = Arc::new(AtomicBool::new(false));
        let permits = Arc::new(Semaphore::new(self.options.concurrency.max(1)));
        let (results, received) = mpsc::unbounded_channel();
        let recorder = tokio::spawn(record(self.db.clone(), received));
        let budget = chrono::Duration::from_std(self.options.send_timeout)
            .unwrap_or(chrono::Duration::seconds(60));
        let mut sends = JoinSet::new();
        let mut untried: Vec<(String, NaiveDateTime)> = Vec::new();
        for row in batch {
            let Some(lease) = row.claimed_until else {
                continue;
            };
            if is_stopped(stop) || unreachable.load(Ordering::Relaxed) {
                untried.push((row.id, lease));
                continue;
            }
            let permit = tokio::select! {
                biased;
                _ = wait_stop(stop) => None,
                p = permits.clone().acquire_owned() => p.ok(),
            };
            let Some(permit) = permit else {
                untried.push((row.id, lease));
                continue;
            };
            if let Some(limiter) = &self.limiter {
                let waited = tokio::select! {
                    biased;
                    _ = wait_stop(stop) => false,
                    _ = limiter.until_ready() => true,
                };
                if !waited {
                    untried.push((row.id, lease));
                    continue;
                }
            }
            // Never start a send that could outlive the lease: another worker might take it.
            if unreachable.load(Ordering::Relaxed) || db::now() + budget > lease {
                untried.push((row.id, lease));
                continue;
            }
            let mailer = self.mailer.clone();
            let results = results.clone();
            let unreachable = unreachable.clone();
            let options = self.options.clone();
            sends.spawn(async move {
                let outgoing = Outgoing::from_row(&row);
                let sent = match tokio::time::timeout(options.send_timeout, mailer.send(&outgoing))
                    .await
                {
                    Ok(result) => result,
                    Err(_) => Err(SendFailure {
                        kind: FailureKind::Unreachable,
                        reason: format!(
                            "hết thời gian chờ: gửi thư chưa xong sau {} giây",
                            options.send_timeout.as_secs()
                        ),
                    }),
                };
                drop(permit);
                let outcome = decide(&row, sent, &options, &unreachable);
                let _ = results.send(Recorded {
                    id: row.id,
                    lease,
                    outcome,
                });
            });
        }
        while sends.join_next().await.is_some() {}
        drop(results);
        let _ = recorder.await;
        let unreachable = unreachable.load(Ordering::Relaxed);
        if !untried.is_empty() {
            let now = db::now();
            let due = if unreachable {
                later(now, self.options.backoff_base)
            } else {
                now
            };
            let released = self
                .db
                .run(move |conn| {
                    db::write_tx(conn, |conn| {
                        for (id, lease) in &untried {
                            rows::release(conn, id, *lease, due, now)?;
                        }
                        Ok(untried.len())
                    })
                })
                .await;
            match released {
                Ok(n) => tracing::debug!(released = n, "untried outbox messages released"),
                Err(e) => {
                    tracing::warn!(error = %e, "releasing outbox messages failed; their leases will expire")
                }
            }
        }
        unreachable
    }
}

enum Outcome {
    Sent(String),
    Retry(String, NaiveDateTime),
    Failed(String),
}

struct Recorded {
    id: String,
    lease: NaiveDateTime,
    outcome: Outcome,
}

fn decide(
    row: &OutboxRow,
    sent: Result<String, SendFailure>,
    options: &WorkerOptions,
    unreachable: &AtomicBool,
) -> Outcome {
    match sent {
        Ok(reply) => Outcome::Sent(reply),
        Err(failure) if failure.kind == FailureKind::Permanent => Outcome::Failed(failure.reason),
        Err(failure) => {
            if failure.kind == FailureKind::Unreachable {
                unreachable.store(true, Ordering::Relaxed);
            }
            if row.attempts >= options.max_attempts {
                Outcome::Failed(format!(
                    "{} (đã thử {} lần, ngừng gửi)",
                    failure.reason, row.attempts
                ))
            } else {
                let next = later(db::now(), options.backoff(row.attempts));
                Outcome::Retry(failure.reason, next)
            }
        }
    }
}

/// Writes results as they arrive, grouping those already waiting into one transaction.
async fn record(db: Db, mut received: mpsc::UnboundedReceiver<Recorded>) {
    let mut buffer = Vec::new();
    while received.recv_many(&mut buffer, 64).await > 0 {
        let group = Arc::new(std::mem::take(&mut buffer));
        for attempt in 1..=3 {
            let group = group.clone();
            let written = db
                .run(move |conn| {
                    let now = db::now();
                    db::write_tx(conn, |conn| {
                        for r in group.iter() {
                            let applied = match &r.outcome {
                                Outcome::Sent(reply) => {
                                    rows::mark_sent(conn, &r.id, r.lease, reply, now)?
                                }
                                Outcome::Retry(reason, next) => {
                                    rows::mark_retry(conn, &r.id, r.lease, reason, *next, now)?
                                }
                                Outcome::Failed(reason) => {
                                    rows::mark_failed(conn, &r.id, r.lease, reason, now)?
                                }
                            };
                            if !applied {
                                tracing::warn!(id = %r.id, "outbox lease lost before the result was recorded");
                            }
                            match &r.outcome {
                                Outcome::Failed(reason) => {
                                    tracing::warn!(id = %r.id, reason = %reason, "message failed")
                                }
                                Outcome::Retry(reason, _) => {
                                    tracing::info!(id = %r.id, reason = %reason, "message will be retried")
                                }
                                Outcome::Sent(_) => tracing::debug!(id = %r.id, "message sent"),
                            }
                        }
                        Ok(())
                    })
                })
                .await;
            match written {
                Ok(()) => break,
                Err(e) if attempt < 3 => {
                    tracing::warn!(error = %e, "recording mail results failed; retrying");
                    tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "recording mail results failed; the messages will be sent again when their leases expire")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> WorkerOptions {
        WorkerOptions::from_config(
            &crate::config::Config::with_data_dir(std::path::Path::new("/tmp"))
                .unwrap()
                .mail,
        )
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let o = options();
        let first = o.backoff(1).as_secs_f64();
        assert!((24.0..=36.0).contains(&first), "{first}");
        let third = o.backoff(3).as_secs_f64();
        assert!((96.0..=144.0).contains(&third), "{third}");
        assert!(o.backoff(30) <= Duration::from_secs(4320));
    }

    #[test]
    fn a_rate_limit_shrinks_the_batch() {
        let mut o = options();
        assert_eq!(o.batch_limit(), 100);
        o.rate_per_minute = 60;
        assert_eq!(o.batch_limit(), 30);
        o.rate_per_minute = 1;
        assert_eq!(o.batch_limit(), 1);
    }
}
