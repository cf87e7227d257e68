//! The small condition language of rule packs: all / any / not over field tests, compiled at
//! load time into integer comparisons over a `FactView`.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::schema::{FactView, Field, FieldType, Value, VocabularyKind};

/// A value written in a pack (`equals: internal`, `gte: 10000`, `equals: true`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Text(String),
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(n) => write!(f, "{n}"),
            Literal::Text(t) => write!(f, "{t}"),
        }
    }
}

/// A condition as written in YAML; exactly one form per node.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    all: Option<Vec<RawCondition>>,
    any: Option<Vec<RawCondition>>,
    not: Option<Box<RawCondition>>,
    field: Option<Spanned<String>>,
    equals: Option<Literal>,
    #[serde(rename = "in")]
    one_of: Option<Vec<Literal>>,
    contains: Option<Literal>,
    gte: Option<i64>,
    lt: Option<i64>,
    present: Option<bool>,
}

/// A compiled condition.
#[derive(Clone, Debug)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// The field's code is in the mask (enum, vocabulary, or bool as 0/1).
    CodeIn(Field, u64),
    /// The set field shares a bit with the mask.
    Contains(Field, u64),
    IntIn(Field, Vec<i64>),
    Gte(Field, i64),
    Lt(Field, i64),
    BoolIs(Field, bool),
    Present(Field, bool),
}

impl Condition {
    pub fn holds(&self, facts: &FactView) -> bool {
        match self {
            Condition::All(cs) => cs.iter().all(|c| c.holds(facts)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(facts)),
            Condition::Not(c) => !c.holds(facts),
            Condition::CodeIn(f, mask) => {
                matches!(facts.get(*f), Value::Code(c) if mask & (1 << c) != 0)
            }
            Condition::Contains(f, mask) => matches!(facts.get(*f), Value::Set(s) if s & mask != 0),
            Condition::IntIn(f, values) => {
                matches!(facts.get(*f), Value::Int(n) if values.contains(&n))
            }
            Condition::Gte(f, n) => matches!(facts.get(*f), Value::Int(v) if v >= *n),
            Condition::Lt(f, n) => matches!(facts.get(*f), Value::Int(v) if v < *n),
            Condition::BoolIs(f, b) => matches!(facts.get(*f), Value::Bool(v) if v == *b),
            Condition::Present(f, want) => (facts.get(*f) != Value::Absent) == *want,
        }
    }

    /// Every field the condition reads (for the summary of `check-rules`).
    pub fn fields(&self, out: &mut Vec<Field>) {
        match self {
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.fields(out)),
            Condition::Not(c) => c.fields(out),
            Condition::CodeIn(f, _)
            | Condition::Contains(f, _)
            | Condition::IntIn(f, _)
            | Condition::Gte(f, _)
            | Condition::Lt(f, _)
            | Condition::BoolIs(f, _)
            | Condition::Present(f, _) => {
                if !out.contains(f) {
                    out.push(*f)
                }
            }
        }
    }
}

/// A compile error with the 1-based line and column it refers to (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Resolves vocabulary ids to codes while compiling.
pub trait VocabularyLookup {
    fn code(&self, kind: VocabularyKind, id: &str) -> Option<u16>;
}

