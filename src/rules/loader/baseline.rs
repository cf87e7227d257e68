//! Reads and checks a requirements catalogue (`rules/requirements/*.yaml`): located errors in
//! Vietnamese, like the packs.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{at, Checker, LoadError};
use crate::rules::baseline::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    id: Spanned<String>,
    title: Spanned<String>,
    regime: Spanned<String>,
    standard: Spanned<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    also_required: Vec<RawAlsoRequired>,
    groups: Vec<RawGroup>,
    requirements: Vec<RawRequirement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlsoRequired {
    regime: Spanned<String>,
    due: Spanned<String>,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    code: Spanned<String>,
    part: Spanned<String>,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    code: Spanned<String>,
    group: Spanned<String>,
    #[serde(default)]
    part: Option<Spanned<String>>,
    text: String,
    citation: String,
    basis: Spanned<String>,
    levels: HashMap<Spanned<i64>, Option<RawLevelRule>>,
    #[serde(default)]
    hosting: Vec<Spanned<String>>,
    #[serde(default)]
    special: Option<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLevelRule {
    #[serde(default)]
    clause: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

fn part(c: &mut Checker<'_>, raw: &Spanned<String>) -> Part {
    Part::parse(&raw.value).unwrap_or_else(|| {
        c.error(
            at(raw),
            format!(
                "part `{}` không hợp lệ (management, zone, design, configuration, general)",
                raw.value
            ),
        );
        Part::General
    })
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Parses and checks one catalogue; `file` names it in errors. Cross-checks against the loaded
/// packs (which regimes exist) are made by the registry.
pub fn load_baseline(file: &str, text: &str) -> Result<Baseline, Vec<LoadError>> {
    let raw: RawBaseline = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        vec![LoadError {
            file: file.to_string(),
            line,
            column,
            message: e
                .to_string()
                .lines()
                .next()
                .unwrap_or("YAML không hợp lệ")
                .to_string(),
        }]
    })?;
    let mut c = Checker {
        file,
        errors: Vec::new(),
    };
    c.required(&raw.id.value, at(&raw.id), "id của danh mục yêu cầu");
    c.required(
        &raw.title.value,
        at(&raw.title),
        "title của danh mục yêu cầu",
    );
    c.required(
        &raw.regime.value,
        at(&raw.regime),
        "regime (bộ quy tắc áp dụng)",
    );
    c.required(
        &raw.standard.value,
        at(&raw.standard),
        "standard (tiêu chuẩn quốc gia)",
    );

    let mut also_required = Vec::new();
    for a in &raw.also_required {
        c.required(&a.regime.value, at(&a.regime), "also_required: regime");
        c.required(&a.citation, at(&a.regime), "also_required: citation");
        if let Some(due) = c.date(&a.due, "also_required: due") {
            also_required.push(AlsoRequired {
                regime: a.regime.value.trim().to_string(),
                due,
                citation: a.citation.trim().to_string(),
            });
        }
    }

    let mut groups: Vec<Group> = Vec::new();
    for g in &raw.groups {
        let code = g.code.value.trim();
        if code.is_empty() {
            c.error(at(&g.code), "thiếu code của nhóm");
        } else if groups.iter().any(|x| x.code == code) {
            c.error(at(&g.code), format!("mã nhóm `{code}` bị trùng"));
        }
        c.required(&g.title, at(&g.code), &format!("title của nhóm `{code}`"));
        let part = part(&mut c, &g.part);
        groups.push(Group {
            code: code.to_string(),
            part,
            title: g.title.trim().to_string(),
        });
    }

    let mut requirements: Vec<Requirement> = Vec::new();
    let mut specials: Vec<Special> = Vec::new();
    for r in raw.requirements {
        let code = r.code.value.trim().to_string();
        let what = format!("yêu cầu `{code}`");
        if code.is_empty() {
            c.error(at(&r.code), "thiếu code của yêu cầu");
        } else if requirements.iter().any(|x| x.code == code) {
            c.error(at(&r.code), format!("mã yêu cầu `{code}` bị trùng"));
        }
        c.required(&r.text, at(&r.code), &format!("text của {what}"));
        c.required(&r.citation, at(&r.code), &format!("citation của {what}"));
        let group = groups.iter().find(|g| g.code == r.group.value.trim());
        let group_part = match group {
            Some(g) => g.part,
            None => {
                c.error(
                    at(&r.group),
                    format!("{what}: nhóm `{}` không có trong groups", r.group.value),
                );
                Part::General
            }
        };
        let part = match &r.part {
            Some(raw_part) => {
                let p = part(&mut c, raw_part);
                if group.is_some() && p != group_part {
                    c.error(
                        at(raw_part),
                        format!(
                            "{what}: part `{}` khác part `{}` của nhóm `{}`",
                            p.as_str(),
                            group_part.as_str(),
                            r.group.value
                        ),
                    );
                }
                p
            }
            None => group_part,
        };
        let basis = c.basis(&r.basis);

        let mut keys: Vec<_> = r.levels.into_iter().collect();
        keys.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
        let mut levels = BTreeMap::new();
        for (k, rule) in keys {
            let level = match u8::try_from(k.value) {
                Ok(l @ 1..=5) => l,
                _ => {
                    c.error(
                        at(&k),
                        format!("{what}: cấp độ {} nằm ngoài khoảng 1–5", k.value),
                    );
                    continue;
                }
            };
            let rule = rule.unwrap_or_default();
            let rule = LevelRule {
                clause: non_empty(rule.clause),
                detail: non_empty(rule.detail),
            };
            if levels.insert(level, rule).is_some() {
                c.error(at(&k), format!("{what}: cấp độ {level} khai báo hai lần"));
            }
        }
        if levels.is_empty() {
            c.error(
                at(&r.code),
                format!("{what}: levels phải có ít nhất một cấp độ (1–5)"),
            );
        }

        let mut hosting: Vec<String> = Vec::new();
        for h in &r.hosting {
            let v = h.value.trim();
            if !HOSTING_KINDS.contains(&v) {
                c.error(
                    at(h),
                    format!(
                        "{what}: hình thức lưu trữ (hosting) `{v}` không hợp lệ ({})",
                        HOSTING_KINDS.join(", ")
                    ),
                );
            } else if hosting.iter().any(|x| x == v) {
                c.error(at(h), format!("{what}: hosting `{v}` bị trùng"));
            } else {
                hosting.push(v.to_string());
            }
        }

        let special = r.special.as_ref().and_then(|s| match Special::parse(&s.value) {
            Some(sp) => {
                if specials.contains(&sp) {
                    c.error(
                        at(s),
                        format!(
                            "{what}: special `{}` đã được gán cho một yêu cầu khác (mỗi loại chỉ một yêu cầu)",
                            s.value
                        ),
                    );
                } else {
                    specials.push(sp);
                }
                Some(sp)
            }
            None => {
                c.error(
                    at(s),
                    format!(
                        "{what}: special `{}` không hợp lệ ({})",
                        s.value,
                        Special::ALL
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                None
            }
        });

        requirements.push(Requirement {
            code,
            group: r.group.value.trim().to_string(),
            part,
            text: r.text.trim().to_string(),
            citation: r.citation.trim().to_string(),
            basis,
            levels,
            hosting,
            special,
            note: non_empty(r.note),
        });
    }
    if requirements.is_empty() {
        c.error(at(&raw.id), "danh mục không có yêu cầu nào");
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Baseline {
        id: raw.id.value.trim().to_string(),
        title: raw.title.value.trim().to_string(),
        regime: raw.regime.value.trim().to_string(),
        standard: raw.standard.value.trim().to_string(),
        note: non_empty(raw.note),
        also_required,
        groups,
        requirements,
        origin: file.to_string(),
    })
}
