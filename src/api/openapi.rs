//! The OpenAPI 3.1 document of every route, with the bearer scheme.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{ops, v1};

#[derive(OpenApi)]
#[openapi(
    info(title = "capdo API", description = "API của capdo: phân loại cấp độ, hồ sơ đề xuất cấp độ và cảnh báo an toàn thông tin."),
    paths(
        ops::healthz, ops::readyz, ops::metrics,
        v1::auth::login, v1::auth::logout, v1::auth::me, v1::auth::change_password,
        v1::organizations::list, v1::organizations::create, v1::organizations::get, v1::organizations::update,
        v1::users::list, v1::users::create, v1::users::get, v1::users::update,
        v1::audit::list,
        v1::classify::classify, v1::classify::compare, v1::classify::regimes,
        v1::systems::list, v1::systems::create, v1::systems::get, v1::systems::update, v1::systems::delete,
        v1::systems::approve, v1::systems::history, v1::system_documents::justification,
        v1::system_register::export, v1::system_register::import,
        v1::reports::regime_change, v1::reports::system_regimes, v1::annual_report::annual,
        v1::authorities::list, v1::authorities::create,
        v1::dossiers::list, v1::dossiers::create, v1::dossiers::get, v1::dossiers::update_component, v1::dossiers::transition,
        v1::dossier_documents::upload, v1::dossier_documents::list, v1::dossier_documents::download,
        v1::deadlines::deadlines, v1::assessments::list, v1::assessments::complete,
        v1::assessment_intervals::get, v1::assessment_intervals::put,
        v1::alerts::list, v1::alerts::create, v1::alerts::get, v1::alerts::update,
        v1::alerts::send, v1::alerts::resend, v1::alerts::deliveries,
        v1::requirements::list, v1::requirements::get,
        v1::compliance::get, v1::compliance::start, v1::compliance::reviews, v1::compliance::update_item,
        v1::compliance::plan, v1::compliance_evidence::add_evidence, v1::compliance_evidence::download, v1::compliance_evidence::delete_evidence,
        v1::compliance_reports::summary, v1::compliance_reports::gaps, v1::compliance_reports::export,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::rules::result::MatchedRule, crate::services::dossier_list::ListRole)),
    modifiers(&BearerScheme),
    tags(
        (name = "auth", description = "Đăng nhập, đăng xuất, tài khoản hiện tại"),
        (name = "organizations", description = "Cây tổ chức"),
        (name = "users", description = "Tài khoản người dùng"),
        (name = "audit", description = "Nhật ký thay đổi"),
        (name = "systems", description = "Danh mục hệ thống thông tin"),
        (name = "classification", description = "Xác định cấp độ theo bộ quy tắc pháp lý"),
        (name = "dossiers", description = "Hồ sơ đề xuất cấp độ: danh mục thành phần, gửi, thẩm định, phê duyệt"),
        (name = "assessments", description = "Kiểm tra, đánh giá định kỳ"),
        (name = "compliance", description = "Đáp ứng yêu cầu an toàn cơ bản theo cấp độ: danh mục yêu cầu, bảng đánh giá, minh chứng"),
        (name = "alerts", description = "Cảnh báo an toàn thông tin: soạn, gửi, theo dõi xác nhận"),
        (name = "reports", description = "Báo cáo: thay đổi cấp độ khi chuyển văn bản quy định"),
        (name = "operations", description = "Giám sát vận hành"),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}
