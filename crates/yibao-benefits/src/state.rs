//! A person's policy year: the running figures that caps, deductibles and the ladder depend
//! on, and the journal that makes reversal (冲正) exact.

use serde::Serialize;
use yibao_core::{ExactYuan, MoneyError, NaiveDate, PolicyYear, Yuan};

use crate::claim::SpecialDiseaseClass;

/// A pool of fund payments under one annual cap: what it has paid this year.
///
/// Each claim is a settlement of its own (POLICY-NOTES, Conventions): it is paid its own
/// rounded share, `round(base × rate)` for a flat rate or the telescoped ladder share (K4,
/// see [`YearFigures::ladder_fund`]), limited by what is left of the cap:
/// `min(share, cap − paid before)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct FundPool {
    /// The fund payments settled so far.
    pub paid: Yuan,
}

/// Deductible already borne per special-disease class this year (H13: once a year per class).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ClassDeductibles {
    /// 严重精神障碍.
    pub severe_mental: Yuan,
    /// 精神类疾病.
    pub psychiatric: Yuan,
    /// 其他病种.
    pub other: Yuan,
}

impl ClassDeductibles {
    /// The amount borne for a class.
    pub fn get(&self, class: SpecialDiseaseClass) -> Yuan {
        match class {
            SpecialDiseaseClass::SevereMental => self.severe_mental,
            SpecialDiseaseClass::Psychiatric => self.psychiatric,
            SpecialDiseaseClass::Other => self.other,
        }
    }

    pub(crate) fn add(
        &mut self,
        class: SpecialDiseaseClass,
        amount: Yuan,
    ) -> Result<(), MoneyError> {
        let slot = match class {
            SpecialDiseaseClass::SevereMental => &mut self.severe_mental,
            SpecialDiseaseClass::Psychiatric => &mut self.psychiatric,
            SpecialDiseaseClass::Other => &mut self.other,
        };
        *slot = slot.checked_add(amount)?;
        Ok(())
    }
}

/// The running figures of a person's year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct YearFigures {
    /// Admissions settled so far (K4 2nd/3rd admission deductible).
    pub admissions: u32,
    /// The first admission's deductible (K4: the 2nd pays a share of it).
    pub first_admission_deductible: Option<Yuan>,
    /// The Kunshan ladder position: cumulative eligible inpatient expense (K4 reading).
    pub ladder_position: Yuan,
    /// The Kunshan ladder's exact fund figure of the year: the ladder's shares of every
    /// admission so far, unrounded and before the annual cap (K4). An admission's share is
    /// `round(after) − round(before)` of it, so the ladder shares of a year add up to its
    /// rounded annual figure; what the pool actually paid is [`YearFigures::inpatient`].
    pub ladder_fund: ExactYuan,
    /// Inpatient fund payments; in Huai'an shared with provincial special diseases and day
    /// surgery under the 240,000 cap (H13, H14, H16).
    pub inpatient: FundPool,
    /// General outpatient fund payments (K3, H11).
    pub general_outpatient: FundPool,
    /// Hypertension/diabetes drug fund payments (H12).
    pub two_disease_drugs: FundPool,
    /// Dual-channel drug fund payments (H17, no cap).
    pub dual_channel_drugs: FundPool,
    /// Special-disease deductibles borne per class (H13).
    pub special_disease_deductibles: ClassDeductibles,
    /// Everything the fund paid this year.
    pub fund_paid: Yuan,
    /// Everything the person paid this year.
    pub person_pays: Yuan,
    /// The person's share of eligible inpatient, special-disease and day-surgery costs: the
    /// base of catastrophic insurance (H19).
    pub catastrophic_base: Yuan,
    /// The date of the last settled claim.
    pub last_date: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
struct JournalEntry {
    sequence: u32,
    before: YearFigures,
}

/// A person's policy year as settlement goes: figures plus a journal for reversal.
///
/// Create it with [`YearState::new`], pass it to [`crate::settle`] claim by claim in date
/// order, undo the last settlement with [`YearState::reverse`]. A year that is only settled,
/// never reversed (a one-stop settlement, a batch), can keep no journal:
/// [`YearState::without_reversal`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct YearState {
    year: PolicyYear,
    figures: YearFigures,
    /// Settlements in force.
    settled: u32,
    /// The figures before each settlement in force, when reversal is possible.
    journal: Option<Vec<JournalEntry>>,
}

impl YearState {
    /// A year with nothing settled, whose settlements can be reversed.
    pub fn new(year: PolicyYear) -> YearState {
        YearState {
            year,
            figures: YearFigures::default(),
            settled: 0,
            journal: Some(Vec::new()),
        }
    }

    /// A year with nothing settled that keeps no journal: the figures are the same as with
    /// [`YearState::new`], but [`YearState::reverse`] refuses every reversal.
    pub fn without_reversal(year: PolicyYear) -> YearState {
        YearState {
            journal: None,
            ..YearState::new(year)
        }
    }

    /// The policy year.
    pub fn year(&self) -> PolicyYear {
        self.year
    }

    /// The running figures.
    pub fn figures(&self) -> &YearFigures {
        &self.figures
    }

    /// The number of settlements in force.
    pub fn settlements(&self) -> usize {
        self.settled as usize
    }

    /// Reverses (冲正) a settlement: the state returns exactly to what it was before it.
    ///
    /// # Errors
    /// [`crate::BenefitError::NotLastSettlement`] unless `settled` is the last settlement in
    /// force (last in, first out); [`crate::BenefitError::NotReversible`] for a year made
    /// with [`YearState::without_reversal`].
    pub fn reverse(&mut self, settled: &crate::SettledClaim) -> Result<(), crate::BenefitError> {
        let Some(journal) = self.journal.as_mut() else {
            return Err(crate::BenefitError::NotReversible {
                sequence: settled.sequence,
            });
        };
        match journal.last() {
            Some(entry) if entry.sequence == settled.sequence => {
                self.figures = entry.before;
                journal.pop();
                self.settled = self.settled.saturating_sub(1);
                Ok(())
            }
            other => Err(crate::BenefitError::NotLastSettlement {
                sequence: settled.sequence,
                last: other.map_or_else(|| "none".to_owned(), |e| format!("#{}", e.sequence)),
            }),
        }
    }

    pub(crate) fn next_sequence(&self) -> u32 {
        self.settled.saturating_add(1)
    }

    /// The figures, for a settlement to change in place; it then calls [`YearState::commit`]
    /// or, when the claim is refused, [`YearState::restore`].
    pub(crate) fn figures_mut(&mut self) -> &mut YearFigures {
        &mut self.figures
    }

    /// Counts the settlement whose figures are now in place, journaling the figures before it.
    pub(crate) fn commit(&mut self, sequence: u32, before: YearFigures) {
        if let Some(journal) = self.journal.as_mut() {
            journal.push(JournalEntry { sequence, before });
        }
        self.settled = self.settled.saturating_add(1);
    }

    /// Puts back the figures of before a refused settlement.
    pub(crate) fn restore(&mut self, before: YearFigures) {
        self.figures = before;
    }
}
