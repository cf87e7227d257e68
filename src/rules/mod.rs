//! Legal rule packs as data (`rules/*.yaml`), their loader, and the pure classification engine.

pub mod baseline;
pub mod calendar;
pub mod change;
pub mod condition;
pub mod dossier;
pub mod duties;
pub mod engine;
pub mod loader;
pub mod model;
pub mod result;
pub mod schema;
pub mod transition;

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_embed::RustEmbed;

pub use baseline::{AlsoRequired, Baseline};
pub use engine::classify;
pub use loader::{load_pack, LoadError};
pub use model::RulePack;
pub use result::{Classification, Status};

#[derive(RustEmbed)]
#[folder = "rules/"]
#[include = "*.yaml"]
#[exclude = "holidays/*"]
#[exclude = "requirements/*"]
struct EmbeddedPacks;

/// The baseline requirements catalogues (`rules/requirements/*.yaml`).
#[derive(RustEmbed)]
#[folder = "rules/requirements/"]
#[include = "*.yaml"]
struct EmbeddedBaselines;

/// Every regime capdo knows, oldest first, with the holiday calendar their time limits are
/// counted on.
#[derive(Clone, Debug)]
pub struct Registry {
    packs: Vec<Arc<RulePack>>,
    default_regime: Option<String>,
    calendar: Arc<calendar::Calendar>,
    baselines: Vec<Arc<Baseline>>,
}

/// Why a regime could not be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegimeError {
    #[error("Không có bộ quy tắc `{0}`; các bộ hiện có: {1}")]
    Unknown(String, String),
    #[error("Không có bộ quy tắc nào có hiệu lực vào ngày {0}")]
    NoneInForce(String),
}

