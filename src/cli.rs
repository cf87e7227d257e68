//! The command line (contract §4): serve, init, migrate, user add, send-test-mail.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::domain::{OrgKind, Role};
use crate::error::AppError;
use crate::services::{self, Actor};
use crate::startup::{self, Application, ServeOptions};

#[derive(Parser, Debug)]
#[command(
    name = "capdo",
    version,
    about = "capdo — quản lý cấp độ an toàn hệ thống thông tin"
)]
pub struct Cli {
    /// Tệp cấu hình (mặc định: ./capdo.toml nếu có).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Áp dụng migration rồi phục vụ API, giao diện web và các tác vụ nền (mặc định).
    Serve,
    /// Khởi tạo cơ sở dữ liệu trống: đơn vị gốc và quản trị viên đầu tiên.
    Init {
        /// Tên đơn vị gốc, ví dụ "Sở Công Thương tỉnh X".
        #[arg(long)]
        org: String,
        /// Mã viết tắt của đơn vị dùng trong số văn bản, ví dụ SCT.
        #[arg(long)]
        code: String,
        /// Loại đơn vị gốc: province, department, district, commune, unit.
        #[arg(long, default_value = "department")]
        org_kind: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long, default_value = "Quản trị viên")]
        admin_name: String,
        /// Đọc mật khẩu từ một dòng trên đầu vào chuẩn thay vì hỏi.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Áp dụng các migration còn thiếu rồi thoát.
    Migrate,
    /// Đọc dữ kiện hệ thống (JSON hoặc YAML; `-` là đầu vào chuẩn) và in kết quả xác định cấp độ.
    Classify {
        /// Mã bộ quy tắc, ví dụ nd85-2016.
        #[arg(long)]
        regime: Option<String>,
        /// Ngày xác định cấp độ (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        /// Tệp dữ kiện, hoặc `-` cho đầu vào chuẩn.
        file: String,
    },
    /// Nạp và kiểm tra các bộ quy tắc, in tóm tắt.
    CheckRules {
        /// Thư mục bộ quy tắc (mặc định: các bộ nhúng sẵn và rules_dir).
        dir: Option<PathBuf>,
    },
    /// Nạp dữ liệu mẫu: năm hệ thống của báo cáo Sở Công Thương Đồng Nai, N hệ thống ngẫu nhiên, N hồ sơ đề xuất cấp độ đang xử lý.
    DemoData {
        /// Số hệ thống ngẫu nhiên cần tạo.
        #[arg(long)]
        systems: Option<usize>,
        /// Số hồ sơ đề xuất cấp độ cần mở trên các hệ thống chưa có hồ sơ đang mở, ở các bước xử lý khác nhau.
        #[arg(long)]
        dossiers: Option<usize>,
        /// Số hệ thống (đã có cấp độ) cần lập bảng đánh giá đáp ứng yêu cầu cơ bản năm nay, với các mức đáp ứng mẫu.
        #[arg(long)]
        compliance: Option<usize>,
        /// Năm hệ thống của báo cáo Sở Công Thương Đồng Nai (2021).
        #[arg(long)]
        seed_example: bool,
        /// Mã đơn vị quản lý (mặc định: đơn vị gốc).
        #[arg(long)]
        org: Option<String>,
    },
    /// Gửi ngay một thư thử qua cách gửi thư đã cấu hình và in câu trả lời của máy chủ thư.
    SendTestMail {
        /// Địa chỉ nhận thư thử.
        to: String,
    },
    /// Chạy một lượt nhắc hạn (và thư tổng hợp nếu là thứ Hai): thư được đưa vào hàng đợi, mỗi thư chỉ một lần.
    Reminders {
        /// Ngày tính (mặc định hôm nay theo giờ Việt Nam).
        #[arg(long)]
        date: Option<String>,
    },
    /// Quản lý tài khoản.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Tạo một tài khoản.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin | security_officer | operator | viewer
        #[arg(long)]
        role: String,
        /// Mã (ví dụ SCT-VP) hoặc mã định danh của đơn vị.
        #[arg(long)]
        org: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Runs the command; errors are printed in Vietnamese and give a non-zero exit code.
