//! Sample data: the five systems of the Đồng Nai seed report, and realistic random registers
//! for demonstrations and benchmarks.

use chrono::NaiveDate;
use serde_json::json;

use super::organizations::{self, OrganizationInput};
use super::systems::{self as systems_service, Product, SystemInput};
use super::Actor;
use crate::db::{write_tx, AnyConn};
use crate::domain::system::{HostingKind, SystemStatus};
use crate::domain::{OrgKind, SystemFacts};
use crate::error::AppError;
use crate::repo::organizations::OrganizationRow;
use crate::rules::Registry;

fn facts(value: serde_json::Value) -> Result<SystemFacts, AppError> {
    serde_json::from_value(value).map_err(AppError::internal)
}

#[allow(clippy::too_many_arguments)]
fn input(
    org: &OrganizationRow,
    name: &str,
    kind: &str,
    urls: &[&str],
    hosting: HostingKind,
    provider: Option<&str>,
    operator_id: Option<String>,
    facts: SystemFacts,
) -> SystemInput {
    SystemInput {
        organization_id: org.id.clone(),
        name: name.to_string(),
        description: String::new(),
        kind: Some(kind.to_string()),
        urls: urls.iter().map(|u| u.to_string()).collect(),
        hosting_kind: Some(hosting),
        hosting_provider: provider.map(str::to_string),
        data_in_vietnam: Some(true),
        owner_name: "UBND tỉnh Đồng Nai".to_string(),
        operator_id,
        appraiser_name: Some("Sở Thông tin và Truyền thông tỉnh Đồng Nai".to_string()),
        status: SystemStatus::InOperation,
        go_live_on: None,
        contact_ids: Vec::new(),
        products: Vec::new(),
        facts,
        component_ids: Vec::new(),
        proposed_level: None,
        proposal_justification: None,
        investment_before_law: false,
        chosen_regime: None,
    }
}

/// The five systems of Sở Công Thương Đồng Nai (2021) under `org`; returns (name, level).
pub fn seed_example(
    conn: &mut AnyConn,
    registry: &Registry,
    org: &OrganizationRow,
    today: NaiveDate,
) -> Result<Vec<(String, Option<i32>)>, AppError> {
    let actor = Actor::console();
    write_tx(conn, |conn| {
        let hosting = match crate::repo::organizations::find_by_code(conn, "DN-DLS")? {
            Some(existing) => existing,
            None => {
                let created = organizations::create(
                    conn,
                    &actor,
                    OrganizationInput {
                        name: "Công ty Cổ phần Dữ liệu số Đồng Nai".into(),
                        code: "DN-DLS".into(),
                        kind: OrgKind::External,
                        parent_id: Some(org.id.clone()),
                    },
                )?;
                crate::repo::organizations::find(conn, &created.id)?
                    .ok_or_else(AppError::not_found)?
            }
        };
        let portal = facts(
            json!({ "function": "citizen_business", "tier": "department", "information": ["public"], "public_service_level": 2, "conditional_business_service": false, "personal_data_subjects": 0 }),
        )?;
        let website = facts(
            json!({ "function": "citizen_business", "tier": "department", "information": ["public"], "online_filing": false, "conditional_business_service": false }),
        )?;
        let mut seeds = vec![
            input(
                org,
                "Cổng thông tin điện tử Sở Công Thương",
                "portal",
                &["https://sct.dongnai.gov.vn"],
                HostingKind::ProvincialDataCenter,
                Some("Trung tâm dữ liệu tỉnh Đồng Nai"),
                None,
                portal,
            ),
            input(
                org,
                "Cơ sở dữ liệu ngành Công Thương",
                "database",
                &["https://dlct.dongnai.gov.vn"],
                HostingKind::OutsideProvider,
                Some(&hosting.name),
                Some(hosting.id.clone()),
                facts(
                    json!({ "function": "infrastructure", "tier": "department", "information": ["private", "personal"], "infrastructure_scope": "multi_agency" }),
                )?,
            ),
            input(
                org,
                "Hệ thống đăng ký khuyến mại",
                "public_service_system",
                &["https://dkkm.dongnai.gov.vn"],
                HostingKind::ProvincialDataCenter,
                Some("Trung tâm dữ liệu tỉnh Đồng Nai"),
                None,
                facts(
                    json!({ "function": "citizen_business", "tier": "department", "information": ["private", "personal"], "online_services": true, "public_service_mode": "full_process", "online_filing": true, "handles_administrative_procedures": true, "conditional_business_service": false, "personal_data_subjects": 3200, "tags": ["national_public_service_portal"] }),
                )?,
            ),
            input(
                org,
                "Trang thông tin điện tử Trung tâm Xúc tiến Thương mại",
                "website",
                &["https://xttm.dongnai.gov.vn"],
                HostingKind::ProvincialDataCenter,
                None,
                None,
                website.clone(),
            ),
            input(
                org,
                "Trang thông tin điện tử Trung tâm Khuyến công",
                "website",
                &["https://khuyencong.dongnai.gov.vn"],
                HostingKind::ProvincialDataCenter,
                None,
                None,
                website,
            ),
        ];
        seeds[0].products = vec![Product {
            name: "Liferay Portal".into(),
            vendor: Some("Liferay".into()),
            version: Some("7.4".into()),
        }];
        let mut out = Vec::new();
        for seed in seeds {
            let view = systems_service::create(conn, registry, &actor, seed, today)?;
            out.push((view.name, view.classification.level));
        }
        Ok(out)
    })
}

