//! capdo: security-level classification of information systems, level-proposal dossiers and
//! security warnings for Vietnamese state agencies.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod jobs;
pub mod mail;
pub mod repo;
pub mod rules;
pub mod services;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod web;
