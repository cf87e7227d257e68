//! The facts schema as the rules see it: every field a condition may test, its type, and the
//! compact view of one system's facts that compiled conditions read.

use crate::domain::facts::{
    Function, Harm, InformationType, InfrastructureScope, SecretGrade, ServiceMode, SystemFacts,
    WorksGrade,
};

/// What kind of values a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// One value of a fixed list (codes are positions in the list).
    Enum(&'static [&'static str]),
    /// A set of values of a fixed list.
    Set(&'static [&'static str]),
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// One value of the pack's vocabulary (`kind`, `tier`).
    Vocabulary(VocabularyKind),
    /// A set of values of the pack's vocabulary (`tags`).
    VocabularySet(VocabularyKind),
    /// Free text: kept with the facts, not testable by rules.
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VocabularyKind {
    Kind,
    Tier,
    Tags,
}

macro_rules! fields {
    ($($variant:ident = $name:literal : $ty:expr),+ $(,)?) => {
        /// A fact field a condition can name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Field { $($variant),+ }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];
            pub fn name(self) -> &'static str { match self { $(Field::$variant => $name),+ } }
            pub fn field_type(self) -> FieldType { match self { $(Field::$variant => $ty),+ } }
            pub fn parse(name: &str) -> Option<Field> { Self::ALL.iter().copied().find(|f| f.name() == name) }
            pub fn index(self) -> usize { self as usize }
        }

        pub const FIELD_COUNT: usize = [$($name),+].len();
    };
}

fields! {
    Function = "function": FieldType::Enum(Function::VALUES),
    Information = "information": FieldType::Set(InformationType::VALUES),
    StateSecretGrade = "state_secret_grade": FieldType::Enum(SecretGrade::VALUES),
    DefenceSecurityHarm = "defence_security_harm": FieldType::Enum(Harm::VALUES),
    OnlineServices = "online_services": FieldType::Bool,
    PublicServiceLevel = "public_service_level": FieldType::Int { min: 1, max: 4 },
    PublicServiceMode = "public_service_mode": FieldType::Enum(ServiceMode::VALUES),
    OnlineFiling = "online_filing": FieldType::Bool,
    ConditionalBusinessService = "conditional_business_service": FieldType::Bool,
    ConditionalBusinessItem = "conditional_business_item": FieldType::Text,
    PersonalDataSubjects = "personal_data_subjects": FieldType::Int { min: 0, max: i64::MAX },
    SensitivePersonalDataSubjects = "sensitive_personal_data_subjects": FieldType::Int { min: 0, max: i64::MAX },
    HandlesAdministrativeProcedures = "handles_administrative_procedures": FieldType::Bool,
    InfrastructureScope = "infrastructure_scope": FieldType::Enum(InfrastructureScope::VALUES),
    ContinuousOperation = "continuous_operation": FieldType::Bool,
    NationalEgovSystem = "national_egov_system": FieldType::Bool,
    IcsWorksGrade = "ics_works_grade": FieldType::Enum(WorksGrade::VALUES),
    SpecialNationalData = "special_national_data": FieldType::Bool,
    PrimeMinisterLevel = "prime_minister_level": FieldType::Int { min: 1, max: 5 },
    RiskAssessedLevel = "risk_assessed_level": FieldType::Int { min: 1, max: 5 },
    NationalSecurityImportant = "national_security_important": FieldType::Bool,
    Kind = "kind": FieldType::Vocabulary(VocabularyKind::Kind),
    Tier = "tier": FieldType::Vocabulary(VocabularyKind::Tier),
    Tags = "tags": FieldType::VocabularySet(VocabularyKind::Tags),
}

/// One fact as conditions read it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Value {
    #[default]
    Absent,
    Int(i64),
    Bool(bool),
    /// Enum or vocabulary code.
    Code(u16),
    /// Bit set of codes.
    Set(u64),
}

/// The facts of one system (not its components), resolved against a pack's vocabulary.
#[derive(Clone, Debug)]
pub struct FactView {
    values: [Value; FIELD_COUNT],
}

impl FactView {
    pub fn get(&self, field: Field) -> Value {
        self.values[field.index()]
    }

    /// Builds the view; `vocabulary` gives the code of a `kind`, `tier` or tag, `None` when
    /// the pack does not know it (the caller has already rejected such facts).
    pub fn new(
        facts: &SystemFacts,
        vocabulary: impl Fn(VocabularyKind, &str) -> Option<u16>,
    ) -> Self {
        let mut values = [Value::Absent; FIELD_COUNT];
        let mut set = |field: Field, value: Value| values[field.index()] = value;
        let code = |c: u16| Value::Code(c);
        if let Some(f) = facts.function {
            set(Field::Function, code(f.code()));
        }
        if !facts.information.is_empty() {
            set(
                Field::Information,
                Value::Set(facts.information.iter().fold(0, |m, i| m | (1 << i.code()))),
            );
        }
        if let Some(v) = facts.state_secret_grade {
            set(Field::StateSecretGrade, code(v.code()));
        }
        if let Some(v) = facts.defence_security_harm {
            set(Field::DefenceSecurityHarm, code(v.code()));
        }
        if let Some(v) = facts.public_service_mode {
            set(Field::PublicServiceMode, code(v.code()));
        }
        if let Some(v) = facts.infrastructure_scope {
            set(Field::InfrastructureScope, code(v.code()));
        }
        if let Some(v) = facts.ics_works_grade {
            set(Field::IcsWorksGrade, code(v.code()));
        }
        for (field, value) in [
            (Field::OnlineServices, facts.online_services),
            (Field::OnlineFiling, facts.online_filing),
            (
                Field::ConditionalBusinessService,
                facts.conditional_business_service,
            ),
            (
                Field::HandlesAdministrativeProcedures,
                facts.handles_administrative_procedures,
            ),
            (Field::ContinuousOperation, facts.continuous_operation),
            (Field::NationalEgovSystem, facts.national_egov_system),
            (Field::SpecialNationalData, facts.special_national_data),
            (
                Field::NationalSecurityImportant,
                facts.national_security_important,
            ),
        ] {
            if let Some(b) = value {
                set(field, Value::Bool(b));
            }
        }
        for (field, value) in [
            (Field::PublicServiceLevel, facts.public_service_level),
            (Field::PersonalDataSubjects, facts.personal_data_subjects),
            (
                Field::SensitivePersonalDataSubjects,
                facts.sensitive_personal_data_subjects,
            ),
            (Field::PrimeMinisterLevel, facts.prime_minister_level),
            (Field::RiskAssessedLevel, facts.risk_assessed_level),
        ] {
            if let Some(n) = value {
                set(field, Value::Int(n));
            }
        }
        if let Some(kind) = facts
            .kind
            .as_deref()
            .and_then(|k| vocabulary(VocabularyKind::Kind, k))
        {
            set(Field::Kind, code(kind));
        }
        if let Some(tier) = facts
            .tier
            .as_deref()
            .and_then(|t| vocabulary(VocabularyKind::Tier, t))
        {
            set(Field::Tier, code(tier));
        }
        if !facts.tags.is_empty() {
            let mask = facts
                .tags
                .iter()
                .filter_map(|t| vocabulary(VocabularyKind::Tags, t))
                .fold(0u64, |m, c| m | (1 << c));
            set(Field::Tags, Value::Set(mask));
        }
        if facts.conditional_business_item.is_some() {
            set(Field::ConditionalBusinessItem, Value::Bool(true));
        }
        Self { values }
    }
}