pub fn compile(
    raw: &RawCondition,
    vocabulary: &dyn VocabularyLookup,
    at: (u64, u64),
) -> Result<Condition, CompileError> {
    let forms = [
        raw.all.is_some(),
        raw.any.is_some(),
        raw.not.is_some(),
        raw.field.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let fail = |(line, column): (u64, u64), message: String| CompileError {
        line,
        column,
        message,
    };
    if forms != 1 {
        return Err(fail(
            at,
            "mỗi điều kiện phải có đúng một dạng: all, any, not hoặc field".into(),
        ));
    }
    if let Some(list) = raw.all.as_ref().or(raw.any.as_ref()) {
        if list.is_empty() {
            return Err(fail(at, "danh sách all/any không được rỗng".into()));
        }
        let compiled = list
            .iter()
            .map(|c| compile(c, vocabulary, at))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(if raw.all.is_some() {
            Condition::All(compiled)
        } else {
            Condition::Any(compiled)
        });
    }
    if let Some(inner) = &raw.not {
        return Ok(Condition::Not(Box::new(compile(inner, vocabulary, at)?)));
    }
    let Some(name) = &raw.field else {
        return Err(fail(at, "thiếu field".into()));
    };
    let here = (name.referenced.line(), name.referenced.column());
    let field = Field::parse(&name.value).ok_or_else(|| {
        fail(
            here,
            format!("trường `{}` không có trong SystemFacts", name.value),
        )
    })?;
    let ops = [
        raw.equals.is_some(),
        raw.one_of.is_some(),
        raw.contains.is_some(),
        raw.gte.is_some(),
        raw.lt.is_some(),
        raw.present.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if ops != 1 {
        return Err(fail(
            here,
            format!(
                "phép thử trên `{}` phải có đúng một trong: equals, in, contains, gte, lt, present",
                name.value
            ),
        ));
    }
    let ty = field.field_type();
    if let Some(want) = raw.present {
        return Ok(Condition::Present(field, want));
    }
    if ty == FieldType::Text {
        return Err(fail(
            here,
            format!(
                "trường `{}` là văn bản tự do, chỉ dùng được với present",
                name.value
            ),
        ));
    }
    let code_of = |literal: &Literal| -> Result<u16, CompileError> {
        let bad = || {
            fail(
                here,
                format!(
                    "giá trị `{literal}` không hợp lệ cho trường `{}`",
                    name.value
                ),
            )
        };
        match (ty, literal) {
            (FieldType::Enum(values) | FieldType::Set(values), Literal::Text(t)) => values
                .iter()
                .position(|v| v == t)
                .map(|p| p as u16)
                .ok_or_else(bad),
            (FieldType::Vocabulary(kind) | FieldType::VocabularySet(kind), Literal::Text(t)) => {
                vocabulary.code(kind, t).ok_or_else(|| {
                    fail(
                        here,
                        format!(
                            "giá trị `{t}` của `{}` không có trong từ vựng của bộ quy tắc",
                            name.value
                        ),
                    )
                })
            }
            _ => Err(bad()),
        }
    };
    let int_of = |literal: &Literal| -> Result<i64, CompileError> {
        match (ty, literal) {
            (FieldType::Int { min, max }, Literal::Int(n)) if (min..=max).contains(n) => Ok(*n),
            _ => Err(fail(
                here,
                format!(
                    "giá trị `{literal}` không hợp lệ cho trường số `{}`",
                    name.value
                ),
            )),
        }
    };
    let is_set = matches!(ty, FieldType::Set(_) | FieldType::VocabularySet(_));
    if let Some(literal) = &raw.contains {
        if !is_set {
            return Err(fail(
                here,
                format!(
                    "contains chỉ dùng cho trường danh sách; `{}` không phải",
                    name.value
                ),
            ));
        }
        return Ok(Condition::Contains(field, 1 << code_of(literal)?));
    }
    if is_set {
        return Err(fail(
            here,
            format!(
                "trường danh sách `{}` chỉ dùng được với contains hoặc present",
                name.value
            ),
        ));
    }
    if let Some(n) = raw.gte {
        int_of(&Literal::Int(n))?;
        return Ok(Condition::Gte(field, n));
    }
    if let Some(n) = raw.lt {
        if !matches!(ty, FieldType::Int { .. }) {
            return Err(fail(
                here,
                format!("lt chỉ dùng cho trường số; `{}` không phải", name.value),
            ));
        }
        return Ok(Condition::Lt(field, n));
    }
    let literals: Vec<&Literal> = match (&raw.equals, &raw.one_of) {
        (Some(v), _) => vec![v],
        (_, Some(vs)) if !vs.is_empty() => vs.iter().collect(),
        _ => return Err(fail(here, "danh sách in không được rỗng".into())),
    };
    match ty {
        FieldType::Bool => match literals.as_slice() {
            [Literal::Bool(b)] => Ok(Condition::BoolIs(field, *b)),
            _ => Err(fail(
                here,
                format!("trường `{}` nhận true hoặc false", name.value),
            )),
        },
        FieldType::Int { .. } => Ok(Condition::IntIn(
            field,
            literals.into_iter().map(int_of).collect::<Result<_, _>>()?,
        )),
        _ => {
            let mut mask = 0u64;
            for literal in literals {
                mask |= 1 << code_of(literal)?;
            }
            Ok(Condition::CodeIn(field, mask))
        }
    }
}
