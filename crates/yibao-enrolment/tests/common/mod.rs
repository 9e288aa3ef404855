//! Shared helpers: the real policy data and date shorthands.
#![allow(dead_code, missing_docs)]

use chrono::NaiveDate;
use yibao_core::{PolicyYear, Validate};
use yibao_enrolment::{EnrolmentHistory, EnrolmentSection, Event, EventKind};

pub const HUAIAN_2026: &str = include_str!("../../../../policy-data/huaian/2026.toml");
pub const KUNSHAN_2021: &str = include_str!("../../../../policy-data/kunshan/2021.toml");

pub fn section(text: &str) -> EnrolmentSection {
    let table: toml::Table = yibao_core::prose::parse(text).unwrap();
    let section: EnrolmentSection = table["enrolment"].clone().try_into().unwrap();
    let problems = section.validate();
    assert!(problems.is_empty(), "{problems:?}");
    section
}

pub fn huaian() -> EnrolmentSection {
    section(HUAIAN_2026)
}

pub fn kunshan() -> EnrolmentSection {
    section(KUNSHAN_2021)
}

pub fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub fn y(year: i64) -> PolicyYear {
    PolicyYear::new(year).unwrap()
}

pub fn pay(on: &str, year: i64) -> Event {
    Event::payment(d(on), y(year))
}

pub fn ev(on: &str, kind: EventKind) -> Event {
    Event::new(d(on), kind)
}

pub fn history(born: &str, events: Vec<Event>) -> EnrolmentHistory {
    EnrolmentHistory::new(d(born), events)
}

pub fn rules_of(ids: Vec<yibao_core::RuleId>) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}
