//! The value types of the calendar: day units, confidence, caveats and errors.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::EMBEDDED_FILE;

/// The unit of a legal time limit, as the regime's pack states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    /// "ngày làm việc".
    Working,
    /// "ngày": calendar days.
    Calendar,
}

impl DayUnit {
    /// `working_days`, or `calendar_days` (`days`, the older spelling of the packs' `levels:`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "working_days" => Some(Self::Working),
            "calendar_days" | "days" => Some(Self::Calendar),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Working => "ngày làm việc",
            Self::Calendar => "ngày",
        }
    }
}

/// How firmly a day of the calendar is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// From the official notice of the year's days off.
    Official,
    /// Follows from the Labour Code alone (fixed holiday, compensatory day).
    Statutory,
    /// capdo's estimate before the official notice: applied, with a caveat.
    Estimated,
    /// Reported, not in force: not applied (still a working day), with a caveat.
    Unconfirmed,
}

impl Confidence {
    pub(super) fn applied(self) -> bool {
        self != Self::Unconfirmed
    }

    pub(super) fn certain(self) -> bool {
        matches!(self, Self::Official | Self::Statutory)
    }
}

/// Why a day is or is not a working day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Working,
    WeeklyRest,
    /// A holiday, compensatory day or swapped day off.
    DayOff,
    /// A weekly rest day that became a working day (làm bù).
    MakeUp,
}

/// One day as the calendar sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub working: bool,
    pub kind: DayKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Something the user must know about a computed date: it rests on an estimate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Caveat {
    /// The year's days off are not officially known yet.
    ProvisionalYear { year: i32, note: String },
    /// A day the count went through is estimated, or reported but not applied.
    UncertainDay {
        date: NaiveDate,
        title: String,
        confidence: Confidence,
    },
}

impl fmt::Display for Caveat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caveat::ProvisionalYear { year, note } => {
                write!(
                    f,
                    "Lịch nghỉ lễ năm {year} chưa được công bố chính thức. {note}"
                )
            }
            Caveat::UncertainDay {
                date,
                title,
                confidence,
            } => {
                let d = date.format("%d/%m/%Y");
                match confidence {
                    Confidence::Unconfirmed => write!(
                        f,
                        "Ngày {d} ({title}) được đưa tin là ngày nghỉ nhưng chưa có văn bản có hiệu lực; capdo tính là ngày làm việc."
                    ),
                    _ => write!(
                        f,
                        "Ngày {d} ({title}) là ngày nghỉ do capdo ước tính; thời hạn có thể thay đổi khi có lịch nghỉ chính thức."
                    ),
                }
            }
        }
    }
}

/// A computed value with the caveats it rests on (empty when certain).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reckoned<T> {
    pub value: T,
    pub caveats: Vec<Caveat>,
}

impl<T> Reckoned<T> {
    pub fn is_certain(&self) -> bool {
        self.caveats.is_empty()
    }
}

/// A date the calendar cannot judge.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("Ngày {} nằm ngoài các năm có lịch nghỉ lễ ({first}–{last}): capdo không tự giả định ngày nghỉ, cần cập nhật lịch nghỉ lễ ({EMBEDDED_FILE})", .date.format("%d/%m/%Y"))]
    OutOfRange {
        date: NaiveDate,
        first: i32,
        last: i32,
    },
}

/// A holiday on the same solar date every year (Bộ luật Lao động 2019 Điều 112 khoản 1).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct FixedHoliday {
    /// `MM-DD`.
    pub month_day: String,
    pub title: String,
}

/// A year of the calendar, for display.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct YearSummary {
    pub year: i32,
    pub provisional: bool,
    /// Mùng 1 Tết Nguyên đán.
    pub tet: NaiveDate,
    /// Giỗ Tổ Hùng Vương (10/3 âm lịch).
    pub hung_kings: NaiveDate,
    pub days_off: usize,
    pub make_up_days: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
