//! The endpoints, one file per group.

pub mod batch;
pub mod policies;
pub mod questions;
pub mod service;
pub mod settle;
