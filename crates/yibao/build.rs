//! Embeds `policy-data/` into the facade, so the engine works with no files around it.
//!
//! Generates `$OUT_DIR/embedded_policy.rs` with one `(relative path, contents)` entry per file.

use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../../policy-data");
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
