//! The endpoints, one file per group.

pub mod arrow_frames;
pub mod asked;
pub mod batch;
pub mod batch_arrow;
pub mod catastrophic;
pub mod deadline;
pub mod decide;
pub mod policies;
pub mod questions;
pub mod service;
pub mod settle;