impl Registry {
    /// The packs embedded in the binary, plus those of `overlay_dir` (same id replaces).
    pub fn load(overlay_dir: Option<&Path>) -> Result<Self, Vec<LoadError>> {
        let mut packs = Vec::new();
        let mut errors = Vec::new();
        let mut names: Vec<_> = EmbeddedPacks::iter().collect();
        names.sort();
        for name in names {
            let Some(file) = EmbeddedPacks::get(&name) else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.data);
            match load_pack(&format!("rules/{name}"), &text) {
                Ok(pack) => packs.push(pack),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if let Some(dir) = overlay_dir {
            for pack in Self::load_dir(dir, &mut errors) {
                packs.retain(|p: &RulePack| p.meta.id != pack.meta.id);
                packs.push(pack);
            }
        }
        let calendar = Self::load_calendar(overlay_dir, &mut errors);
        let mut baselines = Vec::new();
        let mut names: Vec<_> = EmbeddedBaselines::iter().collect();
        names.sort();
        for name in names {
            let Some(file) = EmbeddedBaselines::get(&name) else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.data);
            match loader::baseline::load_baseline(&format!("rules/requirements/{name}"), &text) {
                Ok(b) => baselines.push(b),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if let Some(dir) = overlay_dir {
            for b in Self::load_baselines(dir, &mut errors) {
                baselines.retain(|x: &Baseline| x.id != b.id);
                baselines.push(b);
            }
        }
        Self::from_packs(packs, errors, calendar, baselines)
    }

    /// The catalogues of `<dir>/requirements/*.yaml`; no such folder: none.
    fn load_baselines(dir: &Path, errors: &mut Vec<LoadError>) -> Vec<Baseline> {
        let dir = dir.join("requirements");
        if !dir.is_dir() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (file, text) in Self::read_yaml_files(&dir, errors) {
            match loader::baseline::load_baseline(&file, &text) {
                Ok(b) => out.push(b),
                Err(mut e) => errors.append(&mut e),
            }
        }
        out
    }

    /// `<dir>/holidays/vn.yaml` when present, else the embedded calendar.
    fn load_calendar(
        dir: Option<&Path>,
        errors: &mut Vec<LoadError>,
    ) -> Option<calendar::Calendar> {
        calendar::Calendar::load(dir)
            .map_err(|mut e| errors.append(&mut e))
            .ok()
    }

    /// Only the packs of `dir` (for `capdo check-rules DIR`).
    pub fn load_only(dir: &Path) -> Result<Self, Vec<LoadError>> {
        let mut errors = Vec::new();
        let packs = Self::load_dir(dir, &mut errors);
        let calendar = Self::load_calendar(Some(dir), &mut errors);
        let baselines = Self::load_baselines(dir, &mut errors);
        Self::from_packs(packs, errors, calendar, baselines)
    }

    fn load_dir(dir: &Path, errors: &mut Vec<LoadError>) -> Vec<RulePack> {
        let mut packs = Vec::new();
        for (file, text) in Self::read_yaml_files(dir, errors) {
            match load_pack(&file, &text) {
                Ok(pack) => packs.push(pack),
                Err(mut e) => errors.append(&mut e),
            }
        }
        packs
    }

    /// The `*.yaml` / `*.yml` files directly in `dir`, sorted by name, as (path, text).
    fn read_yaml_files(dir: &Path, errors: &mut Vec<LoadError>) -> Vec<(String, String)> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push(LoadError {
                    file: dir.display().to_string(),
                    line: 0,
                    column: 0,
                    message: format!("không đọc được thư mục: {e}"),
                });
                return Vec::new();
            }
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let file = path.display().to_string();
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push((file, text)),
                Err(e) => errors.push(LoadError {
                    file,
                    line: 0,
                    column: 0,
                    message: format!("không đọc được tệp: {e}"),
                }),
            }
        }
        files
    }

    fn from_packs(
        mut packs: Vec<RulePack>,
        mut errors: Vec<LoadError>,
        calendar: Option<calendar::Calendar>,
        baselines: Vec<Baseline>,
    ) -> Result<Self, Vec<LoadError>> {
        for (i, pack) in packs.iter().enumerate() {
            if packs[..i].iter().any(|p| p.meta.id == pack.meta.id) {
                errors.push(LoadError {
                    file: pack.origin.clone(),
                    line: 1,
                    column: 1,
                    message: format!("id bộ quy tắc `{}` bị trùng", pack.meta.id),
                });
            }
        }
        if packs.is_empty() && errors.is_empty() {
            errors.push(LoadError {
                file: "rules".into(),
                line: 0,
                column: 0,
                message: "không có bộ quy tắc nào".into(),
            });
        }
        for pack in &packs {
            let Some(t) = &pack.transition else { continue };
            for id in loader::named_packs(t) {
                if !packs.iter().any(|p| p.meta.id == id) {
                    errors.push(LoadError {
                        file: pack.origin.clone(),
                        line: 1,
                        column: 1,
                        message: format!(
                            "transition của `{}` nhắc tới bộ quy tắc `{id}` không được nạp",
                            pack.meta.id
                        ),
                    });
                }
            }
        }
        Self::check_baselines(&packs, &baselines, &mut errors);
        let Some(calendar) = calendar.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        packs.sort_by(|a, b| {
            a.meta
                .effective_from
                .cmp(&b.meta.effective_from)
                .then(a.meta.id.cmp(&b.meta.id))
        });
        Ok(Self {
            packs: packs.into_iter().map(Arc::new).collect(),
            default_regime: None,
            calendar: Arc::new(calendar),
            baselines: baselines.into_iter().map(Arc::new).collect(),
        })
    }

    /// A catalogue's `regime` and `also_required` regimes must name loaded packs; one catalogue
    /// per regime; ids unique.
    fn check_baselines(packs: &[RulePack], baselines: &[Baseline], errors: &mut Vec<LoadError>) {
        let error = |b: &Baseline, message: String| LoadError {
            file: b.origin.clone(),
            line: 1,
            column: 1,
            message,
        };
        let known = || {
            packs
                .iter()
                .map(|p| p.meta.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (i, b) in baselines.iter().enumerate() {
            if baselines[..i].iter().any(|x| x.id == b.id) {
                errors.push(error(b, format!("id danh mục yêu cầu `{}` bị trùng", b.id)));
            }
            if !packs.iter().any(|p| p.meta.id == b.regime) {
                errors.push(error(
                    b,
                    format!(
                        "danh mục `{}`: regime `{}` không phải bộ quy tắc được nạp ({})",
                        b.id,
                        b.regime,
                        known()
                    ),
                ));
            }
            if let Some(other) = baselines[..i].iter().find(|x| x.regime == b.regime) {
                errors.push(error(
                    b,
                    format!(
                        "bộ quy tắc `{}` có hai danh mục yêu cầu: `{}` ({}) và `{}`",
                        b.regime, other.id, other.origin, b.id
                    ),
                ));
            }
            for a in &b.also_required {
                if !packs.iter().any(|p| p.meta.id == a.regime) {
                    errors.push(error(
                        b,
                        format!(
                            "danh mục `{}`: also_required nhắc tới bộ quy tắc `{}` không được nạp ({})",
                            b.id,
                            a.regime,
                            known()
                        ),
                    ));
                }
            }
        }
    }

    /// The baseline requirements catalogues, one per regime at most.
    pub fn baselines(&self) -> &[Arc<Baseline>] {
        &self.baselines
    }

    pub fn baseline(&self, id: &str) -> Option<&Arc<Baseline>> {
        self.baselines.iter().find(|b| b.id == id)
    }

    /// The catalogue followed by systems classified under the pack `regime`.
    pub fn baseline_for(&self, regime: &str) -> Option<&Arc<Baseline>> {
        self.baselines.iter().find(|b| b.regime == regime)
    }

    /// The other catalogues that systems of `regime` must also meet, each with its due date.
    pub fn also_required_for(&self, regime: &str) -> Vec<(&Arc<Baseline>, &AlsoRequired)> {
        self.baselines
            .iter()
            .flat_map(|b| {
                b.also_required
                    .iter()
                    .filter(move |a| a.regime == regime)
                    .map(move |a| (b, a))
            })
            .collect()
    }

    /// The Vietnamese public-holiday calendar the packs' working days are counted on.
    pub fn calendar(&self) -> &Arc<calendar::Calendar> {
        &self.calendar
    }

    /// Sets the configured default; an unknown id is an error naming the known ones.
    pub fn with_default(mut self, regime: Option<&str>) -> Result<Self, RegimeError> {
        if let Some(id) = regime {
            self.get(id).ok_or_else(|| self.unknown(id))?;
            self.default_regime = Some(id.to_string());
        }
        Ok(self)
    }

    pub fn packs(&self) -> &[Arc<RulePack>] {
        &self.packs
    }

    pub fn get(&self, id: &str) -> Option<&Arc<RulePack>> {
        self.packs.iter().find(|p| p.meta.id == id)
    }

    /// The newest pack in effect from on or before `date`.
    pub fn for_date(&self, date: NaiveDate) -> Option<&Arc<RulePack>> {
        self.packs
            .iter()
            .rev()
            .find(|p| p.meta.effective_from <= date)
    }

    fn unknown(&self, id: &str) -> RegimeError {
        RegimeError::Unknown(
            id.to_string(),
            self.packs
                .iter()
                .map(|p| p.meta.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    /// An explicit regime; else the one of an explicit date; else the configured default;
    /// else the one in effect on `today`.
    pub fn resolve(
        &self,
        regime: Option<&str>,
        date: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<&Arc<RulePack>, RegimeError> {
        if let Some(id) = regime {
            return self.get(id).ok_or_else(|| self.unknown(id));
        }
        if let Some(date) = date {
            return self
                .for_date(date)
                .ok_or_else(|| RegimeError::NoneInForce(date.format("%d/%m/%Y").to_string()));
        }
        if let Some(id) = &self.default_regime {
            return self.get(id).ok_or_else(|| self.unknown(id));
        }
        self.for_date(today)
            .ok_or_else(|| RegimeError::NoneInForce(today.format("%d/%m/%Y").to_string()))
    }
}

impl Registry {
    /// Classifies under `pack` as of `date`, adding what the registry knows beyond one pack: a
    /// date between a lapsed regime and its successor has no criteria in force, so the result
    /// is for reference and needs a human decision.
    pub fn classify<'p>(
        &'p self,
        pack: &'p RulePack,
        facts: &crate::domain::SystemFacts,
        date: NaiveDate,
    ) -> Result<Classification<'p>, crate::error::FieldErrors> {
        let mut result = classify(pack, facts, date)?;
        if let Some((successor, t)) = self.gap_on(date) {
            if let Some(gap) = &t.gap {
                result
                    .warnings
                    .insert(0, std::borrow::Cow::Borrowed(gap.summary.as_str()));
            }
            result.warnings.insert(
                0,
                std::borrow::Cow::Owned(format!(
                    "Ngày {} không có nghị định quy định tiêu chí cấp độ đang có hiệu lực: {} đã hết hiệu lực, {} có hiệu lực từ {}.",
                    date.format("%d/%m/%Y"),
                    self.get(&t.predecessor).map_or(t.predecessor.as_str(), |p| p.meta.title.as_str()),
                    successor.meta.title,
                    successor.meta.effective_from.format("%d/%m/%Y")
                )),
            );
            if result.status == Status::Determined {
                result.status = Status::NeedsReview;
            }
        }
        Ok(result)
    }
}

/// Today in Vietnam (UTC+7, no daylight saving): the default date of a determination.
pub fn today_in_vietnam() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}
