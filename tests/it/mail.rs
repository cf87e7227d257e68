//! Mail against a real in-process SMTP server: UTF-8, retries, 5xx, restart, files, CLI.

mod sink;

use std::collections::HashSet;
use std::process::Command;
use std::time::{Duration, Instant};

use capdo::config::{Config, MailTransport, Secret};
use capdo::db::{write_tx, DatabaseTarget, Db};
use capdo::mail::{enqueue_many, Mailer, NewMessage, Notifier, WorkerOptions};
use capdo::repo::outbox::{self as rows, OutboxRow};
use sink::{free_port, parse, test_ca, SinkOptions, SmtpServer};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::support::TestDatabase;

/// One test's data directory, database and mail configuration.
struct Env {
    config: Config,
    db: Db,
    // Dropped after the pool.
    _database: TestDatabase,
    dir: tempfile::TempDir,
}

impl Env {
    fn new(configure: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = TestDatabase::new(dir.path());
        let mut config = Config::with_data_dir(dir.path()).unwrap();
        config.database = DatabaseTarget::parse(&database.url()).unwrap();
        config.database_url = Secret::new(database.url());
        configure(&mut config);
        let db = capdo::startup::open_database(&config).unwrap();
        Self {
            config,
            db,
            _database: database,
            dir,
        }
    }

    fn smtp(url: &str, pool_size: u32) -> Self {
        let url = url.to_string();
        Self::new(move |c| {
            c.mail.transport = MailTransport::Smtp;
            c.mail.smtp_url = Some(Secret::new(url));
            c.mail.pool_size = pool_size;
        })
    }

    fn options(&self) -> WorkerOptions {
        WorkerOptions {
            poll_interval: Duration::from_millis(50),
            backoff_base: Duration::from_millis(100),
            backoff_cap: Duration::from_millis(400),
            send_timeout: Duration::from_secs(10),
            ..WorkerOptions::from_config(&self.config.mail)
        }
    }

    fn start(&self, options: WorkerOptions) -> Running {
        let (stop, stop_rx) = watch::channel(false);
        let notifier = Notifier::default();
        let mailer = Mailer::from_config(&self.config).unwrap();
        let handle =
            capdo::mail::worker::spawn(self.db.clone(), mailer, options, notifier.clone(), stop_rx);
        Running {
            stop,
            handle,
            notifier,
        }
    }

    async fn enqueue(&self, messages: Vec<NewMessage>) {
        let n = messages.len();
        let written = self
            .db
            .run(move |conn| write_tx(conn, |conn| enqueue_many(conn, messages)))
            .await
            .unwrap();
        assert_eq!(written, n);
    }

    async fn all_rows(&self) -> Vec<OutboxRow> {
        use capdo::db::schema::outbox;
        use diesel::prelude::*;
        self.db
            .run(|conn| {
                Ok(outbox::table
                    .order(outbox::id.asc())
                    .select(OutboxRow::as_select())
                    .load(conn)?)
            })
            .await
            .unwrap()
    }

