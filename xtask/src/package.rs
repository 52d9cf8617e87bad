//! `cargo xtask package`: the Debian package. The files are laid out in
//! `target/debian/stage/` and packed by Debian's own `dpkg-deb`:
//!
//! * `/usr/bin/innom`, the server (release build);
//! * `/usr/share/innom/client/`, the built apps, precompressed;
//! * `/lib/systemd/system/innom.service`, the hardened unit
//!   (`packaging/innom.service`), and `/etc/innom/innom.conf`, its settings
//!   (a conffile: an upgrade never overwrites the operator's changes);
//! * `/usr/share/doc/innom/`: OPERATIONS.md, the README and the Caddy
//!   example;
//! * the maintainer scripts in `packaging/debian/` (the system user, and
//!   starting or restarting the service).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{build_client, cmd, root, step, tools};

/// Builds the package; with `binary`, packs that server binary instead of
/// building a release one (the test command packs its debug build).
pub fn package(binary: Option<PathBuf>) -> Result<PathBuf> {
    let binary = match binary {
        Some(path) => path,
        None => {
            tools::ensure_build_tools()?;
            build_client()?;
            step("build the server (release)", || cmd("cargo", &["build", "--release", "--package", "innom-server"]))?;
            root().join("target/release/innom")
        }
    };
    let dist = root().join("dist");
    if !dist.join("index.html").is_file() || !dist.join("kontor/index.html").is_file() {
        bail!("dist/ has no built client; run `cargo xtask build` first");
    }
    let version = workspace_version()?;
    let architecture = command_output("dpkg", &["--print-architecture"])?;
    let out = root().join("target/debian");
    let stage = out.join("stage");
    if stage.exists() {
        fs::remove_dir_all(&stage)?;
    }
    let packaging = root().join("packaging");
    let docs = stage.join("usr/share/doc/innom");

    install(&binary, &stage.join("usr/bin/innom"), 0o755)?;
    // Debian ships binaries without debug information (binutils' strip).
    let packed_binary = stage.join("usr/bin/innom");
    cmd("strip", &["--strip-debug", packed_binary.to_str().context("non-UTF-8 path")?])?;
    copy_tree(&dist, &stage.join("usr/share/innom/client"))?;
    install(&packaging.join("innom.service"), &stage.join("lib/systemd/system/innom.service"), 0o644)?;
    install(&packaging.join("innom.conf"), &stage.join("etc/innom/innom.conf"), 0o640)?;
    install(&root().join("docs/OPERATIONS.md"), &docs.join("OPERATIONS.md"), 0o644)?;
    install(&root().join("README.md"), &docs.join("README.md"), 0o644)?;
    install(&packaging.join("Caddyfile"), &docs.join("examples/Caddyfile"), 0o644)?;
    write(&docs.join("copyright"), COPYRIGHT, 0o644)?;

    let control = stage.join("DEBIAN");
    for script in ["postinst", "prerm", "postrm"] {
        install(&packaging.join("debian").join(script), &control.join(script), 0o755)?;
    }
    write(&control.join("conffiles"), "/etc/innom/innom.conf\n", 0o644)?;
    let glibc = glibc_needed(&fs::read(&binary)?).context("the binary names no glibc version")?;
    let installed_kib = tree_size(&stage)?.div_ceil(1024);
    let fields = format!(
        "Package: innom\n\
         Version: {version}\n\
         Architecture: {architecture}\n\
         Maintainer: Innom <drift@innom.no>\n\
         Installed-Size: {installed_kib}\n\
         Depends: libc6 (>= {glibc}), adduser, init-system-helpers\n\
         Suggests: caddy\n\
         Section: web\n\
         Priority: optional\n\
         Homepage: https://innom.no\n\
         Description: offline-first field records for employment programmes\n \
         Innom is the sync server and web app with which employment advisors\n \
         record drop-in visits at practice placements on their phones, offline,\n \
         workplace mentors give feedback from a link, and office staff review\n \
         the merged records. Runs as the systemd service innom; settings in\n \
         /etc/innom/innom.conf, data in /var/lib/innom.\n"
    );
    write(&control.join("control"), &fields, 0o644)?;

    let deb = out.join(format!("innom_{version}_{architecture}.deb"));
    let (stage_arg, deb_arg) = (stage.to_str().context("non-UTF-8 path")?, deb.to_str().context("non-UTF-8 path")?);
    step("pack the Debian package (dpkg-deb)", || {
        cmd("dpkg-deb", &["--root-owner-group", "-Zxz", "--build", stage_arg, deb_arg])
    })?;
    println!("Debian package: {}", deb.display());
    Ok(deb)
}

const COPYRIGHT: &str = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\
Upstream-Name: innom\n\n\
Files: *\n\
Copyright: Innom contributors\n\
License: AGPL-3.0-or-later\n";

/// The `version` of `[workspace.package]` in the root Cargo.toml.
fn workspace_version() -> Result<String> {
    let manifest = fs::read_to_string(root().join("Cargo.toml"))?;
    let section = manifest.split("[workspace.package]").nth(1).context("no [workspace.package]")?;
    let line = section.lines().find(|l| l.trim_start().starts_with("version")).context("no version")?;
    Ok(line.split('"').nth(1).context("version is not a string")?.to_owned())
}

/// The newest `GLIBC_2.N` symbol version the binary asks for: the lowest
/// libc6 it runs with.
fn glibc_needed(binary: &[u8]) -> Option<String> {
    let marker = b"GLIBC_2.";
    binary
        .windows(marker.len())
        .enumerate()
        .filter(|(_, w)| *w == marker)
        .filter_map(|(at, _)| {
            let digits: String =
                binary[at + marker.len()..].iter().take_while(|b| b.is_ascii_digit()).map(|&b| char::from(b)).collect();
            digits.parse::<u32>().ok()
        })
        .max()
        .map(|minor| format!("2.{minor}"))
}

fn command_output(program: &str, args: &[&str]) -> Result<String> {
    let output = Command::new(program).args(args).output().with_context(|| format!("running {program}"))?;
    if !output.status.success() {
        bail!("{program} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8(output.stdout)?.trim().to_owned())
}

fn install(from: &Path, to: &Path, mode: u32) -> Result<()> {
    fs::create_dir_all(to.parent().context("no parent")?)?;
    fs::copy(from, to).with_context(|| format!("copying {}", from.display()))?;
    fs::set_permissions(to, fs::Permissions::from_mode(mode))?;
    Ok(())
}

fn write(to: &Path, text: &str, mode: u32) -> Result<()> {
    fs::create_dir_all(to.parent().context("no parent")?)?;
    fs::write(to, text)?;
    fs::set_permissions(to, fs::Permissions::from_mode(mode))?;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            install(&entry.path(), &target, 0o644)?;
        }
    }
    Ok(())
}

fn tree_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        total += if entry.file_type()?.is_dir() { tree_size(&entry.path())? } else { entry.metadata()?.len() };
    }
    Ok(total)
}
