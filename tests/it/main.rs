//! The one integration-test binary: every module talks to a real server on a real database
//! (a temporary SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set).

mod alerts;
mod api_errors;
mod audit;
mod auth;
mod classification;
mod cli;
mod compliance;
mod compliance_reports;
mod deadlines;
mod demo_compliance;
mod demo_dossiers;
mod dossiers;
mod mail;
mod nd331_cases;
mod nd85_cases;
mod openapi;
mod ops;
mod paperwork_annual;
mod paperwork_docx;
mod paperwork_import;
mod paperwork_register;
mod regimes;
mod rule_loader;
mod schema;
mod scoping;
mod support;
mod system_totals;
mod systems;
mod web_alerts;
mod web_compliance;
mod web_dossiers;
mod web_regimes;
mod web_ui;
