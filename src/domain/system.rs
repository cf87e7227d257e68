//! Vocabulary of the system register: lifecycle status and hosting.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SystemStatus {
    /// Đang xây dựng, chưa vận hành.
    Planned,
    /// Đang vận hành.
    InOperation,
    /// Đã dừng vận hành.
    Retired,
}

impl SystemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InOperation => "in_operation",
            Self::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Planned, Self::InOperation, Self::Retired]
            .into_iter()
            .find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "Đang xây dựng",
            Self::InOperation => "Đang vận hành",
            Self::Retired => "Đã dừng vận hành",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HostingKind {
    /// Trung tâm dữ liệu của tỉnh.
    ProvincialDataCenter,
    /// Phòng máy chủ của cơ quan.
    OwnServerRoom,
    /// Thuê nhà cung cấp bên ngoài.
    OutsideProvider,
    /// Điện toán đám mây.
    Cloud,
}

impl HostingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProvincialDataCenter => "provincial_data_center",
            Self::OwnServerRoom => "own_server_room",
            Self::OutsideProvider => "outside_provider",
            Self::Cloud => "cloud",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::ProvincialDataCenter,
            Self::OwnServerRoom,
            Self::OutsideProvider,
            Self::Cloud,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ProvincialDataCenter => "Trung tâm dữ liệu tỉnh",
            Self::OwnServerRoom => "Phòng máy chủ của cơ quan",
            Self::OutsideProvider => "Thuê nhà cung cấp bên ngoài",
            Self::Cloud => "Điện toán đám mây",
        }
    }
}

/// Shown wherever a proposal below the computed level appears.
pub const BELOW_CRITERIA_LABEL: &str = "Thấp hơn cấp độ xác định theo tiêu chí";