    /// Waits until every row satisfies `done` (20 s at most).
    async fn wait_rows(&self, what: &str, done: impl Fn(&[OutboxRow]) -> bool) -> Vec<OutboxRow> {
        let started = Instant::now();
        loop {
            let rows = self.all_rows().await;
            if done(&rows) {
                return rows;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}: {:#?}",
                rows.iter()
                    .map(|r| (&r.to_address, &r.status, r.attempts, &r.last_reply))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    async fn wait_all(&self, status: &str) -> Vec<OutboxRow> {
        self.wait_rows(status, |rows| rows.iter().all(|r| r.status == status))
            .await
    }
}

struct Running {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
    notifier: Notifier,
}

impl Running {
    async fn stop(self) {
        let _ = self.stop.send(true);
        tokio::time::timeout(Duration::from_secs(20), self.handle)
            .await
            .expect("the worker stops promptly")
            .unwrap();
    }
}

fn alert(to: &str) -> NewMessage {
    NewMessage::new(
        "alert",
        to,
        "[Cảnh báo ATTT][Cao] Lỗ hổng",
        "Đề nghị cập nhật bản vá.",
    )
}

fn recipients(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("nguoinhan{i}@sct.gov.vn")).collect()
}

#[tokio::test]
async fn utf8_subject_and_body_arrive_intact() {
    let server = SmtpServer::start(SinkOptions::default());
    let env = Env::smtp(&server.url(), 2);
    let subject = "[Cảnh báo ATTT][Nghiêm trọng] Lỗ hổng thực thi mã từ xa trong Microsoft Exchange Server — cập nhật bản vá khẩn cấp";
    let text = "Kính gửi đồng chí Trần Thị Bích Ngọc,\n\nCục An toàn thông tin cảnh báo lỗ hổng CVE-2021-26855.\nHành động yêu cầu: cập nhật bản vá trước ngày 15/03/2021.\n\nTrân trọng.";
    let html = "<p>Kính gửi đồng chí <strong>Trần Thị Bích Ngọc</strong>,</p><p>Hành động yêu cầu: cập nhật bản vá — hạn 15/03/2021.</p>";
    env.enqueue(vec![NewMessage::new(
        "alert",
        "ngoc.ttb@sct.gov.vn",
        subject,
        text,
    )
    .with_name("Trần Thị Bích Ngọc")
    .with_html(html)
    .with_ref("delivery-1")])
        .await;
    let worker = env.start(env.options());
    let rows = env.wait_all("sent").await;
    worker.stop().await;

    let received = server.received();
    assert_eq!(received.len(), 1);
    let message = parse(&received[0].data);
    assert_eq!(message.header("Subject").as_deref(), Some(subject));
    assert_eq!(message.text.as_deref(), Some(text));
    assert_eq!(message.html.as_deref(), Some(html));
    assert!(message.header("To").unwrap().contains("Trần Thị Bích Ngọc"));
    assert_eq!(message.header("Message-ID").unwrap(), rows[0].message_id);
    assert!(rows[0].message_id.ends_with("@localhost>"));
    assert_eq!(
        rows[0].last_reply.as_deref(),
        Some("250 2.0.0 Ok: queued as capdo-test")
    );
    assert!(rows[0].sent_at.is_some() && rows[0].claimed_until.is_none());
    assert_eq!(received[0].to, vec!["ngoc.ttb@sct.gov.vn".to_string()]);

    // Trackers read the status by reference.
    let by_ref = env
        .db
        .run(|conn| {
            Ok(rows::latest_by_ref(
                conn,
                "alert",
                &["delivery-1".to_string()],
            )?)
        })
        .await
        .unwrap();
    assert_eq!(by_ref["delivery-1"].status, "sent");
}

#[tokio::test]
async fn a_server_down_at_first_gets_everything_once_it_is_up() {
    let port = free_port();
    let env = Env::smtp(&format!("smtp://127.0.0.1:{port}"), 2);
    let to = recipients(6);
    env.enqueue(to.iter().map(|a| alert(a)).collect()).await;
    let worker = env.start(WorkerOptions {
        max_attempts: 50,
        ..env.options()
    });
    // Every message has been tried and is waiting for a retry, with the reason.
    let rows = env
        .wait_rows("a refused first attempt", |rows| {
            rows.iter().any(|r| r.attempts >= 1)
                && rows.iter().all(|r| r.status == "queued")
                && rows.iter().any(|r| {
                    r.last_reply
                        .as_deref()
                        .is_some_and(|m| m.contains("kết nối bị từ chối"))
                })
        })
        .await;
    assert!(rows.iter().all(|r| r.sent_at.is_none()));

    let server = SmtpServer::start_at(port, SinkOptions::default());
    let rows = env.wait_all("sent").await;
    worker.stop().await;
    assert!(rows.iter().all(|r| r
        .last_reply
        .as_deref()
        .is_some_and(|m| m.starts_with("250"))));
    assert!(rows.iter().any(|r| r.attempts >= 2));
    let received = server.received();
    assert_eq!(received.len(), 6);
    let got: HashSet<String> = received.iter().map(|m| m.to[0].clone()).collect();
    assert_eq!(got, to.into_iter().collect());
}

#[tokio::test]
async fn a_transient_failure_stops_after_the_last_attempt() {
    let env = Env::smtp(&format!("smtp://127.0.0.1:{}", free_port()), 1);
    env.enqueue(vec![alert("an@sct.gov.vn")]).await;
    let worker = env.start(WorkerOptions {
        max_attempts: 2,
        ..env.options()
    });
    let rows = env.wait_all("failed").await;
    worker.stop().await;
    assert_eq!(rows[0].attempts, 2);
    let reason = rows[0].last_reply.as_deref().unwrap();
    assert!(reason.contains("kết nối bị từ chối"), "{reason}");
    assert!(reason.contains("đã thử 2 lần"), "{reason}");
}

#[tokio::test]
async fn a_rejected_recipient_fails_alone_with_the_reason() {
    let server = SmtpServer::start(SinkOptions {
        reject: vec!["khongton@sct.gov.vn".into()],
        ..Default::default()
    });
    let env = Env::smtp(&server.url(), 2);
    let mut to = recipients(3);
    to.insert(1, "khongton@sct.gov.vn".into());
    env.enqueue(to.iter().map(|a| alert(a)).collect()).await;
    let worker = env.start(env.options());
    let rows = env
        .wait_rows("final states", |rows| {
            rows.iter()
                .all(|r| r.status == "sent" || r.status == "failed")
        })
        .await;
    worker.stop().await;
    for row in &rows {
        if row.to_address == "khongton@sct.gov.vn" {
            assert_eq!(row.status, "failed");
            assert_eq!(row.attempts, 1, "a 5xx is not retried");
            let reason = row.last_reply.as_deref().unwrap();
            assert!(reason.contains("550"), "{reason}");
            assert!(reason.contains("từ chối"), "{reason}");
        } else {
            assert_eq!(row.status, "sent", "{row:?}");
        }
    }
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_restart_mid_broadcast_loses_nothing_and_sends_nothing_twice() {
    let server = SmtpServer::start(SinkOptions {
        delay: Duration::from_millis(40),
        ..Default::default()
    });
    let env = Env::smtp(&server.url(), 2);
    let to = recipients(40);
    env.enqueue(to.iter().map(|a| alert(a)).collect()).await;

    let first = env.start(WorkerOptions {
        batch_size: 10,
        ..env.options()
    });
    env.wait_rows("some sent", |rows| {
        rows.iter().filter(|r| r.status == "sent").count() >= 8
    })
    .await;
    first.stop().await;
    let after_stop = env.all_rows().await;
    assert!(
        after_stop.iter().all(|r| r.status != "sending"),
        "a clean stop leaves no claimed message behind"
    );
    let sent_by_first = after_stop.iter().filter(|r| r.status == "sent").count();
    assert!(
        sent_by_first < 40,
        "the broadcast was stopped in the middle"
    );
    assert_eq!(server.received().len(), sent_by_first);

    let second = env.start(env.options());
    let rows = env.wait_all("sent").await;
    second.stop().await;
    assert!(
        rows.iter().all(|r| r.attempts == 1),
        "nothing was tried twice"
    );
    let received = server.received();
    assert_eq!(received.len(), 40, "no message lost, none sent twice");
    let ids: HashSet<String> = received
        .iter()
        .map(|m| parse(&m.data).header("Message-ID").unwrap())
        .collect();
    assert_eq!(ids.len(), 40);
    let expected: HashSet<String> = rows.iter().map(|r| r.message_id.clone()).collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn an_expired_lease_is_claimed_again_and_the_old_holder_changes_nothing() {
    let env = Env::new(|_| {});
    env.enqueue(vec![alert("an@sct.gov.vn").with_ref("d-1")])
        .await;
    let (first, again, later, stale) = env
        .db
        .run(|conn| {
            let now = capdo::db::now();
            let lease = now + chrono::Duration::minutes(2);
            let first = rows::claim(conn, now, lease, 10)?;
            let again = rows::claim(conn, now, lease, 10)?;
            // The holder died: three minutes later the lease has expired.
            let later_now = now + chrono::Duration::minutes(3);
            let later = rows::claim(
                conn,
                later_now,
                later_now + chrono::Duration::minutes(2),
                10,
            )?;
            let stale = rows::mark_sent(conn, &first[0].id, lease, "250 OK", later_now)?;
            Ok((first, again, later, stale))
        })
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    assert!(again.is_empty(), "a held message is not claimed twice");
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].attempts, 2);
    assert_eq!(later[0].message_id, first[0].message_id, "same Message-ID");
    assert!(!stale, "the expired holder cannot record a result");

    // A resend for the same reference supersedes the first message for trackers.
    env.enqueue(vec![alert("an@sct.gov.vn").with_ref("d-1")])
        .await;
    let (latest, summary) = env
        .db
        .run(|conn| {
            Ok((
                rows::latest_by_ref(conn, "alert", &["d-1".to_string()])?,
                rows::summary(conn)?,
            ))
        })
        .await
        .unwrap();
    assert_ne!(latest["d-1"].id, first[0].id);
    assert_eq!((summary.queued, summary.sending), (1, 1));
}

#[tokio::test]
async fn the_file_transport_writes_one_eml_per_message() {
    let env = Env::new(|_| {});
    assert_eq!(env.config.mail.transport, MailTransport::File);
    env.enqueue(vec![alert("an@sct.gov.vn"), alert("binh@sct.gov.vn")])
        .await;
    let worker = env.start(env.options());
    let rows = env.wait_all("sent").await;
    worker.stop().await;
    for row in rows {
        let path = env.dir.path().join("mail").join(format!("{}.eml", row.id));
        let bytes = std::fs::read(&path).expect("the .eml file");
        let message = parse(&bytes);
        assert_eq!(message.header("Message-ID").unwrap(), row.message_id);
        assert_eq!(
            message.header("Subject").as_deref(),
            Some("[Cảnh báo ATTT][Cao] Lỗ hổng")
        );
        assert!(row.last_reply.unwrap().starts_with("đã ghi tệp"));
    }
}

#[tokio::test]
async fn the_none_transport_marks_messages_sent_without_sending() {
    let env = Env::new(|c| c.mail.transport = MailTransport::None);
    env.enqueue(vec![alert("an@sct.gov.vn")]).await;
    let worker = env.start(env.options());
    let rows = env.wait_all("sent").await;
    worker.stop().await;
    assert_eq!(
        rows[0].last_reply.as_deref(),
        Some("không gửi (mail.transport = none)")
    );
}

#[tokio::test]
async fn a_notification_starts_sending_at_once() {
    let server = SmtpServer::start(SinkOptions::default());
    let env = Env::smtp(&server.url(), 1);
    let worker = env.start(WorkerOptions {
        poll_interval: Duration::from_secs(3600),
        ..env.options()
    });
    // Let the worker find the queue empty and go to sleep.
    tokio::time::sleep(Duration::from_millis(200)).await;
    env.enqueue(vec![alert("an@sct.gov.vn")]).await;
    worker.notifier.notify();
    env.wait_all("sent").await;
    worker.stop().await;
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn invalid_messages_are_refused_at_enqueue() {
    let env = Env::new(|_| {});
    let err = env
        .db
        .run(|conn| capdo::mail::enqueue(conn, alert("không phải địa chỉ")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "validation_failed");
    assert!(env.all_rows().await.is_empty());
}

fn send_test_mail(dir: &std::path::Path, smtp_url: &str, to: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_capdo"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CAPDO_DATA_DIR", dir)
        .env("CAPDO_MAIL_TRANSPORT", "smtp")
        .env("CAPDO_SMTP_URL", smtp_url)
        .env("CAPDO_MAIL_FROM", "canhbao@sct.gov.vn")
        .env("RUST_LOG", "warn")
        .args(["send-test-mail", to])
        .output()
        .unwrap()
}

#[test]
fn send_test_mail_reports_the_reply_or_the_exact_failure() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(SinkOptions::default());
    let out = send_test_mail(dir.path(), &server.url(), "an@sct.gov.vn");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("250 2.0.0 Ok: queued as capdo-test"),
        "{stdout}"
    );
    let received = server.received();
    assert_eq!(received.len(), 1);
    let message = parse(&received[0].data);
    assert!(message
        .header("Subject")
        .unwrap()
        .starts_with("Thư thử từ capdo"));
    assert!(message
        .header("Message-ID")
        .unwrap()
        .ends_with("@sct.gov.vn>"));

    let down = send_test_mail(
        dir.path(),
        &format!("smtp://127.0.0.1:{}", free_port()),
        "an@sct.gov.vn",
    );
    assert_eq!(down.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&down.stderr);
    assert!(stderr.contains("kết nối bị từ chối"), "{stderr}");

    let bad = send_test_mail(dir.path(), &server.url(), "không-phải-địa-chỉ");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("không phải địa chỉ thư điện tử hợp lệ"));

