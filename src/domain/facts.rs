//! `SystemFacts` (contract §1): what the rules need to know about one information system.

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// Declares a fact enum whose serde names are also its codes for the rules engine
/// (declaration order = `VALUES` order = `code()`).
macro_rules! fact_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const VALUES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn code(self) -> u16 {
                self as u16
            }
        }
    };
}

fact_enum! {
    /// Đ6 k2: what the system serves.
    Function {
        /// Phục vụ hoạt động nội bộ.
        Internal = "internal",
        /// Phục vụ người dân, doanh nghiệp.
        CitizenBusiness = "citizen_business",
        /// Cơ sở hạ tầng thông tin.
        Infrastructure = "infrastructure",
        /// Điều khiển công nghiệp.
        IndustrialControl = "industrial_control",
        /// Khác.
        Other = "other",
    }
}

fact_enum! {
    /// Đ6 k1: kinds of information processed.
    InformationType {
        /// Thông tin công cộng.
        Public = "public",
        /// Thông tin riêng.
        Private = "private",
        /// Thông tin cá nhân.
        Personal = "personal",
        /// Bí mật nhà nước.
        StateSecret = "state_secret",
    }
}

fact_enum! {
    /// Độ mật of state secrets (Luật Bảo vệ bí mật nhà nước Điều 8).
    SecretGrade { Mat = "mat", ToiMat = "toi_mat", TuyetMat = "tuyet_mat" }
}

fact_enum! {
    /// Harm to defence or national security if the system is sabotaged.
    Harm { Harm = "harm", Serious = "serious", EspeciallySerious = "especially_serious" }
}

fact_enum! {
    /// Decree 42/2022 modes of online public services.
    ServiceMode { InformationOnly = "information_only", Partial = "partial", FullProcess = "full_process" }
}

fact_enum! {
    /// Whom a piece of information infrastructure serves.
    InfrastructureScope {
        OneAgency = "one_agency",
        MultiAgency = "multi_agency",
        Nationwide = "nationwide",
        International = "international",
    }
}

fact_enum! {
    /// Grade of the construction works an industrial control system serves.
    WorksGrade {
        Iv = "iv",
        Iii = "iii",
        Ii = "ii",
        I = "i",
        Special = "special",
        NationalSecurity = "national_security",
    }
}

/// The facts of one system. Unknown fields are rejected; a field only another regime reads is
/// kept, so one system can be classified under every regime.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemFacts {
    /// Chức năng của hệ thống (Đ6 k2 NĐ85): nội bộ, phục vụ người dân/doanh nghiệp, hạ tầng thông tin, điều khiển công nghiệp, khác.
    #[schema(value_type = Function)]
    pub function: Option<Function>,
    /// Loại thông tin được xử lý (Đ6 k1): công cộng, riêng, cá nhân, bí mật nhà nước; ít nhất một loại.
    #[serde(default)]
    pub information: Vec<InformationType>,
    /// Độ mật của bí mật nhà nước: mat, toi_mat, tuyet_mat; bắt buộc khi có bí mật nhà nước.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_secret_grade: Option<SecretGrade>,
    /// Mức độ tổn hại tới quốc phòng, an ninh quốc gia khi bị phá hoại, do chủ quản ghi nhận.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defence_security_harm: Option<Harm>,
    /// Hệ thống cung cấp dịch vụ trực tuyến cho người dân, doanh nghiệp (Đ8 k2 b).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_services: Option<bool>,
    /// Mức độ dịch vụ công trực tuyến theo thang 1–4 của Nghị định 43/2011.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_service_level: Option<i64>,
    /// Phương thức dịch vụ công theo Nghị định 42/2022: chỉ thông tin, một phần, toàn trình.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_service_mode: Option<ServiceMode>,
    /// Hồ sơ thủ tục hành chính được tiếp nhận và xử lý trực tuyến.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_filing: Option<bool>,
    /// Dịch vụ trực tuyến thuộc ngành, nghề kinh doanh có điều kiện.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional_business_service: Option<bool>,
    /// Mục trong danh mục ngành, nghề kinh doanh có điều kiện, ví dụ "Phụ lục IV Luật Đầu tư, STT …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional_business_item: Option<String>,
    /// Số người có thông tin riêng hoặc thông tin cá nhân được hệ thống xử lý.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data_subjects: Option<i64>,
    /// Trong số đó, số người có dữ liệu cá nhân nhạy cảm được xử lý.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_personal_data_subjects: Option<i64>,
    /// Hệ thống thông tin giải quyết thủ tục hành chính.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handles_administrative_procedures: Option<bool>,
    /// Phạm vi phục vụ của hạ tầng thông tin: một cơ quan, nhiều cơ quan (ngành/tỉnh), toàn quốc, kết nối quốc tế.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infrastructure_scope: Option<InfrastructureScope>,
    /// Phải vận hành 24/7, không chấp nhận ngừng vận hành khi không có kế hoạch trước.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuous_operation: Option<bool>,
    /// Hệ thống thông tin quốc gia phục vụ phát triển Chính phủ điện tử.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_egov_system: Option<bool>,
    /// Cấp công trình xây dựng mà hệ thống điều khiển công nghiệp phục vụ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ics_works_grade: Option<WorksGrade>,
    /// Lưu trữ tập trung dữ liệu đặc biệt quan trọng của quốc gia.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_national_data: Option<bool>,
    /// Cấp độ do Thủ tướng Chính phủ quyết định (1–5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prime_minister_level: Option<i64>,
    /// Cấp độ theo kết quả đánh giá rủi ro an ninh mạng (1–5; NĐ331).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_assessed_level: Option<i64>,
    /// Thuộc hoặc đáp ứng tiêu chí danh mục hệ thống quan trọng về an ninh quốc gia.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_security_important: Option<bool>,
    /// Loại hệ thống theo từ vựng của bộ quy tắc, ví dụ portal, database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Cấp hành chính của chủ quản: central, province, department, district, commune, enterprise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Nhãn bổ sung do bộ quy tắc khai báo.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Các hệ thống thành phần; cấp độ là cấp độ cao nhất (Đ5 k2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub components: Vec<SystemFacts>,
}

