//! The classification result (contract §2), borrowing its texts from the pack.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::duties::{AppliedEscalation, DossierScope, Form, Obligation};
use super::model::{Authority, Basis, DossierItem, PeriodicAssessment, Principle, Rule, TimeLimit};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Cấp độ xác định được theo tiêu chí.
    Determined,
    /// Có đề xuất nhưng dựa trên ước lượng hoặc nhận định cần người có thẩm quyền quyết định.
    NeedsReview,
    /// Không tiêu chí nào của văn bản áp dụng: cần quyết định của con người.
    Undetermined,
}

/// The regime a result was computed under.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RegimeRef<'p> {
    pub id: &'p str,
    /// Version of the pack text (SHA-256 prefix).
    pub version: &'p str,
    pub title: &'p str,
    pub effective_from: NaiveDate,
    pub effective_until: Option<NaiveDate>,
}

/// A criterion or minimum-level rule that fired.
#[derive(Clone, Copy, Debug)]
pub struct Matched<'p>(pub &'p Rule);

impl Serialize for Matched<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut st = s.serialize_struct("Matched", 7)?;
        st.serialize_field("rule", &r.id)?;
        st.serialize_field("level", &r.level)?;
        st.serialize_field("citation", &r.citation)?;
        st.serialize_field("summary", &r.summary)?;
        st.serialize_field("basis", &r.basis)?;
        if let Some(instrument) = &r.instrument {
            st.serialize_field("instrument", instrument)?;
        }
        if let Some(note) = &r.note {
            st.serialize_field("note", note)?;
        }
        st.end()
    }
}

/// Schema of `Matched` for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct MatchedRule {
    /// Mã tiêu chí, ví dụ `nd85.d9.k2.a`.
    rule: String,
    /// Cấp độ tiêu chí này đòi hỏi.
    level: u8,
    /// Điều, khoản, điểm của văn bản.
    citation: String,
    /// Tóm tắt nội dung tiêu chí.
    summary: String,
    /// Mức chắc chắn: law (văn bản), interpretation (cách hiểu của capdo), heuristic (ước lượng, cần xem xét).
    basis: Basis,
    /// Văn bản quy định cấp độ tối thiểu (chỉ với quy tắc tối thiểu).
    instrument: Option<String>,
    /// Giải thích cách hiểu.
    note: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Question<'p> {
    /// Trường dữ kiện cần bổ sung hoặc làm rõ (`components[1].…` cho thành phần).
    pub field: Cow<'p, str>,
    /// Câu hỏi cho người dùng.
    pub text: &'p str,
    /// Cấp độ có thể đạt nếu câu trả lời là có.
    pub could_change_level_to: u8,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ComponentResult<'p> {
    /// Vị trí trong danh sách `components`.
    pub index: usize,
    pub level: Option<u8>,
    pub status: Status,
    #[schema(value_type = Vec<MatchedRule>)]
    pub matched: Vec<Matched<'p>>,
    #[schema(value_type = Vec<MatchedRule>)]
    pub minimums: Vec<Matched<'p>>,
    #[schema(no_recursion)]
    pub components: Vec<ComponentResult<'p>>,
}

/// Kết quả xác định cấp độ.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Classification<'p> {
    pub regime: RegimeRef<'p>,
    /// Cấp độ đề xuất 1–5: cao nhất trong các tiêu chí, cấp độ tối thiểu và thành phần; null khi chưa xác định.
    pub level: Option<u8>,
    pub status: Status,
    /// Mọi tiêu chí thỏa mãn, không chỉ tiêu chí quyết định.
    #[schema(value_type = Vec<MatchedRule>)]
    pub matched: Vec<Matched<'p>>,
    /// Cấp độ tối thiểu do văn bản khác quy định.
    #[schema(value_type = Vec<MatchedRule>)]
    pub minimums: Vec<Matched<'p>>,
    /// Kết quả của từng hệ thống thành phần.
    pub components: Vec<ComponentResult<'p>>,
    /// Nguyên tắc tổng hợp đã áp dụng (tiêu chí cao nhất, hệ thống thành phần).
    pub combination: Vec<&'p Principle>,
    /// Dữ kiện còn thiếu hoặc chưa rõ có thể làm thay đổi cấp độ.
    pub questions: Vec<Question<'p>>,
    /// Lưu ý cho người dùng.
    pub warnings: Vec<Cow<'p, str>>,
    /// Cơ quan thẩm định và phê duyệt theo cấp độ.
    pub authority: Option<&'p Authority>,
    /// Thành phần hồ sơ đề xuất cấp độ.
    pub dossier: &'p [DossierItem],
    /// Thành phần hồ sơ phê duyệt.
    pub approval_dossier: &'p [DossierItem],
    /// Thời hạn của từng bước.
    pub time_limits: &'p [TimeLimit],
    /// Chu kỳ kiểm tra, đánh giá định kỳ.
    pub periodic_assessment: Option<&'p PeriodicAssessment>,
    /// Cấp độ có trình tự, thủ tục được áp dụng (cơ quan thẩm định, hồ sơ, thời hạn); khác
    /// `level` khi một quy tắc chuyển lên trình tự của cấp độ cao hơn (ví dụ Điều 20 khoản 4 NĐ 331).
    pub procedure_level: Option<u8>,
    /// Quy tắc chuyển trình tự đã áp dụng, nếu có.
    pub escalation: Option<AppliedEscalation<'p>>,
    /// Nghĩa vụ đi kèm cấp độ: điều kiện trước một bước, hạn báo cáo hằng năm.
    pub obligations: Vec<&'p Obligation>,
    /// Biểu mẫu dùng cho cấp độ này.
    pub forms: Vec<&'p Form>,
    /// Phạm vi của một hồ sơ (có thể gồm nhiều hệ thống).
    pub dossier_scope: Option<&'p DossierScope>,
}
