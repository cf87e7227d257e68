//! Which regime a system's determination follows when one regime replaces another (Law 116
//! Đ45 k1, NĐ331 Đ39 k1), with the deadlines that follow. Pure: the date is an argument.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::duties::Transition;
use super::model::{Basis, RulePack};
use super::{RegimeError, Registry};

/// What the register knows about a system that decides its regime.
#[derive(Clone, Copy, Debug, Default)]
pub struct Situation<'a> {
    /// Regime of the approval decision, if the level was approved.
    pub approved_regime: Option<&'a str>,
    pub approved: bool,
    /// The project was under investment or construction before the new law took effect.
    pub investment_before_law: bool,
    /// A regime the user chose for a transitional project.
    pub chosen_regime: Option<&'a str>,
}

/// Why the determination follows the regime it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// The regime in force on the date (or the configured default).
    InForce,
    /// Approved under the predecessor: keeps its level and regime.
    KeepsApproved,
    /// A project under investment before the new law, finishing under the predecessor.
    InvestmentProject,
    /// The date falls after the predecessor lapsed and before its successor took effect.
    Gap,
}

/// A date by which something must be done, with its basis.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Deadline {
    /// `comply_by` (meet the new regime's requirements) or `approve_by` (finish approval).
    pub kind: &'static str,
    pub due: NaiveDate,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    pub basis: Basis,
}

/// The regime a determination follows, as of which date, and why.
#[derive(Clone, Debug)]
pub struct Plan<'r> {
    pub pack: &'r Arc<RulePack>,
    /// The date the engine classifies as of: today, or the last day of a lapsed regime that a
    /// system keeps.
    pub as_of: NaiveDate,
    pub route: Route,
    pub deadlines: Vec<Deadline>,
    /// Vietnamese notes explaining the route.
    pub notes: Vec<String>,
}

/// The plan as stored with a classification and shown to users.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    pub regime: String,
    pub route: Route,
    pub deadlines: Vec<Deadline>,
    pub notes: Vec<String>,
}

impl Plan<'_> {
    pub fn view(&self) -> PlanView {
        PlanView {
            regime: self.pack.meta.id.clone(),
            route: self.route,
            deadlines: self.deadlines.clone(),
            notes: self.notes.clone(),
        }
    }
}

fn vn(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

impl Registry {
    /// The pack that replaces `id`, if one declares it as its predecessor.
    pub fn successor_of(&self, id: &str) -> Option<&Arc<RulePack>> {
        self.packs()
            .iter()
            .find(|p| p.transition.as_ref().is_some_and(|t| t.predecessor == id))
    }

    /// The transition whose gap contains `date`: the predecessor has lapsed and the successor
    /// is not yet in effect.
    pub fn gap_on(&self, date: NaiveDate) -> Option<(&Arc<RulePack>, &Transition)> {
        self.packs().iter().find_map(|successor| {
            let t = successor.transition.as_ref()?;
            let predecessor = self.get(&t.predecessor)?;
            let lapsed = predecessor.meta.effective_until.is_some_and(|u| u < date);
            (lapsed && date < successor.meta.effective_from).then_some((successor, t))
        })
    }

    /// Chooses the regime of a system's determination on `today`.
    pub fn plan(
        &self,
        situation: Situation<'_>,
        today: NaiveDate,
    ) -> Result<Plan<'_>, RegimeError> {
        let current = self.resolve(None, None, today)?;
        let mut plan = Plan {
            pack: current,
            as_of: today,
            route: Route::InForce,
            deadlines: Vec::new(),
            notes: Vec::new(),
        };
        if let Some((successor, t)) = self.gap_on(today) {
            plan.route = Route::Gap;
            if let Some(gap) = &t.gap {
                plan.notes.push(gap.summary.clone());
            }
            plan.notes.push(format!(
                "{} có hiệu lực từ {}.",
                successor.meta.title,
                vn(successor.meta.effective_from)
            ));
            return Ok(plan);
        }
        let Some(t) = current.transition.as_ref() else {
            return Ok(plan);
        };
        let predecessor = self.get(&t.predecessor);
        let last_day = |p: &RulePack| p.meta.effective_until.map_or(today, |u| u.min(today));

        if let (Some(approved), Some(old)) = (situation.approved_regime, predecessor) {
            if approved == old.meta.id {
                let keep = &t.keep_approved;
                plan.pack = old;
                plan.as_of = last_day(old);
                plan.route = Route::KeepsApproved;
                plan.notes.push(keep.rule.summary.clone());
                plan.deadlines.push(Deadline {
                    kind: "comply_by",
                    due: keep.comply_by,
                    title: format!(
                        "Đáp ứng điều kiện, tiêu chuẩn và biện pháp bảo vệ của cấp độ theo {}",
                        current.meta.title
                    ),
                    citation: keep.rule.citation.clone(),
                    basis: keep.rule.basis,
                });
                return Ok(plan);
            }
        }

        if let Some(projects) = &t.investment_projects {
            let chose_old = situation.chosen_regime == Some(projects.finish_under.as_str());
            if situation.investment_before_law && chose_old && !situation.approved {
                match self.get(&projects.finish_under) {
                    Some(old) if today <= projects.approve_by => {
                        plan.pack = old;
                        plan.as_of = last_day(old);
                        plan.route = Route::InvestmentProject;
                        plan.notes.push(projects.rule.summary.clone());
                        plan.deadlines.push(Deadline {
                            kind: "approve_by",
                            due: projects.approve_by,
                            title: format!(
                                "Hoàn thành thẩm định, phê duyệt cấp độ theo {}",
                                old.meta.title
                            ),
                            citation: projects.rule.citation.clone(),
                            basis: projects.rule.basis,
                        });
                        plan.deadlines.push(Deadline {
                            kind: "comply_by",
                            due: projects.comply_by,
                            title: format!(
                                "Đáp ứng điều kiện, tiêu chuẩn và biện pháp bảo vệ của cấp độ theo {}",
                                current.meta.title
                            ),
                            citation: projects.rule.citation.clone(),
                            basis: projects.rule.basis,
                        });
                        return Ok(plan);
                    }
                    _ => plan.notes.push(format!(
                        "Thời hạn hoàn thành thẩm định, phê duyệt theo {} đã hết ngày {}: cấp độ được xác định theo {}.",
                        projects.finish_under,
                        vn(projects.approve_by),
                        current.meta.title
                    )),
                }
            }
        }
        if !situation.approved {
            plan.notes.push(t.not_covered.summary.clone());
        }
        Ok(plan)
    }

    /// Which regimes a user may choose for a system in `situation` on `today`: the one in force,
    /// and the predecessor while a transitional project may still finish under it.
    pub fn choosable(&self, situation: Situation<'_>, today: NaiveDate) -> Vec<&Arc<RulePack>> {
        let Ok(current) = self.resolve(None, None, today) else {
            return Vec::new();
        };
        let mut out = vec![current];
        if let Some(projects) = current
            .transition
            .as_ref()
            .and_then(|t| t.investment_projects.as_ref())
        {
            if situation.investment_before_law
                && !situation.approved
                && today <= projects.approve_by
            {
                out.extend(self.get(&projects.finish_under));
            }
        }
        out
    }
}