impl SystemFacts {
    /// Checks the facts that do not depend on a rule pack; field names are prefixed with
    /// `prefix` (e.g. `components[1].`) so nested errors point at the right place.
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        let mut fail = |field: &str, message: &str| {
            errors
                .entry(format!("{prefix}{field}"))
                .or_default()
                .push(message.to_string());
        };
        let Some(function) = self.function else {
            fail(
                "function",
                "Vui lòng chọn chức năng của hệ thống (Điều 6 khoản 2)",
            );
            return;
        };
        if self.information.is_empty() {
            fail(
                "information",
                "Vui lòng chọn ít nhất một loại thông tin hệ thống xử lý (Điều 6 khoản 1)",
            );
        }
        let mut seen = Vec::new();
        for info in &self.information {
            if seen.contains(info) {
                fail("information", "Một loại thông tin được chọn hai lần");
            }
            seen.push(*info);
        }
        let secret = self.information.contains(&InformationType::StateSecret);
        match (secret, self.state_secret_grade) {
            (true, None) => fail(
                "state_secret_grade",
                "Hệ thống xử lý bí mật nhà nước: vui lòng chọn độ mật (Mật, Tối mật, Tuyệt mật)",
            ),
            (false, Some(_)) => fail(
                "state_secret_grade",
                "Chỉ ghi độ mật khi hệ thống xử lý bí mật nhà nước",
            ),
            _ => {}
        }
        if self.ics_works_grade.is_some() && function != Function::IndustrialControl {
            fail(
                "ics_works_grade",
                "Cấp công trình chỉ áp dụng cho hệ thống điều khiển công nghiệp",
            );
        }
        if self.infrastructure_scope.is_some() && function != Function::Infrastructure {
            fail(
                "infrastructure_scope",
                "Phạm vi hạ tầng chỉ áp dụng cho hệ thống cơ sở hạ tầng thông tin",
            );
        }
        for (field, value) in [
            ("personal_data_subjects", self.personal_data_subjects),
            (
                "sensitive_personal_data_subjects",
                self.sensitive_personal_data_subjects,
            ),
        ] {
            if value.is_some_and(|v| v < 0) {
                fail(field, "Số người không được âm");
            }
        }
        if let (Some(all), Some(sensitive)) = (
            self.personal_data_subjects,
            self.sensitive_personal_data_subjects,
        ) {
            if sensitive > all {
                fail("sensitive_personal_data_subjects", "Số người có dữ liệu nhạy cảm không thể lớn hơn tổng số người có dữ liệu được xử lý");
            }
        }
        if self
            .public_service_level
            .is_some_and(|v| !(1..=4).contains(&v))
        {
            fail(
                "public_service_level",
                "Mức độ dịch vụ công trực tuyến từ 1 đến 4",
            );
        }
        for (field, value) in [
            ("prime_minister_level", self.prime_minister_level),
            ("risk_assessed_level", self.risk_assessed_level),
        ] {
            if value.is_some_and(|v| !(1..=5).contains(&v)) {
                fail(field, "Cấp độ từ 1 đến 5");
            }
        }
        for (i, component) in self.components.iter().enumerate() {
            component.check(&format!("{prefix}components[{i}]."), errors);
        }
    }
}
