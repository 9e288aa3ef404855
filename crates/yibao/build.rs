//! Embeds `policy-data/` into the facade, so the engine works with no files around it.
//!
//! Generates `$OUT_DIR/embedded_policy.rs` with one `(relative path, contents)` entry per file.
//!
//! The data is read from `policy-data/` inside this crate, a symbolic link to the workspace's
//! `policy-data/` (the one copy maintainers edit). `cargo package` follows the link, so the
//! published package carries the data itself and builds with no workspace around it. A checkout
//! made without symbolic links (Git on Windows with `core.symlinks` off writes the link as a
//! small text file) falls back to the workspace's directory two levels up.

use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = policy_root(&manifest)?;
    println!(
        "cargo::rerun-if-changed={}",
        manifest.join("policy-data").display()
    );
    println!("cargo::rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files)?;
    files.sort();
    let mut out = String::from(
        "/// Every file of `policy-data/`, as (path relative to it, contents).\npub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for (relative, absolute) in &files {
        println!("cargo::rerun-if-changed={}", absolute.display());
        out.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    out.push_str("];\n");
    let target =
        PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default()).join("embedded_policy.rs");
    fs::write(target, out)
}

/// The policy-data directory: the package's own (the link, or the packaged copy), else the
/// workspace's when the link was checked out as a plain file.
fn policy_root(manifest: &Path) -> io::Result<PathBuf> {
    let packaged = manifest.join("policy-data");
    if packaged.is_dir() {
        return Ok(packaged);
    }
    let workspace = manifest.join("../../policy-data");
    if workspace.is_dir() {
        return Ok(workspace);
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!(
            "no policy data to embed: neither {} nor {} is a directory",
            packaged.display(),
            workspace.display()
        ),
    ))
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        println!("cargo::rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let relative = relative.to_string_lossy().replace('\\', "/");
            files.push((relative, path));
        }
    }
    Ok(())
}
