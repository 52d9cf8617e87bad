//! `innom`: reads the command line, sets up logging and runs the command.

use std::process::ExitCode;

use clap::Parser;
use innom_server::commands;
use innom_server::config::{Cli, LogFormat};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than the system's allocator: it hands freed memory back
/// (glibc kept every password hash's 19 MiB per thread: 50 logins left the
/// server at 686 MiB) and allocates faster on the sync path.
#[global_allocator]
static ALLOCATOR: innom_allocator::MiMalloc = innom_allocator::MiMalloc;

fn main() -> ExitCode {
    innom_allocator::return_freed_memory_promptly();
    // Blocking threads run merges and password hashes, which are CPU-bound:
    // more threads than cores add no speed, only memory (each thread keeps
    // freed memory of its own for a while). On two cores, eight threads
    // peaked the sync comparison at 104–116 MiB, two at 88–99 MiB, at the
    // same rate (docs/PERFORMANCE.md).
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(cores.max(2)).build();
    match runtime {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("innom: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One clear line, not clap's whole usage text.
            eprintln!("innom: {}", one_line(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_env("INNOM_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }

    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("innom: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Clap's first line, and when it ends in a colon the indented lines that
/// finish it ("…were not provided: --tls-key <TLS_KEY>").
fn one_line(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let mut line = lines.next().unwrap_or("invalid arguments").trim_start_matches("error: ").to_owned();
    if line.ends_with(':') {
        for more in lines.take_while(|l| l.starts_with(' ')) {
            line.push(' ');
            line.push_str(more.trim());
        }
    }
    line
}