const UNITS: &[&str] = &[
    "Văn phòng Sở",
    "Phòng Quản lý Thương mại",
    "Phòng Quản lý Công nghiệp",
    "Trung tâm Khuyến công",
    "Trung tâm Xúc tiến Thương mại",
    "Chi cục Quản lý thị trường",
    "Phòng Kỹ thuật An toàn",
    "Thanh tra Sở",
];
const SUBJECTS: &[&str] = &[
    "văn bản và điều hành",
    "hồ sơ công việc",
    "cán bộ công chức",
    "tài sản công",
    "doanh nghiệp công nghiệp",
    "thị trường xăng dầu",
    "an toàn thực phẩm",
    "khuyến công",
    "xúc tiến thương mại",
    "điện nông thôn",
    "cụm công nghiệp",
    "hóa chất",
    "vật liệu nổ công nghiệp",
    "thương mại điện tử",
    "chợ và siêu thị",
];
const KINDS: &[(&str, &str)] = &[
    ("portal", "Cổng thông tin điện tử"),
    ("website", "Trang thông tin điện tử"),
    ("document_management", "Hệ thống quản lý"),
    ("database", "Cơ sở dữ liệu"),
    ("public_service_system", "Hệ thống dịch vụ công trực tuyến"),
    ("email", "Hệ thống thư điện tử"),
    ("network", "Mạng nội bộ"),
];

/// A small deterministic generator, so the same N gives the same register.
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    /// A number in `0..n`; `n` must not be 0.
    pub(super) fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn random_facts(rng: &mut Lcg, kind: &str) -> serde_json::Value {
    match kind {
        "portal" | "website" => {
            json!({ "function": "citizen_business", "information": ["public"], "public_service_level": 1 + rng.next(2), "conditional_business_service": false })
        }
        "public_service_system" => {
            json!({ "function": "citizen_business", "information": ["private", "personal"], "online_filing": rng.next(3) > 0, "personal_data_subjects": rng.next(40_000), "conditional_business_service": false })
        }
        "database" => {
            let scope = ["one_agency", "multi_agency"][rng.next(2)];
            json!({ "function": "infrastructure", "information": ["private", "personal"], "infrastructure_scope": scope })
        }
        "network" => {
            json!({ "function": "infrastructure", "information": ["private"], "infrastructure_scope": "one_agency" })
        }
        _ => {
            let information: &[&str] = if rng.next(2) == 0 {
                &["public"]
            } else {
                &["private", "personal"]
            };
            json!({ "function": "internal", "information": information })
        }
    }
}

/// `count` realistic systems under `org`, written in batches of one transaction each.
pub fn seed_random(
    conn: &mut AnyConn,
    registry: &Registry,
    org: &OrganizationRow,
    count: usize,
    today: NaiveDate,
) -> Result<usize, AppError> {
    let actor = Actor::console();
    let mut rng = Lcg(count as u64 ^ 0x5EED);
    let mut created = 0;
    while created < count {
        let batch = (count - created).min(500);
        write_tx(conn, |conn| {
            for i in 0..batch {
                let n = created + i + 1;
                let (kind, prefix) = KINDS[rng.next(KINDS.len())];
                let unit = UNITS[rng.next(UNITS.len())];
                let subject = SUBJECTS[rng.next(SUBJECTS.len())];
                let name = format!("{prefix} {subject} — {unit} #{n}");
                let slug = format!("he-thong-{n}.sct.dongnai.gov.vn");
                let mut seed = input(
                    org,
                    &name,
                    kind,
                    &[slug.as_str()],
                    HostingKind::ProvincialDataCenter,
                    None,
                    None,
                    facts(random_facts(&mut rng, kind))?,
                );
                seed.description = format!("Phục vụ công tác {subject} của {unit}.");
                systems_service::create(conn, registry, &actor, seed, today)?;
            }
            Ok::<_, AppError>(())
        })?;
        created += batch;
    }
    refresh_statistics(conn)?;
    Ok(created)
}

/// After a bulk load the planners need fresh statistics (and PostgreSQL a visibility map for
/// index-only counts), or the first lists are slow.
fn refresh_statistics(conn: &mut AnyConn) -> Result<(), AppError> {
    use diesel::connection::SimpleConnection;
    let sql = match conn {
        AnyConn::Sqlite(_) => "ANALYZE",
        AnyConn::Postgres(_) => "VACUUM ANALYZE systems, system_search, system_documents",
    };
    conn.batch_execute(sql).map_err(AppError::from)
}
