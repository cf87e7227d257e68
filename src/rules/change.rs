//! How a system's level moves from one regime to another, and which clauses move it. Pure.

use serde::Serialize;

use super::result::{Classification, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
    Same,
    /// One of the two regimes gives no level.
    Undetermined,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Up => "Tăng",
            Direction::Down => "Giảm",
            Direction::Same => "Không đổi",
            Direction::Undetermined => "Chưa xác định",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "up" => Direction::Up,
            "down" => Direction::Down,
            "same" => Direction::Same,
            "undetermined" => Direction::Undetermined,
            _ => return None,
        })
    }
}

/// A clause that decides the level under one regime.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Cause {
    pub regime: String,
    pub rule: String,
    pub level: u8,
    pub citation: String,
    pub summary: String,
}

/// The move from `old` to `new`.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct LevelChange {
    pub from: Option<u8>,
    pub to: Option<u8>,
    pub direction: Direction,
    /// When the level moves: the clauses that set it under each regime (the old regime's
    /// deciding clauses first, then the new one's).
    pub causes: Vec<Cause>,
    /// Facts still missing under either regime that could change its level (field names).
    pub missing_fields: Vec<String>,
    /// Either result needs a human decision.
    pub needs_review: bool,
}

/// The clauses of `result` at its final level (criteria and minimums).
pub fn deciding(result: &Classification<'_>) -> Vec<Cause> {
    let Some(level) = result.level else {
        return Vec::new();
    };
    result
        .matched
        .iter()
        .chain(&result.minimums)
        .filter(|m| m.0.level == level)
        .map(|m| Cause {
            regime: result.regime.id.to_string(),
            rule: m.0.id.clone(),
            level: m.0.level,
            citation: m.0.citation.clone(),
            summary: m.0.summary.clone(),
        })
        .collect()
}

pub fn change(old: &Classification<'_>, new: &Classification<'_>) -> LevelChange {
    let direction = match (old.level, new.level) {
        (Some(a), Some(b)) if b > a => Direction::Up,
        (Some(a), Some(b)) if b < a => Direction::Down,
        (Some(_), Some(_)) => Direction::Same,
        _ => Direction::Undetermined,
    };
    let causes = if direction == Direction::Same {
        Vec::new()
    } else {
        let mut c = deciding(old);
        c.extend(deciding(new));
        c
    };
    let mut missing_fields: Vec<String> = Vec::new();
    for q in old.questions.iter().chain(&new.questions) {
        if !missing_fields.iter().any(|f| f == q.field.as_ref()) {
            missing_fields.push(q.field.to_string());
        }
    }
    LevelChange {
        from: old.level,
        to: new.level,
        direction,
        causes,
        missing_fields,
        needs_review: old.status != Status::Determined || new.status != Status::Determined,
    }
}
