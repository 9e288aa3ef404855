//! The caps in force a [`super::Settler`] keeps: a batch's persons share a handful of
//! incentive histories, so a later person with the same book and history gets a copy of the
//! cap instead of a new computation.

use std::sync::Arc;

use yibao_benefits::Explain;
use yibao_catastrophic::{CapInForce, CatastrophicError, CatastrophicPolicy, IncentiveHistory};

use crate::policy::Book;

/// How many caps in force are kept.
const KEPT_CAPS: usize = 8;

/// A cap in force and what it was computed from: a book (held, so that it is the same book
/// while kept: a library's books never change, and its clones share them) and the person's
/// incentive history, with or without its explanation.
#[derive(Clone)]
struct KeptCap {
    book: Arc<Book>,
    history: IncentiveHistory,
    explain: Explain,
    cap: CapInForce,
}

/// The caps in force of the last few distinct sources, oldest first.
#[derive(Clone, Default)]
pub(super) struct KeptCaps(Vec<KeptCap>);

impl std::fmt::Debug for KeptCaps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeptCaps({})", self.0.len())
    }
}

impl KeptCaps {
    /// The cap in force of `history` under `policy`, the catastrophic section of `book`:
    /// the one kept for the same book, history and explanation, or computed and kept (`None`
    /// cannot happen). The settlement borrows it for the person's year and copies it once,
    /// into the report.
    pub(super) fn cap_in_force(
        &mut self,
        book: &Arc<Book>,
        policy: &CatastrophicPolicy,
        history: &IncentiveHistory,
        explain: Explain,
    ) -> Result<Option<&CapInForce>, CatastrophicError> {
        let same = |kept: &KeptCap| {
            Arc::ptr_eq(&kept.book, book) && kept.explain == explain && kept.history == *history
        };
        let position = match self.0.iter().position(same) {
            Some(position) => position,
            None => {
                let cap = policy.cap_in_force_with(book.year, history, explain)?;
                if self.0.len() == KEPT_CAPS {
                    self.0.remove(0);
                }
                self.0.push(KeptCap {
                    book: Arc::clone(book),
                    history: history.clone(),
                    explain,
                    cap,
                });
                self.0.len() - 1
            }
        };
        // Always `Some`: `position` is a place in the list just found or filled.
        Ok(self.0.get(position).map(|kept| &kept.cap))
    }

    /// How many caps are kept.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}
