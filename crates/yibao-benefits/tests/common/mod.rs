//! Shared test helpers: the real policy data and small constructors.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use yibao_benefits::{
    BenefitParams, Claim, ClaimKind, FamilyDoctor, HospitalLevel, Person, PersonGroup,
    RemoteCareParams, SettleConfig,
};
use yibao_core::{NaiveDate, PolicyYear, RoundingMode, Validate, Yuan};

pub const KUNSHAN_2021: &str = include_str!("../../../../policy-data/kunshan/2021.toml");
pub const HUAIAN_2026: &str = include_str!("../../../../policy-data/huaian/2026.toml");
pub const WUJIANG: &str = include_str!("../../../../policy-data/wujiang/every-year.toml");

fn section<T: serde::de::DeserializeOwned + Validate>(file: &str, name: &str) -> T {
    let table: toml::Table = yibao_core::prose::parse(file).unwrap();
    let value = table
        .get(name)
        .unwrap_or_else(|| panic!("no [{name}]"))
        .clone();
    let parsed: T = value.try_into().unwrap_or_else(|e| panic!("[{name}]: {e}"));
    let findings = parsed.validate();
    assert!(
        findings.is_empty(),
        "[{name}] does not validate: {findings:?}"
    );
    parsed
}

pub fn kunshan() -> BenefitParams {
    section(KUNSHAN_2021, "benefits")
}
pub fn huaian() -> BenefitParams {
    section(HUAIAN_2026, "benefits")
}
pub fn kunshan_remote() -> RemoteCareParams {
    section(KUNSHAN_2021, "remote_care")
}
pub fn huaian_remote() -> RemoteCareParams {
    section(HUAIAN_2026, "remote_care")
}
pub fn wujiang_remote() -> RemoteCareParams {
    section(WUJIANG, "remote_care")
}

pub fn config<'a>(
    benefits: &'a BenefitParams,
    remote: Option<&'a RemoteCareParams>,
) -> SettleConfig<'a> {
    SettleConfig::new(
        benefits,
        remote,
        RoundingMode::HalfAwayFromZero,
        None,
        yibao_benefits::Explain::Steps,
    )
}

pub fn y(text: &str) -> Yuan {
    text.parse().unwrap()
}

pub fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap()
}

pub fn year(y: i64) -> PolicyYear {
    PolicyYear::new(y).unwrap()
}

pub const RESIDENT: Person = Person::new(PersonGroup::Resident, FamilyDoctor::NotSigned);
pub const RESIDENT_SIGNED: Person = Person::new(PersonGroup::Resident, FamilyDoctor::Signed);
pub const STUDENT: Person = Person::new(PersonGroup::Student, FamilyDoctor::NotSigned);

pub fn claim(date: NaiveDate, kind: ClaimKind, level: HospitalLevel, amount: &str) -> Claim {
    Claim::new(date, kind, level, y(amount))
}