pub fn run(cli: Cli) -> ExitCode {
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => migrate(&config),
        Command::Classify { regime, date, file } => return classify(&config, regime, date, &file),
        Command::CheckRules { dir } => check_rules(&config, dir),
        Command::SendTestMail { to } => return send_test_mail(&config, &to),
        Command::Reminders { date } => reminders(&config, date.as_deref()),
        Command::DemoData {
            systems,
            dossiers,
            compliance,
            seed_example,
            org,
        } => demo_data(&config, systems, dossiers, compliance, seed_example, org),
        Command::Init {
            org,
            code,
            org_kind,
            admin_email,
            admin_name,
            password_stdin,
        } => init(
            &config,
            org,
            code,
            org_kind,
            admin_email,
            admin_name,
            password_stdin,
        ),
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    org,
                    password_stdin,
                },
        } => user_add(&config, email, name, role, org, password_stdin),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Lỗi: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        tracing::info!(config = ?config, "khởi động capdo");
        let app = Application::build(config.clone(), ServeOptions::default())?;
        let state = app.state();
        let needs_init = state.db.run(services::setup::needs_init).await?;
        if needs_init {
            eprintln!(
                "Chưa có tài khoản nào. Tạo đơn vị gốc và quản trị viên đầu tiên bằng lệnh:\n\n  \
                 capdo init --org \"Tên cơ quan\" --code MA --admin-email quantri@coquan.gov.vn --admin-name \"Họ và tên\"\n"
            );
        }
        tracing::info!(address = %config.bind, port = app.port(), "capdo đang phục vụ tại {}", config.public_url);
        app.run_until_signal().await
    })
}

fn migrate(config: &Config) -> anyhow::Result<()> {
    let db = startup::open_database(config)?;
    let _ = db;
    println!("Cơ sở dữ liệu đã ở phiên bản mới nhất.");
    Ok(())
}

/// `capdo reminders [--date YYYY-MM-DD]`: one reminder pass; the server's mail worker delivers.
fn reminders(config: &Config, date: Option<&str>) -> anyhow::Result<()> {
    let today = match date {
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("--date phải có dạng YYYY-MM-DD"))?,
        None => crate::rules::today_in_vietnam(),
    };
    let registry = startup::load_rules(config)?;
    let db = startup::open_database(config)?;
    let mut conn = db.pool().get()?;
    let report = services::reminders::run(&mut conn, &registry, config, today).map_err(explain)?;
    println!(
        "Ngày {}: {} thư nhắc hạn, {} thư tổng hợp đã đưa vào hàng đợi; {} thư đã gửi trước đó, không gửi lại.",
        today.format("%d/%m/%Y"),
        report.reminders,
        report.digests,
        report.already_sent
    );
    Ok(())
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\n', '\r']).to_string();
        anyhow::ensure!(
            !password.is_empty(),
            "không đọc được mật khẩu từ đầu vào chuẩn"
        );
        return Ok(password);
    }
    let first = rpassword::prompt_password("Mật khẩu: ")?;
    let second = rpassword::prompt_password("Nhập lại mật khẩu: ")?;
    anyhow::ensure!(first == second, "hai lần nhập mật khẩu không khớp");
    Ok(first)
}

/// Describes a use-case error for the terminal, field messages included.
fn explain(err: AppError) -> anyhow::Error {
    match &err {
        AppError::Validation { message, fields } if !fields.is_empty() => {
            let details: Vec<String> = fields
                .iter()
                .map(|(f, m)| format!("{f}: {}", m.join("; ")))
                .collect();
            anyhow::anyhow!("{message} — {}", details.join(" | "))
        }
        AppError::Internal(cause) => anyhow::anyhow!("{cause:#}"),
        _ => anyhow::anyhow!("{err}"),
    }
}

