//! The real policy data deserialise and validate clean.
mod common;

#[test]
fn policy_sections_validate_clean() {
    let _ = common::kunshan();
    let _ = common::huaian();
    let _ = common::huaian_remote();
    let _ = common::wujiang_remote();
}

/// Each of this crate's broken-data fixtures is refused by deserialisation or validation.
#[test]
fn broken_policy_fixtures_are_caught() {
    use yibao_benefits::{BenefitParams, RemoteCareParams};
    use yibao_core::Validate;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("tests/fixtures/broken-policy");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let section = if name.starts_with("benefits-") {
            "benefits"
        } else if name.starts_with("remote-care-") {
            "remote_care"
        } else {
            continue;
        };
        let fixture: toml::Table =
            yibao_core::prose::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let edit = fixture["edit"].as_array().unwrap()[0].as_table().unwrap();
        let file = root
            .join("policy-data")
            .join(edit["file"].as_str().unwrap());
        let text = std::fs::read_to_string(&file).unwrap();
        let find = edit["find"].as_str().unwrap();
        assert_eq!(
            text.matches(find).count(),
            1,
            "{name}: `find` must occur once"
        );
        let broken = text.replacen(find, edit["replace"].as_str().unwrap(), 1);
        let table: toml::Table = yibao_core::prose::parse(&broken).unwrap();
        let value = table[section].clone();
        let findings = if section == "benefits" {
            value.try_into::<BenefitParams>().map(|p| p.validate())
        } else {
            value.try_into::<RemoteCareParams>().map(|p| p.validate())
        };
        match findings {
            Err(_) => {}
            Ok(found) => assert!(!found.is_empty(), "{name}: not caught"),
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} fixtures found");
}
