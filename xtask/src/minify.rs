//! Minifying wasm-bindgen's JS loader and the CSS, which Trunk is told to
//! leave as they are (its own minifier breaks wasm-bindgen's output,
//! trunk-rs/trunk#761 and #1044, and says so on every build).
//!
//! esbuild is made for exactly this and leaves the module's exports and
//! behaviour alone; it takes the phone app's loader from 60 to 27 KB raw,
//! about 2 KB less gzip. Trunk has already written each file's Subresource
//! Integrity hash into `index.html`, so the hash is replaced with the
//! minified file's: a browser refuses a file whose hash differs.

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

/// Minifies the JS loader and the CSS of the app built into `dist` (every
/// `.js` and `.css` file that `index.html` names with an integrity hash)
/// and updates the hashes.
pub fn loaders(dist: &Path) -> Result<()> {
    let html_path = dist.join("index.html");
    let mut html = fs::read_to_string(&html_path).with_context(|| format!("cannot read {}", html_path.display()))?;
    let mut minified = 0;
    for entry in fs::read_dir(dist)? {
        let path = entry?.path();
        let Some(kind) = path.extension().and_then(|e| e.to_str()).filter(|e| ["js", "css"].contains(e)) else {
            continue;
        };
        let before = integrity(&fs::read(&path)?);
        if !html.contains(&before) {
            // Not a Trunk-built loader (the service worker is copied as is).
            continue;
        }
        let file = path.to_str().context("non-UTF-8 path")?;
        let outfile = format!("--outfile={file}");
        let mut args = vec![file, "--minify", "--log-level=warning", "--allow-overwrite", &outfile];
        if kind == "js" {
            args.push("--format=esm");
        }
        cmd("esbuild", &args)?;
        html = html.replace(&before, &integrity(&fs::read(&path)?));
        minified += usize::from(kind == "js");
    }
    if minified == 0 {
        bail!("no JS loader with an integrity hash in {}: has Trunk's output changed?", html_path.display());
    }
    fs::write(&html_path, without_wasm_preload_integrity(&html))?;
    // The service worker is copied as it is written (it is named without
    // a hash and no integrity); minified, each phone downloads less.
    let worker = dist.join("sw.js");
    if worker.is_file() {
        let file = worker.to_str().context("non-UTF-8 path")?;
        cmd("esbuild", &[file, "--minify", "--log-level=warning", "--allow-overwrite", &format!("--outfile={file}")])?;
    }
    Ok(())
}

/// `html` with the `integrity` attribute taken off the wasm's `preload`
/// link. wasm-bindgen's loader fetches the wasm without integrity
/// metadata, so a preload that has it never matches: the browser downloads
/// the file twice and warns on every load ("a preload … is not used").
/// Without it, the preload is the download the loader uses; the fetch
/// itself never checked a hash, so nothing is lost.
fn without_wasm_preload_integrity(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<link") {
        let end = rest[start..].find('>').map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        out.push_str(&rest[..start]);
        if tag.contains("_bg.wasm") && tag.contains("preload") {
            out.push_str(&without_attribute(tag, "integrity"));
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `tag` without ` name=value` (quoted or, as minified HTML writes it, not).
fn without_attribute(tag: &str, name: &str) -> String {
    let Some(at) = tag.find(&format!(" {name}=")) else { return tag.to_owned() };
    let value = &tag[at + name.len() + 2..];
    let length = match value.chars().next() {
        Some(quote @ ('"' | '\'')) => value[1..].find(quote).map_or(value.len(), |e| e + 2),
        _ => value.find([' ', '>']).unwrap_or(value.len()),
    };
    format!("{}{}", &tag[..at], &value[length..])
}

#[cfg(test)]
mod tests {
    use super::without_wasm_preload_integrity;

    #[test]
    fn the_wasm_preload_loses_its_integrity_and_nothing_else_does() {
        let html = "<link crossorigin href=/a.js integrity=sha384-A rel=modulepreload>\
                    <link as=fetch crossorigin href=/a_bg.wasm integrity=sha384-B rel=preload type=application/wasm>";
        assert_eq!(
            without_wasm_preload_integrity(html),
            "<link crossorigin href=/a.js integrity=sha384-A rel=modulepreload>\
             <link as=fetch crossorigin href=/a_bg.wasm rel=preload type=application/wasm>"
        );
        let quoted = r#"<link rel="preload" href="/b_bg.wasm" integrity="sha384-C" as="fetch">"#;
        assert_eq!(without_wasm_preload_integrity(quoted), r#"<link rel="preload" href="/b_bg.wasm" as="fetch">"#);
    }
}
