//! The `capdo` binary: parse the command line, set up logging, dispatch.

use clap::Parser;

fn main() -> std::process::ExitCode {
    capdo::telemetry::init_tracing();
    let cli = capdo::cli::Cli::parse();
    capdo::cli::run(cli)
}