    let bad_config = send_test_mail(dir.path(), "smtp://127.0.0.1:25?tls=maybe", "an@sct.gov.vn");
    assert_eq!(bad_config.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_config.stderr).contains("mail.smtp_url"));
}

#[tokio::test]
async fn starttls_with_login_a_custom_ca_and_a_helo_name() {
    let server = SmtpServer::start(SinkOptions {
        starttls: true,
        login: Some(("capdo".into(), "mật khẩu:@/".into())),
        ..Default::default()
    });
    let url = format!(
        "smtp://capdo:m%E1%BA%ADt%20kh%E1%BA%A9u%3A%40%2F@127.0.0.1:{}?tls=starttls",
        server.port
    );
    let mut env = Env::smtp(&url, 1);
    env.config.mail.ca_file = Some(test_ca());
    env.config.mail.helo_name = Some("capdo.sct.gov.vn".into());
    env.enqueue(vec![alert("an@sct.gov.vn")]).await;
    let worker = env.start(env.options());
    let rows = env.wait_all("sent").await;
    worker.stop().await;
    assert!(rows[0].last_reply.as_deref().unwrap().starts_with("250"));
    assert_eq!(server.received().len(), 1);
    assert!(server.helos().iter().all(|h| h == "capdo.sct.gov.vn"));

    // The same server through the "Gửi thư thử" API: without the CA the certificate is not
    // trusted; with a wrong password the server's refusal is reported.
    let reply = capdo::mail::send_test(&env.config, "an@sct.gov.vn").await;
    assert!(reply.unwrap().starts_with("250"));
    let mut untrusted = env.config.clone();
    untrusted.mail.ca_file = None;
    let err = capdo::mail::send_test(&untrusted, "an@sct.gov.vn")
        .await
        .unwrap_err();
    assert!(err.contains("lỗi TLS"), "{err}");
    let mut wrong = env.config.clone();
    wrong.mail.smtp_url = Some(Secret::new(format!(
        "smtp://capdo:sai@127.0.0.1:{}?tls=starttls",
        server.port
    )));
    let err = capdo::mail::send_test(&wrong, "an@sct.gov.vn")
        .await
        .unwrap_err();
    assert!(err.contains("xác thực") && err.contains("535"), "{err}");
    assert!(!err.contains("sai@"), "no secret in the message: {err}");
}

