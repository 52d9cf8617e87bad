//! Minifying wasm-bindgen's JS loader, which Trunk leaves as it is (its own
//! minifier breaks wasm-bindgen's output, trunk-rs/trunk#761 and #1044).
//!
//! esbuild is made for exactly this and leaves the module's exports and
//! behaviour alone; it takes the phone app's loader from 60 to 27 KB raw,
//! about 2 KB less gzip. Trunk has already written the loader's Subresource
//! Integrity hash into `index.html`, so the hash is replaced with the
//! minified file's: a browser refuses a preloaded script whose hash differs.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine;
use sha2::{Digest, Sha384};

use crate::cmd;

/// The `integrity` attribute value for `bytes`, as Trunk writes it.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

/// Minifies the JS loader of the app built into `dist` (every `.js` file
/// that `index.html` preloads with an integrity hash) and updates the hash.
pub fn loaders(dist: &Path) -> Result<()> {
    let html_path = dist.join("index.html");
    let mut html = fs::read_to_string(&html_path).with_context(|| format!("cannot read {}", html_path.display()))?;
    let mut minified = 0;
    for entry in fs::read_dir(dist)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let before = integrity(&fs::read(&path)?);
        if !html.contains(&before) {
            // Not a Trunk-built loader (the service worker is copied as is).
            continue;
        }
        let file = path.to_str().context("non-UTF-8 path")?;
        cmd(
            "esbuild",
            &[
                file,
                "--minify",
                "--format=esm",
                "--log-level=warning",
                "--allow-overwrite",
                &format!("--outfile={file}"),
            ],
        )?;
        html = html.replace(&before, &integrity(&fs::read(&path)?));
        minified += 1;
    }
    if minified == 0 {
        bail!("no JS loader with an integrity hash in {}: has Trunk's output changed?", html_path.display());
    }
    fs::write(&html_path, html)?;
    Ok(())
}
