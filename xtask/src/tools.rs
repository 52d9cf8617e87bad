//! Installs the tools the build and the tests need, when they are missing
//! or at the wrong version. Each check is cheap, so a warm run costs
//! nothing; a fresh machine gets everything on its first run.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{cmd, root, step};

/// Trunk 0.22 needs a newer rustc than the machines have; 0.21.14 builds
/// only with `--locked`.
const TRUNK_VERSION: &str = "0.21.14";
/// wasm-opt from npm: Debian's binaryen is too old for what rustc emits.
const BINARYEN_VERSION: &str = "132.0.0";
/// esbuild from npm, for minifying wasm-bindgen's JS loader.
const ESBUILD_VERSION: &str = "0.25.12";
const CHROMIUM: &str = "/usr/bin/chromium";
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Where npm-installed build tools live.
fn tools_dir() -> PathBuf {
    root().join("target/tools")
}

/// `PATH` with the project's tool folders first, so Trunk finds the
/// matching wasm-opt and wasm-bindgen instead of downloading its own.
pub fn path_with_tools() -> String {
    let mut parts = vec![tools_dir().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        parts.push(home.join("bin"));
    }
    let current = std::env::var_os("PATH").unwrap_or_default();
    parts.extend(std::env::split_paths(&current));
    std::env::join_paths(parts).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The first line a tool prints for `--version`, if it runs.
fn version_of(program: &str) -> Option<String> {
    let output = Command::new(program).arg("--version").env("PATH", path_with_tools()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").to_owned())
}

/// The wasm-bindgen version in Cargo.lock; the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("cannot read Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            let version = lines.next().and_then(|l| l.strip_prefix("version = \"")).and_then(|v| v.strip_suffix('"'));
            return version.map(str::to_owned).context("malformed Cargo.lock entry for wasm-bindgen");
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

/// Everything `trunk build` needs.
pub fn ensure_build_tools() -> Result<()> {
    step("check the build tools", || {
        let installed = Command::new("rustup").args(["target", "list", "--installed"]).output()?;
        if !String::from_utf8_lossy(&installed.stdout).contains("wasm32-unknown-unknown") {
            cmd("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
        }

        if version_of("trunk").as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
            println!("installing Trunk {TRUNK_VERSION} (about 6 minutes on 2 cores)");
            cmd("cargo", &["install", "--locked", &format!("trunk@{TRUNK_VERSION}")])?;
        }

        let bindgen = locked_wasm_bindgen()?;
        let trunk_toml = std::fs::read_to_string(root().join("Trunk.toml"))?;
        if !trunk_toml.contains(&format!("wasm_bindgen = \"{bindgen}\"")) {
            bail!("Trunk.toml's wasm_bindgen must be {bindgen}, the version in Cargo.lock");
        }
        if version_of("wasm-bindgen").as_deref() != Some(&format!("wasm-bindgen {bindgen}")) {
            println!("installing wasm-bindgen-cli {bindgen} (about 3 minutes)");
            // Not --locked: one of its locked dependencies is missing from the registry mirror.
            cmd("cargo", &["install", "--force", &format!("wasm-bindgen-cli@{bindgen}")])?;
        }

        let major = BINARYEN_VERSION.split('.').next().unwrap_or_default();
        let wasm_opt_ok = version_of("wasm-opt").is_some_and(|v| v.starts_with(&format!("wasm-opt version {major} ")));
        let esbuild_ok = version_of("esbuild").as_deref() == Some(ESBUILD_VERSION);
        if !wasm_opt_ok || !esbuild_ok {
            std::fs::create_dir_all(tools_dir())?;
            let prefix = tools_dir();
            let prefix = prefix.to_str().context("non-UTF-8 path")?;
            let (binaryen, esbuild) = (format!("binaryen@{BINARYEN_VERSION}"), format!("esbuild@{ESBUILD_VERSION}"));
            cmd("npm", &["install", "--prefix", prefix, "--no-audit", "--no-fund", &binaryen, &esbuild])?;
        }
        Ok(())
    })
}

/// cargo-fuzz, for `cargo xtask fuzz` and the short fuzz run in the tests.
pub fn ensure_cargo_fuzz() -> Result<()> {
    step("check cargo-fuzz", || {
        let installed = Command::new("cargo").args(["fuzz", "--version"]).env("PATH", path_with_tools()).output();
        if !installed
            .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains(CARGO_FUZZ_VERSION))
        {
            println!("installing cargo-fuzz {CARGO_FUZZ_VERSION} (about 2 minutes)");
            cmd("cargo", &["install", "--locked", &format!("cargo-fuzz@{CARGO_FUZZ_VERSION}")])?;
        }
        Ok(())
    })
}

/// Debian packages the tests run for real: Chromium for the browser tests,
/// Caddy for the tested reverse-proxy configuration.
const TEST_PACKAGES: &[(&str, &str)] = &[(CHROMIUM, "chromium"), ("/usr/bin/caddy", "caddy")];

/// Chromium, Caddy and the Node packages the browser tests use.
pub fn ensure_browser_test_tools() -> Result<()> {
    step("check the browser test tools", || {
        let missing: Vec<&str> = TEST_PACKAGES
            .iter()
            .filter(|(program, _)| !std::path::Path::new(program).exists())
            .map(|(_, package)| *package)
            .collect();
        if !missing.is_empty() {
            println!("installing Debian's {}", missing.join(" and "));
            let sudo = if is_root() { vec![] } else { vec!["sudo"] };
            let apt = |args: &[&str]| {
                let mut all: Vec<&str> = sudo.clone();
                all.push("apt-get");
                all.extend_from_slice(args);
                cmd(all[0], &all[1..])
            };
            apt(&["update"])?;
            let mut install = vec!["install", "-y", "--no-install-recommends"];
            install.extend(&missing);
            apt(&install)?;
        }
        ensure_npm_packages("tests/browser")
    })
}

/// `npm ci` in `folder` (relative to the root) unless its `node_modules`
/// is newer than its lock file.
pub fn ensure_npm_packages(folder: &str) -> Result<()> {
    let packages = root().join(folder);
    let installed = packages.join("node_modules/.package-lock.json");
    let lock = packages.join("package-lock.json");
    let stale = match (std::fs::metadata(&installed), std::fs::metadata(&lock)) {
        (Ok(a), Ok(b)) => a.modified()? < b.modified()?,
        _ => true,
    };
    if stale {
        cmd("npm", &["ci", "--prefix", folder, "--no-audit", "--no-fund"])?;
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