/// Broadcast throughput (issue 6 benchmark), run by `bench/mail.sh`:
/// `CAPDO_BENCH_RECIPIENTS=10000 CAPDO_BENCH_POOL=4 cargo test --release --test it
/// mail::broadcast_benchmark -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn broadcast_benchmark() {
    let number = |key: &str, default: usize| {
        std::env::var(key)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let recipients = number("CAPDO_BENCH_RECIPIENTS", 10_000);
    let pool = number("CAPDO_BENCH_POOL", 4) as u32;
    let server = SmtpServer::start(SinkOptions {
        discard_bodies: true,
        ..Default::default()
    });
    let env = Env::smtp(&server.url(), pool);
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
            })
            .unwrap_or_default()
    };
    let started = Instant::now();
    let html = "<p>Đề nghị cập nhật bản vá ngay.</p>".repeat(20);
    env.db
        .run(move |conn| {
            write_tx(conn, |conn| {
                enqueue_many(
                    conn,
                    (0..recipients).map(|i| {
                        alert(&format!("nguoinhan{i}@sct.gov.vn"))
                            .with_ref(format!("d-{i}"))
                            .with_html(html.clone())
                    }),
                )
            })
        })
        .await
        .unwrap();
    let enqueued = started.elapsed();
    let started = Instant::now();
    let worker = env.start(WorkerOptions::from_config(&env.config.mail));
    worker.notifier.notify();
    loop {
        let summary = env.db.run(|c| Ok(rows::summary(c)?)).await.unwrap();
        if summary.sent + summary.failed == recipients as i64 {
            assert_eq!(summary.failed, 0);
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(600), "{summary:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = started.elapsed();
    worker.stop().await;
    assert_eq!(server.received().len(), recipients);
    println!(
        "mail benchmark: {recipients} recipients, pool {pool}: enqueued in {:.2} s, delivered in {:.2} s = {:.0} msg/s, peak RSS {}",
        enqueued.as_secs_f64(),
        took.as_secs_f64(),
        recipients as f64 / took.as_secs_f64(),
        rss()
    );
}