fn init(
    config: &Config,
    org: String,
    code: String,
    org_kind: String,
    admin_email: String,
    admin_name: String,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let kind = OrgKind::parse(&org_kind).ok_or_else(|| {
        anyhow::anyhow!(
            "--org-kind `{org_kind}` không hợp lệ (province, department, district, commune, unit)"
        )
    })?;
    let db = startup::open_database(config)?;
    let mut conn = db.pool().get()?;
    if !services::setup::needs_init(&mut conn).map_err(explain)? {
        anyhow::bail!("cơ sở dữ liệu đã được khởi tạo (đã có tài khoản); dùng `capdo user add` để thêm người dùng");
    }
    let password = read_password(password_stdin)?;
    let (org, admin) = services::setup::init(
        &mut conn,
        services::setup::InitInput {
            org_name: org,
            org_code: code,
            org_kind: kind,
            admin_email,
            admin_name,
            admin_password: password,
        },
    )
    .map_err(explain)?;
    println!(
        "Đã tạo đơn vị gốc {} ({}) và quản trị viên {}.",
        org.name, org.code, admin.email
    );
    println!(
        "Chạy `capdo serve` rồi mở {} để đăng nhập.",
        config.public_url
    );
    Ok(())
}

fn user_add(
    config: &Config,
    email: String,
    name: String,
    role: String,
    org: String,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let role = Role::parse(&role).ok_or_else(|| {
        anyhow::anyhow!("--role `{role}` không hợp lệ (admin, security_officer, operator, viewer)")
    })?;
    let db = startup::open_database(config)?;
    let mut conn = db.pool().get()?;
    let organization = services::organizations::find_by_id_or_code(&mut conn, &org)
        .map_err(explain)?
        .ok_or_else(|| anyhow::anyhow!("không tìm thấy đơn vị `{org}`"))?;
    let password = read_password(password_stdin)?;
    let user = services::users::create(
        &mut conn,
        &Actor::console(),
        services::users::UserInput {
            email,
            full_name: name,
            role,
            organization_id: organization.id,
            password,
        },
    )
    .map_err(explain)?;
    println!(
        "Đã tạo tài khoản {} ({}) thuộc {}.",
        user.email,
        role.label(),
        organization.name
    );
    Ok(())
}

/// Prints the classification JSON; invalid facts or an unknown regime exit with code 2.
fn classify(config: &Config, regime: Option<String>, date: Option<String>, file: &str) -> ExitCode {
    let usage_error = |message: String| {
        eprintln!("{message}");
        ExitCode::from(2)
    };
    let registry = match startup::load_rules(config) {
        Ok(r) => r,
        Err(e) => return usage_error(format!("Lỗi: {e:#}")),
    };
    let date = match date
        .as_deref()
        .map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d"))
    {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => return usage_error("Lỗi: --date phải có dạng YYYY-MM-DD".into()),
    };
    let text = if file == "-" {
        let mut buf = String::new();
        match std::io::Read::read_to_string(&mut std::io::stdin(), &mut buf) {
            Ok(_) => buf,
            Err(e) => return usage_error(format!("Lỗi: không đọc được đầu vào chuẩn: {e}")),
        }
    } else {
        match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => return usage_error(format!("Lỗi: không đọc được tệp {file}: {e}")),
        }
    };
    let facts = match parse_facts(&text) {
        Ok(f) => f,
        Err(message) => return usage_error(format!("Dữ kiện không hợp lệ: {message}")),
    };
    match services::classification::classify_json(&registry, &facts, regime.as_deref(), date, "") {
        Ok(json) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(err) => usage_error(format!("{}", explain(err))),
    }
}

/// JSON when it looks like JSON, YAML otherwise; the message names the field at fault.
fn parse_facts(text: &str) -> Result<crate::domain::SystemFacts, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| describe_shape(&e.to_string()))
    } else {
        serde_saphyr::from_str(text).map_err(|e| {
            let first = e.to_string().lines().next().unwrap_or_default().to_string();
            describe_shape(&first)
        })
    }
}

fn describe_shape(message: &str) -> String {
    match crate::error::shape_error(message) {
        AppError::Validation { fields, message } if !fields.is_empty() => {
            let details: Vec<String> = fields
                .iter()
                .map(|(f, m)| format!("{f}: {}", m.join("; ")))
                .collect();
            format!("{message} — {}", details.join(" | "))
        }
        other => other.to_string(),
    }
}

