//! The real `capdo` binary: init, user add, migrate, configuration errors, serve and SIGTERM.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{TestDatabase, PASSWORD};

fn capdo(dir: &std::path::Path, db: &TestDatabase) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_capdo"));
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CAPDO_DATA_DIR", dir)
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "warn");
    cmd
}

fn run_with_stdin(mut cmd: Command, stdin: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn init_then_user_add_and_a_second_init_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::new(dir.path());
    let mut init = capdo(dir.path(), &db);
    init.args([
        "init",
        "--org",
        "Sở Thông tin",
        "--code",
        "STT",
        "--admin-email",
        "qt@stt.gov.vn",
        "--admin-name",
        "Lê Quản Trị",
        "--password-stdin",
    ]);
    let out = run_with_stdin(init, &format!("{PASSWORD}\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã tạo đơn vị gốc"));

    let mut again = capdo(dir.path(), &db);
    again.args([
        "init",
        "--org",
        "Khác",
        "--code",
        "KH",
        "--admin-email",
        "k@kh.gov.vn",
        "--password-stdin",
    ]);
    let out = run_with_stdin(again, &format!("{PASSWORD}\n"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("đã được khởi tạo"));

    let mut add = capdo(dir.path(), &db);
    add.args([
        "user",
        "add",
        "--email",
        "attt@stt.gov.vn",
        "--name",
        "Chuyên Trách",
        "--role",
        "security_officer",
        "--org",
        "stt",
        "--password-stdin",
    ]);
    let out = run_with_stdin(add, &format!("{PASSWORD}\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut weak = capdo(dir.path(), &db);
    weak.args([
        "user",
        "add",
        "--email",
        "yeu@stt.gov.vn",
        "--name",
        "Yếu",
        "--role",
        "viewer",
        "--org",
        "STT",
        "--password-stdin",
    ]);
    let out = run_with_stdin(weak, "ngan\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("10 ký tự"));

    let mut bad_role = capdo(dir.path(), &db);
    bad_role.args([
        "user",
        "add",
        "--email",
        "x@stt.gov.vn",
        "--name",
        "X",
        "--role",
        "root",
        "--org",
        "STT",
        "--password-stdin",
    ]);
    let out = run_with_stdin(bad_role, &format!("{PASSWORD}\n"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--role"));
}

#[test]
fn invalid_configuration_stops_with_one_message_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::new(dir.path());
    let out = capdo(dir.path(), &db)
        .env("CAPDO_BIND", "không-phải-địa-chỉ")
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`bind`"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");

    std::fs::write(
        dir.path().join("capdo.toml"),
        "[mail]\ntransport = \"bồ câu\"\n",
    )
    .unwrap();
    let out = capdo(dir.path(), &db).arg("migrate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mail.transport"));

    let secret = "CAPDO_JWT_SECRET";
    let out = capdo(dir.path(), &db)
        .env(secret, "ngắn")
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn serve_explains_init_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::new(dir.path());
    let port = free_port();
    let mut child = capdo(dir.path(), &db)
        .env("CAPDO_BIND", format!("127.0.0.1:{port}"))
        .env("CAPDO_JWT_SECRET", "x".repeat(40))
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "server did not stop within 15 s");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(exit.success(), "{exit:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("capdo init --org"), "{stderr}");
    assert!(
        !stderr.contains(&"x".repeat(40)),
        "the secret never reaches the log"
    );
}

#[test]
fn demo_data_loads_the_seed_example_with_its_levels() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::new(dir.path());
    let mut init = capdo(dir.path(), &db);
    init.args([
        "init",
        "--org",
        "Sở Công Thương Đồng Nai",
        "--code",
        "SCT",
        "--admin-email",
        "qt@sct.gov.vn",
        "--password-stdin",
    ]);
    assert!(run_with_stdin(init, &format!("{PASSWORD}\n"))
        .status
        .success());
    let out = capdo(dir.path(), &db)
        .args(["demo-data", "--seed-example"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for (name, level) in [
        ("Cổng thông tin điện tử Sở Công Thương", 2),
        ("Cơ sở dữ liệu ngành Công Thương", 3),
        ("Hệ thống đăng ký khuyến mại", 3),
        ("Trang thông tin điện tử Trung tâm Xúc tiến Thương mại", 2),
        ("Trang thông tin điện tử Trung tâm Khuyến công", 2),
    ] {
        assert!(
            text.contains(&format!("{name}: cấp độ {level}")),
            "{name}: {text}"
        );
    }
    let out = capdo(dir.path(), &db)
        .args(["demo-data", "--systems", "120"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Đã tạo 120 hệ thống"));
    let out = capdo(dir.path(), &db).arg("demo-data").output().unwrap();
    assert!(!out.status.success(), "nothing asked for is an error");
}

/// Waits until the server accepts connections on `port`, or panics with its output.
fn wait_for_port(child: &mut std::process::Child, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Some(exit) = child.try_wait().unwrap() {
            panic!("server exited before listening: {exit:?}");
        }
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sigterm_lets_a_request_in_flight_finish() {
    use std::io::Read;

    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::new(dir.path());
    let mut init = capdo(dir.path(), &db);
    init.args([
        "init",
        "--org",
        "Sở Công Thương",
        "--code",
        "SCT",
        "--admin-email",
        "qt@sct.gov.vn",
        "--password-stdin",
    ]);
    assert!(run_with_stdin(init, &format!("{PASSWORD}\n"))
        .status
        .success());
    let port = free_port();
    let mut child = capdo(dir.path(), &db)
        .env("CAPDO_BIND", format!("127.0.0.1:{port}"))
        .env("CAPDO_JWT_SECRET", "x".repeat(40))
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_port(&mut child, port);

    // A login whose body is still arriving when the signal comes: the request is in flight
    // (read, then argon2 verification) while the server shuts down.
    let body = serde_json::json!({ "email": "qt@sct.gov.vn", "password": PASSWORD }).to_string();
    let (head, tail) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(head).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(500));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server waits for the request in flight"
    );

    stream.write_all(tail).unwrap();
    stream.flush().unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"token\""), "{response}");

    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("server did not stop within 15 s of the request finishing");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn serve_refuses_to_start_with_a_broken_rule_pack() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDatabase::new(dir.path());
    let rules = dir.path().join("quy-tac");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("hong.yaml"), "id: hong\ntitle: Hỏng\n").unwrap();
    let port = free_port();
    let mut child = capdo(dir.path(), &db)
        .env("CAPDO_BIND", format!("127.0.0.1:{port}"))
        .env("CAPDO_JWT_SECRET", "x".repeat(40))
        .env("CAPDO_RULES_DIR", &rules)
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve kept running with a broken pack");
        }
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
            "serve listens despite a broken pack"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!exit.success(), "{exit:?}");
    assert!(
        exit.code().is_some(),
        "an orderly exit, not a crash: {exit:?}"
    );
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let path = rules.join("hong.yaml").display().to_string();
    assert!(
        stderr.contains(&format!("{path}:")) || stderr.contains("hong.yaml:"),
        "the message names the file with its position: {stderr}"
    );
}
