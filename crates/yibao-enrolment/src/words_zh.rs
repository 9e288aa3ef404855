//! The enrolment's domain words in both languages: each value's name as data and output
//! write it (its snake_case name) beside the words of the sources (全民参保百问百答, the
//! Kunshan guide) for a Chinese text.

use yibao_core::{Term, Word};

use crate::decisions::{AccountFeature, AccountUse, EnrolmentStatus, InsuranceScheme};
use crate::params::{DocumentHolder, IdentityDocument, RefundReason, Relation};

/// A value's name beside its Chinese words.
fn term<W: Word>(word: W, zh: &'static str) -> Term {
    Term::new(word.name(), zh)
}

impl RefundReason {
    /// The reason's name and its words in Q23 (重复缴费, 参加职工医保 …).
    pub fn term(self) -> Term {
        term(
            self,
            match self {
                RefundReason::DuplicatePayment => "重复缴费",
                RefundReason::JoinedEmployeeInsurance => "参加职工医保",
                RefundReason::JoinedOtherAreaResidentInsurance => "参加其他统筹地区居民医保",
                RefundReason::Other => "其他原因",
            },
        )
    }
}

impl Relation {
    /// The relation's name and its word in Q30 (配偶, 父母, 子女 …).
    pub fn term(self) -> Term {
        term(
            self,
            match self {
                Relation::Spouse => "配偶",
                Relation::Parent => "父母",
                Relation::Child => "子女",
                Relation::Sibling => "兄弟姐妹",
                Relation::PaternalGrandparent => "祖父母",
                Relation::MaternalGrandparent => "外祖父母",
                Relation::Grandchild => "孙子女",
                Relation::DaughtersChild => "外孙子女",
                Relation::Other => "其他亲属",
            },
        )
    }
}

impl IdentityDocument {
    /// The document's name and its word in the sources (身份证, 居住证, 出生医学证明).
    pub fn term(self) -> Term {
        term(
            self,
            match self {
                IdentityDocument::ResidentIdCard => "居民身份证",
                IdentityDocument::ResidencePermit => "居住证",
                IdentityDocument::BirthCertificate => "出生医学证明",
            },
        )
    }
}

impl DocumentHolder {
    /// The holder's name and its words in the sources (港澳台学生, 新生儿).
    pub fn term(self) -> Term {
        term(
            self,
            match self {
                DocumentHolder::Anyone => "任何参保人",
                DocumentHolder::HongKongMacaoTaiwanStudent => "港澳台学生",
                DocumentHolder::Newborn => "新生儿",
            },
        )
    }
}

impl InsuranceScheme {
    /// The scheme's name and its short name (居民医保, 职工医保).
    pub fn term(self) -> Term {
        term(
            self,
            match self {
                InsuranceScheme::Resident => "居民医保",
                InsuranceScheme::Employee => "职工医保",
            },
        )
    }
}

impl EnrolmentStatus {
    /// The status's name and its words (参保, 暂停参保).
    pub fn term(self) -> Term {
        term(
            self,
            match self {
                EnrolmentStatus::Active => "正常参保",
                EnrolmentStatus::Suspended => "暂停参保",
            },
        )
    }
}

impl AccountUse {
    /// What is paid, in the words of Q30 and Q51 (代缴居民医保费用, 医疗费用).
    pub fn term(self) -> Term {
        term(
            self,
            match self {
                AccountUse::ResidentContribution => "代缴居民医保费用",
                AccountUse::MedicalCosts => "医疗费用",
            },
        )
    }
}

impl AccountFeature {
    /// The feature's name and its words in Q50 (个人账户家庭共济, 亲情账户).
    pub fn term(self) -> Term {
        term(
            self,
            match self {
                AccountFeature::FamilyMutualAid => "个人账户家庭共济",
                AccountFeature::FamilyAccount => "亲情账户",
            },
        )
    }
}