fn check_rules(config: &Config, dir: Option<PathBuf>) -> anyhow::Result<()> {
    let registry = match &dir {
        Some(dir) => crate::rules::Registry::load_only(dir),
        None => crate::rules::Registry::load(config.rules_dir.as_deref()),
    }
    .map_err(|errors| {
        for e in &errors {
            eprintln!("{e}");
        }
        anyhow::anyhow!("{} lỗi trong bộ quy tắc", errors.len())
    })?;
    for pack in registry.packs() {
        let m = &pack.meta;
        let until = m
            .effective_until
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| "nay".into());
        println!("{} — {} ({})", m.id, m.title, pack.origin);
        println!(
            "  hiệu lực: {} – {}",
            m.effective_from.format("%d/%m/%Y"),
            until
        );
        let mut per_level = [0usize; 5];
        for c in &pack.criteria {
            per_level[usize::from(c.level - 1)] += 1;
        }
        let levels: Vec<String> = per_level
            .iter()
            .enumerate()
            .map(|(i, n)| format!("cấp độ {}: {n}", i + 1))
            .collect();
        println!(
            "  tiêu chí: {} ({})",
            pack.criteria.len(),
            levels.join(", ")
        );
        println!(
            "  cấp độ tối thiểu theo văn bản khác: {}",
            pack.minimums.len()
        );
        for rule in &pack.minimums {
            println!(
                "    {} → cấp độ {} ({})",
                rule.id, rule.level, rule.citation
            );
        }
        println!(
            "  câu hỏi: {}, cảnh báo: {}",
            pack.questions.len(),
            pack.warnings.len()
        );
        println!(
            "  chuyển trình tự: {}, nghĩa vụ: {}, biểu mẫu: {}",
            pack.escalations.len(),
            pack.obligations.len(),
            pack.forms.len()
        );
        if let Some(t) = &pack.transition {
            println!(
                "  chuyển tiếp từ {}: giữ cấp độ đã phê duyệt, đáp ứng yêu cầu mới trước {}{}",
                t.predecessor,
                t.keep_approved.comply_by.format("%d/%m/%Y"),
                t.investment_projects
                    .as_ref()
                    .map(|p| format!(
                        "; dự án đầu tư trước {} hoàn thành phê duyệt theo {} trước {}",
                        p.started_before.format("%d/%m/%Y"),
                        p.finish_under,
                        p.approve_by.format("%d/%m/%Y")
                    ))
                    .unwrap_or_default()
            );
        }
        if let Some(d) = &pack.dossier {
            for line in d.summary() {
                println!("  {line}");
            }
        }
        let v = &pack.vocabulary;
        let ids = |t: &[crate::rules::model::Term]| {
            t.iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!("  từ vựng kind: {}", ids(&v.kind));
        println!("  từ vựng tier: {}", ids(&v.tier));
        println!("  từ vựng tags: {}", ids(&v.tags));
    }
    for b in registry.baselines() {
        let levels: Vec<String> = (1..=5u8)
            .map(|l| format!("cấp độ {l}: {}", b.applicable(l, None).count()))
            .collect();
        println!(
            "{} — danh mục yêu cầu cơ bản của {} ({}): {} yêu cầu ({}; chưa kể yêu cầu theo hình thức lưu trữ)",
            b.id,
            b.regime,
            b.origin,
            b.requirements.len(),
            levels.join(", ")
        );
    }
    let calendar_dir = dir.as_deref().or(config.rules_dir.as_deref());
    let calendar = crate::rules::calendar::Calendar::load(calendar_dir).map_err(|errors| {
        for e in &errors {
            eprintln!("{e}");
        }
        anyhow::anyhow!("{} lỗi trong lịch nghỉ lễ", errors.len())
    })?;
    for line in calendar.summary() {
        println!("{line}");
    }
    println!("Tất cả bộ quy tắc hợp lệ.");
    Ok(())
}

