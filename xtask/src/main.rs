//! The project's commands, so that a fresh machine needs nothing but Rust,
//! Node and this repository:
//!
//! * `cargo xtask run [--no-demo] [--listen ADDR]`: installs the missing
//!   tools, builds the client and the server in release mode and serves
//!   Innom at http://127.0.0.1:8080 with `data/innom.sqlite`.
//! * `cargo xtask test`: every check: formatting, clippy, all Rust tests,
//!   the release wasm build with its size budget, and the browser tests in
//!   headless Chromium.
//! * `cargo xtask bench`: the sync load generator and the office
//!   benchmark against a release server; prints the figures (sizes,
//!   throughput, latency, memory). `--peer` instead runs Innom beside an
//!   automerge-repo sync server on its workload, alternating.
//! * `cargo xtask package [--binary FILE]`: the Debian package
//!   `target/debian/innom_VERSION_ARCH.deb` (release build, or FILE).
//! * `cargo xtask fuzz [SECONDS]`: runs each fuzz target in `fuzz/` for
//!   SECONDS (default 600); the test command runs them for 30 s each.
//! * `cargo xtask sqlx-prepare`: refreshes `.sqlx/` after a schema or query
//!   change.

mod budget;
mod minify;
mod package;
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("build") => tools::ensure_build_tools().and_then(|()| build_client()),
        Some("test") => test(),
        Some("sqlx-prepare") => sqlx_prepare(),
        Some("bench") => match args.get(1).map(String::as_str) {
            None => bench(),
            Some("--peer") => bench_peer(),
            Some(other) => Err(anyhow::anyhow!("unknown option {other}; usage: cargo xtask bench [--peer]")),
        },
        Some("figures") => figures(),
        Some("package") => match (args.get(1).map(String::as_str), args.get(2)) {
            (None, _) => package::package(None).map(drop),
            (Some("--binary"), Some(file)) => package::package(Some(PathBuf::from(file))).map(drop),
            _ => Err(anyhow::anyhow!("usage: cargo xtask package [--binary FILE]")),
        },
        Some("fuzz") => match args.get(1).map(|s| s.parse::<u64>()).transpose() {
            Ok(seconds) => fuzz(seconds.unwrap_or(600)),
            Err(_) => Err(anyhow::anyhow!("usage: cargo xtask fuzz [SECONDS]")),
        },
        _ => {
            eprintln!(
                "usage: cargo xtask run [--no-demo] [--listen ADDR] | build | test | bench [--peer] | figures | package [--binary FILE] | fuzz [SECONDS] | sqlx-prepare"
            );
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// Runs a command in the workspace root; fails if it fails.
fn cmd(program: &str, args: &[&str]) -> Result<()> {
    cmd_with_env(program, args, &[])
}

/// [`cmd`] with extra environment variables.
fn cmd_with_env(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    let status = Command::new(program)
        .args(args)
        .current_dir(root())
        .env("PATH", tools::path_with_tools())
        .envs(env.iter().copied())
        .status()
        .with_context(|| format!("cannot start {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Runs `step`, printing its name and how long it took.
fn step<T>(name: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\n==> {name}");
    let started = Instant::now();
    let result = step();
    println!("<== {name}: {:.1} s", started.elapsed().as_secs_f64());
    result
}

/// The apps built beside the phone app: name, folder under `dist/` (and
/// the address they are served at), and Trunk's HTML entry.
const SUB_APPS: [(&str, &str, &str); 2] =
    [("office app", "kontor", "client/office.html"), ("mentor's app", "fadder", "client/mentor.html")];

/// Builds the phone app into `dist/`, the office app into `dist/kontor/`
/// (served at `/kontor`) and the mentor's app into `dist/fadder/` (served
/// at `/fadder`), and precompresses them. The phone app first: Trunk
/// empties its output folder, the other two with it.
fn build_client() -> Result<()> {
    step("build the phone app (trunk, release)", || cmd("trunk", &["build", "--release", "--offline"]))?;
    for (name, dir, html) in SUB_APPS {
        let (dist, public_url) = (format!("dist/{dir}"), format!("/{dir}/"));
        step(&format!("build the {name} (trunk, release)"), || {
            cmd("trunk", &["build", "--release", "--offline", "--dist", &dist, "--public-url", &public_url, html])
        })?;
    }
    let dists: Vec<_> = std::iter::once(root().join("dist"))
        .chain(SUB_APPS.iter().map(|(_, dir, _)| root().join("dist").join(dir)))
        .collect();
    step("minify the JS loaders and CSS (esbuild)", || dists.iter().try_for_each(|dist| minify::loaders(dist)))?;
    step("precompress the client", || budget::precompress(&dists))
}

fn run(args: &[String]) -> Result<()> {
    let mut demo = true;
    let mut listen = "127.0.0.1:8080".to_owned();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--no-demo" => demo = false,
            "--listen" => listen = rest.next().context("--listen needs an address")?.clone(),
            other => bail!("unknown option {other:?}; use --no-demo or --listen ADDR"),
        }
    }
    tools::ensure_build_tools()?;
    build_client()?;
    step("build the server (release)", || cmd("cargo", &["build", "--release", "--package", "innom-server"]))?;
    let innom = root().join("target/release/innom");
    let mut serve = vec!["serve", "--listen", &listen, "--database", "data/innom.sqlite", "--static-dir", "dist"];
    if demo {
        serve.push("--demo");
    }
    println!("\nStarting Innom; stop it with Ctrl-C.");
    cmd(innom.to_str().context("non-UTF-8 path")?, &serve)
}

fn test() -> Result<()> {
    let started = Instant::now();
    tools::ensure_build_tools()?;
    tools::ensure_browser_test_tools()?;
    step("formatting", || cmd("cargo", &["fmt", "--all", "--", "--check"]))?;
    step("clippy (host)", || cmd("cargo", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    step("clippy (wasm client and shared)", || {
        cmd(
            "cargo",
            &[
                "clippy",
                "--package",
                "innom-client",
                "--package",
                "innom-shared",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ],
        )
    })?;
    step("unit and integration tests", || cmd("cargo", &["test", "--workspace"]))?;
    build_client()?;
    step("client size budgets", || {
        budget::report("phone app", &root().join("dist"), budget::PHONE_BUDGET)?;
        budget::report("office app", &root().join("dist/kontor"), budget::OFFICE_BUDGET)?;
        budget::report("mentor's app", &root().join("dist/fadder"), budget::MENTOR_BUDGET)
    })?;
    // `cargo test` built target/debug/innom for the CLI tests; building it
    // again with `-p innom-server` would compile a second copy of every
    // dependency under other features.
    if !root().join("target/debug/innom").is_file() {
        bail!("target/debug/innom is missing after `cargo test`");
    }
    // The package the browser tests install and run, with the debug
    // binary: its layout, unit and scripts are what is tested.
    package::package(Some(root().join("target/debug/innom")))?;
    step("browser tests (headless Chromium)", || {
        cmd("node", &["--test", "--test-reporter=spec", "--test-concurrency=1", "tests/browser/"])
    })?;
    fuzz(30)?;
    println!("\nAll checks passed in {:.0} s.", started.elapsed().as_secs_f64());
    Ok(())
}

/// The fuzz targets in `fuzz/fuzz_targets/`.
const FUZZ_TARGETS: &[&str] = &["sync_request", "merge_push"];

/// Runs every fuzz target for `seconds`. cargo-fuzz needs nightly compiler
/// flags (sanitizers, coverage); the machines have only stable Rust, whose
/// compiler accepts them with `RUSTC_BOOTSTRAP=1`. A crash fails the run and
/// leaves the input in `fuzz/artifacts/`.
fn fuzz(seconds: u64) -> Result<()> {
    tools::ensure_cargo_fuzz()?;
    let nightly_flags = [("RUSTC_BOOTSTRAP", "1")];
    step("build the fuzz targets", || cmd_with_env("cargo", &["fuzz", "build", "-O"], &nightly_flags))?;
    let time = format!("-max_total_time={seconds}");
    for target in FUZZ_TARGETS {
        step(&format!("fuzz {target} for {seconds} s"), || {
            cmd_with_env("cargo", &["fuzz", "run", "-O", target, "--", &time, "-print_final_stats=1"], &nightly_flags)
        })?;
    }
    Ok(())
}

/// Builds the release server and the benchmark binaries `bins`
/// (`tests/src/bin/`).
fn build_bench(bins: &[&str]) -> Result<()> {
    step("build the server and the load generator (release)", || {
        let mut args =
            vec!["build", "--release", "--package", "innom-server", "--package", "innom-tests", "--bin", "innom"];
        args.extend(bins.iter().flat_map(|bin| ["--bin", *bin]));
        cmd("cargo", &args)
    })
}

fn bench() -> Result<()> {
    build_bench(&["loadgen", "officebench"])?;
    step("sync load generator", || cmd("target/release/loadgen", &["target/release/innom"]))?;
    step("office figures (10,000 placements, 100,000 visits)", || {
        cmd("target/release/officebench", &["target/release/innom"])
    })
}

/// Innom beside an automerge-repo sync server on that server's workload
/// (`tests/src/bin/peerbench.rs`, `tests/peer/`).
fn bench_peer() -> Result<()> {
    step("install the automerge-repo sync server (npm, pinned)", || tools::ensure_npm_packages("tests/peer"))?;
    build_bench(&["peerbench"])?;
    step("Innom and automerge-repo, side by side", || cmd("target/release/peerbench", &["target/release/innom"]))
}

/// The phone app's figures in a real browser: Lighthouse (mobile profile)
/// scores and time to interactive, cold and warm, the time to save a visit
/// with the CPU slowed 4x, and a mentor's feedback from link to saved.
fn figures() -> Result<()> {
    tools::ensure_build_tools()?;
    tools::ensure_browser_test_tools()?;
    step("install Lighthouse", || tools::ensure_npm_packages("tests/figures"))?;
    build_client()?;
    step("build the server", || cmd("cargo", &["build", "--package", "innom-server"]))?;
    step("Lighthouse, mobile profile", || cmd("node", &["tests/figures/lighthouse.mjs"]))?;
    step("saving a visit, CPU slowed 4x", || cmd("node", &["tests/figures/save-timing.mjs"]))?;
    step("mentor feedback from the link", || cmd("node", &["tests/figures/mentor-feedback.mjs"]))
}

/// Regenerates `.sqlx/` from a scratch database with every migration
/// applied. A developer command: it uses Python's built-in sqlite3 module to
/// apply the migrations, because the server cannot be built to do it before
/// its new queries have query data.
fn sqlx_prepare() -> Result<()> {
    let root = root();
    let scratch = root.join("target/sqlx-prepare.sqlite");
    let _ = std::fs::remove_file(&scratch);
    step("create a scratch database", || {
        let script = "import glob, sqlite3, sys\n\
                      db = sqlite3.connect(sys.argv[1])\n\
                      for f in sorted(glob.glob('server/migrations/*.sql')): db.executescript(open(f).read())\n\
                      db.commit()\n";
        cmd("python3", &["-c", script, scratch.to_str().context("non-UTF-8 path")?])
    })?;
    let offline_dir = root.join(".sqlx");
    std::fs::create_dir_all(&offline_dir)?;
    for old in std::fs::read_dir(&offline_dir)? {
        std::fs::remove_file(old?.path())?;
    }
    step("record the query data", || {
        // Touch the server's sources so every query macro runs again.
        touch_rust_files(&root.join("server/src"))?;
        let status = Command::new("cargo")
            .args(["check", "--package", "innom-server", "--all-targets"])
            .current_dir(&root)
            .env("SQLX_OFFLINE", "false")
            .env("DATABASE_URL", format!("sqlite:{}", scratch.display()))
            .env("SQLX_OFFLINE_DIR", &offline_dir)
            .status()?;
        anyhow::ensure!(status.success(), "cargo check failed");
        Ok(())
    })
}

fn touch_rust_files(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            touch_rust_files(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            std::fs::File::options().append(true).open(&path)?.set_modified(std::time::SystemTime::now())?;
        }
    }
    Ok(())
}
