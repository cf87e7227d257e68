//! `GET /systems/{id}/regimes`: one system under the lapsed regime and under the one in force,
//! side by side. With htmx it is a fragment loaded into the detail page after it is shown (so
//! the page stays fast); without JavaScript the detail page links to it as a page of its own.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use super::pages::csrf_for;
use super::regime_templates::{ComparisonPage, ComparisonPartial, RegimeNoticePartial};
use super::regime_views::Comparison;
use super::systems::{error_page, login_redirect, respond};
use super::templates::{render, Chrome};
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::rules::today_in_vietnam;
use crate::services::{self, regime_report, Actor};
use crate::startup::AppState;

fn no_store(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

pub async fn compare(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<AuthUser>,
    id: web::Path<String>,
) -> HttpResponse {
    let htmx = req.headers().contains_key("hx-request");
    let Some(user) = user else {
        return if htmx {
            HttpResponse::Unauthorized()
                .insert_header(("HX-Redirect", "/login"))
                .finish()
        } else {
            login_redirect(&req)
        };
    };
    let actor = Actor::user(&user);
    let registry = state.rules.clone();
    let id = id.into_inner();
    // The system must be visible first; a comparison that cannot be made (no regime replaces
    // another, 409) is shown in place of the comparison, not as a broken page.
    let loaded = state
        .db
        .run(move |conn| {
            let view = services::systems::get(conn, &actor, &id)?;
            let compared =
                regime_report::compare_system(conn, &registry, &actor, &id, today_in_vietnam());
            Ok((view, compared))
        })
        .await;
    let (view, compared) = match loaded {
        Ok(found) => found,
        Err(e) => return error_page(&req, &state, &user, e),
    };
    let comparison = match compared {
        Ok(c) => Comparison::new(c, &view.classification.result),
        Err(e @ (AppError::Conflict(_) | AppError::Validation { .. })) if htmx => {
            // htmx 2 does not swap error responses: the explanation is sent as a fragment.
            let notice = RegimeNoticePartial {
                message: e.to_string(),
            };
            return no_store(render(StatusCode::OK, &notice));
        }
        Err(e) => return error_page(&req, &state, &user, e),
    };
    if htmx {
        return no_store(render(StatusCode::OK, &ComparisonPartial { c: comparison }));
    }
    let (token, cookie) = csrf_for(&req, &state);
    let page = ComparisonPage {
        chrome: Chrome::signed_in(token, &user.principal, "systems"),
        c: comparison,
    };
    respond(StatusCode::OK, &page, cookie)
}
