//! What every published crate must carry: its README, both licence texts (the workspace's,
//! through a symbolic link), the manifest keys of crates.io; and the facade's policy data, which
//! its package holds through `crates/yibao/policy-data`, a link to the workspace's `policy-data/`.
//!
//! A new crate under `crates/` is checked as soon as it exists, unless it says `publish = false`.
//! It needs:
//! - in `[package]`: `description`, `documentation = "https://docs.rs/<name>"`,
//!   `readme = "README.md"`, `keywords`, and `version`, `license`, `repository`, `categories`,
//!   `publish` each `.workspace = true`;
//! - `README.md` beside it, and `LICENSE-MIT`, `LICENSE-APACHE` as symbolic links to
//!   `../../LICENSE-MIT` and `../../LICENSE-APACHE` (`cargo package` copies what they point to);
//! - its entry in the root's `[workspace.dependencies]` with a `version` beside the `path`
//!   (a published package depends on the version), and in `exclude`, whatever reads files
//!   outside the crate (tests over the workspace's `policy-data/` or fixtures);
//! - a `build.rs` or `include_str!` reaches files inside the crate only, as the facade's build
//!   script does through its `policy-data` link.

use std::fs;
use std::path::{Path, PathBuf};

use yibao::policy::PolicyFiles;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every crate under `crates/` that may be published, with its parsed manifest.
fn published_crates() -> Vec<(String, toml::Table)> {
    let mut crates = Vec::new();
    for entry in fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(text) = fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let manifest: toml::Table = text.parse().unwrap();
        let package = manifest["package"].as_table().unwrap();
        if package.get("publish").and_then(toml::Value::as_bool) == Some(false) {
            continue;
        }
        crates.push((
            dir.file_name().unwrap().to_string_lossy().into_owned(),
            manifest,
        ));
    }
    crates.sort_by(|a, b| a.0.cmp(&b.0));
    crates
}

#[test]
fn every_published_crate_carries_its_readme_licences_and_keys() {
    let crates = published_crates();
    assert!(
        crates.len() >= 6,
        "{:?}",
        crates.iter().map(|c| &c.0).collect::<Vec<_>>()
    );
    let mit = fs::read(root().join("LICENSE-MIT")).unwrap();
    let apache = fs::read(root().join("LICENSE-APACHE")).unwrap();
    for (name, manifest) in &crates {
        let dir = root().join("crates").join(name);
        let package = manifest["package"].as_table().unwrap();
        assert_eq!(
            package["name"].as_str(),
            Some(name.as_str()),
            "{name}: folder and name"
        );
        for key in ["description", "documentation", "readme", "keywords"] {
            assert!(
                package.contains_key(key),
                "{name}: Cargo.toml has no `{key}`"
            );
        }
        for key in ["license", "repository", "categories", "publish", "version"] {
            assert!(
                package[key].get("workspace").and_then(toml::Value::as_bool) == Some(true),
                "{name}: `{key}` is not taken from the workspace (`{key}.workspace = true`)"
            );
        }
        assert_eq!(
            package["documentation"].as_str(),
            Some(format!("https://docs.rs/{name}").as_str()),
            "{name}: documentation"
        );
        let readme = package["readme"].as_str().unwrap();
        assert!(dir.join(readme).is_file(), "{name}: no {readme}");
        assert_eq!(
            fs::read(dir.join("LICENSE-MIT")).ok(),
            Some(mit.clone()),
            "{name}: LICENSE-MIT"
        );
        assert_eq!(
            fs::read(dir.join("LICENSE-APACHE")).ok(),
            Some(apache.clone()),
            "{name}: LICENSE-APACHE"
        );
    }
}

#[test]
fn the_facade_embeds_the_workspace_policy_data_file_for_file() {
    let embedded = PolicyFiles::embedded();
    let workspace = PolicyFiles::from_dir(&root().join("policy-data")).unwrap();
    let listed = |files: &PolicyFiles| {
        files
            .iter()
            .map(|(path, _)| path.to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(&embedded), listed(&workspace), "the same files");
    for (path, text) in workspace.iter() {
        assert!(
            embedded.get(path) == Some(text),
            "{path} differs from the embedded copy"
        );
    }
}