fn demo_data(
    config: &Config,
    systems: Option<usize>,
    dossiers: Option<usize>,
    compliance: Option<usize>,
    seed_example: bool,
    org: Option<String>,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        systems.is_some() || dossiers.is_some() || compliance.is_some() || seed_example,
        "chọn --seed-example, --systems N, --dossiers N hoặc --compliance N"
    );
    let registry = startup::load_rules(config)?;
    let db = startup::open_database(config)?;
    let mut conn = db.pool().get()?;
    let organization = match &org {
        Some(key) => {
            services::organizations::find_by_id_or_code(&mut conn, key).map_err(explain)?
        }
        None => crate::repo::organizations::list_in_scope(&mut conn, "/", &Default::default())?
            .into_iter()
            .next(),
    }
    .ok_or_else(|| {
        anyhow::anyhow!("chưa có đơn vị: chạy `capdo init` trước (hoặc kiểm tra --org)")
    })?;
    let today = crate::rules::today_in_vietnam();
    if seed_example {
        for (name, level) in
            services::demo::seed_example(&mut conn, &registry, &organization, today)
                .map_err(explain)?
        {
            let level = level
                .map(|l| format!("cấp độ {l}"))
                .unwrap_or_else(|| "chưa xác định".into());
            println!("  {name}: {level}");
        }
        println!("Đã nạp 5 hệ thống mẫu vào {}.", organization.name);
    }
    if let Some(n) = systems {
        let started = std::time::Instant::now();
        let created = services::demo::seed_random(&mut conn, &registry, &organization, n, today)
            .map_err(explain)?;
        println!(
            "Đã tạo {created} hệ thống mẫu trong {:.1} giây.",
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(n) = compliance {
        demo_compliance(&mut conn, &registry, &organization, n, today)?;
    }
    if let Some(n) = dossiers {
        demo_dossiers(&mut conn, &registry, &organization, n, today)?;
    }
    Ok(())
}

/// `demo-data --compliance N`: this year's checklists with sample answers.
fn demo_compliance(
    conn: &mut crate::db::AnyConn,
    registry: &crate::rules::Registry,
    organization: &crate::repo::organizations::OrganizationRow,
    n: usize,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let r = services::demo_compliance::seed_compliance(conn, registry, organization, n, today)
        .map_err(explain)?;
    println!(
        "Đã lập {} bảng đánh giá đáp ứng yêu cầu ({} yêu cầu, {} văn bản minh chứng) cho {} hệ thống trong {:.1} giây; {} hệ thống đã có bảng đánh giá được giữ nguyên.",
        r.reviews,
        r.items,
        r.evidence,
        r.systems,
        started.elapsed().as_secs_f64(),
        r.skipped
    );
    if r.systems + r.skipped < n {
        println!(
            "Chỉ có {} hệ thống đã có cấp độ trong {}; hãy tạo thêm hệ thống (--systems) để có đủ {n}.",
            r.systems + r.skipped,
            organization.name
        );
    }
    Ok(())
}

/// `demo-data --dossiers N`: the clocks are reckoned on the configured calendar and packs.
fn demo_dossiers(
    conn: &mut crate::db::AnyConn,
    registry: &crate::rules::Registry,
    organization: &crate::repo::organizations::OrganizationRow,
    n: usize,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let report = services::demo_dossiers::seed_dossiers(conn, registry, organization, n, today)
        .map_err(explain)?;
    let statuses: Vec<String> = report
        .by_status
        .iter()
        .map(|(s, count)| format!("{count} “{}”", s.label()))
        .collect();
    println!(
        "Đã mở {} hồ sơ đề xuất cấp độ trong {:.1} giây: {}; {} hồ sơ đang chạy thời hạn, {} quá hạn.",
        report.created,
        started.elapsed().as_secs_f64(),
        statuses.join(", "),
        report.clocks,
        report.overdue
    );
    Ok(())
}

/// Exit 0 with the server's reply, 1 with the exact failure, 2 on a bad address.
fn send_test_mail(config: &Config, to: &str) -> ExitCode {
    if let Err(message) = crate::mail::message::parse_address(to) {
        eprintln!("Lỗi: {message}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(crate::mail::send_test(config, to)) {
        Ok(reply) => {
            println!("Đã gửi thư thử tới {}. Trả lời: {reply}", to.trim());
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("Gửi thư thử thất bại: {reason}");
            ExitCode::FAILURE
        }
    }
}
