//! `yibao decide`: yes-or-no questions of enrolment, each answered with its rule, the
//! reason in words and any consequence: a refund of a contribution (H8), a new enrolment
//! beside existing ones (H9), a payment from an employee's personal account for a relative
//! (H10), a document's number used to pay for a person (K12, H5).

use yibao::core::{NaiveDate, PolicyYear, Word};
use yibao::enrolment::{
    AccountFeature, AccountUse, DocumentHolder, EnrolmentStatus, ExistingEnrolment,
    FamilyPaymentRequest, IdentityDocument, InsuranceScheme, RefundReason, Relation, SharingGroup,
    Verdict,
};
use yibao::policy::PolicyLibrary;
use yibao::questions::decide::{self, DecisionAnswer};

use super::output::{Format, Label, Out, print, print_json};
use super::refusal::ValueError;
use super::settle::{read_scenario, settle_failure};
use super::{Failure, explain};

/// The questions of `yibao decide`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum DecideCommand {
    /// Whether the contribution for the scenario's year may be refunded (H8): only before the
    /// benefit period starts, for a duplicate payment or joining other insurance.
    Refund(RefundArgs),
    /// Whether a person may enrol in resident insurance at a place given their existing
    /// enrolments (H9: one place at a time, no double cover).
    DoubleEnrolment(DoubleEnrolmentArgs),
    /// Whether an employee's personal account may pay for a relative (H10).
    FamilyPayment(FamilyPaymentArgs),
    /// Whether a document's number may be used to pay for a person (K12, H5).
    IdentityDocument(IdentityDocumentArgs),
}

/// The arguments of `yibao decide refund`.
#[derive(Debug, clap::Args)]
pub(crate) struct RefundArgs {
    /// A scenario file with the person's category, birth date and enrolment history.
    scenario: String,
    /// Why the refund is asked for.
    #[arg(long, value_parser = word::<RefundReason>, value_name = "REASON")]
    reason: RefundReason,
    /// The day of the application, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    applied_on: NaiveDate,
}

/// The jurisdiction and year whose rules decide.
#[derive(Debug, clap::Args)]
pub(crate) struct BookArgs {
    /// Jurisdiction id, e.g. huaian.
    #[arg(long)]
    jurisdiction: String,
    /// The policy year.
    #[arg(long)]
    year: i64,
}

/// The arguments of `yibao decide double-enrolment`.
#[derive(Debug, clap::Args)]
pub(crate) struct DoubleEnrolmentArgs {
    #[command(flatten)]
    book: BookArgs,
    /// The place of the new resident enrolment (统筹地区), e.g. huaian.
    #[arg(long)]
    place: String,
    /// An existing enrolment, PLACE:SCHEME:STATUS (scheme `resident` or `employee`, status
    /// `active` or `suspended`); repeatable.
    #[arg(long, value_parser = existing_enrolment, value_name = "PLACE:SCHEME:STATUS")]
    existing: Vec<ExistingEnrolment>,
}

/// The arguments of `yibao decide family-payment`.
#[derive(Debug, clap::Args)]
pub(crate) struct FamilyPaymentArgs {
    #[command(flatten)]
    book: BookArgs,
    /// The relative's relation to the account owner.
    #[arg(long, value_parser = word::<Relation>, value_name = "RELATION")]
    relation: Relation,
    /// What is paid for.
    #[arg(long, value_parser = word::<AccountUse>, value_name = "PURPOSE")]
    purpose: AccountUse,
    /// Through which feature (default the personal account's family mutual aid).
    #[arg(long, value_parser = word::<AccountFeature>, default_value = "family_mutual_aid")]
    feature: AccountFeature,
    /// The account owner is already in another family mutual-aid group.
    #[arg(long)]
    in_another_group: bool,
}

/// The arguments of `yibao decide identity-document`.
#[derive(Debug, clap::Args)]
pub(crate) struct IdentityDocumentArgs {
    #[command(flatten)]
    book: BookArgs,
    /// The document.
    #[arg(long, value_parser = word::<IdentityDocument>, value_name = "DOCUMENT")]
    document: IdentityDocument,
    /// Whom it identifies.
    #[arg(long, value_parser = word::<DocumentHolder>, value_name = "HOLDER")]
    holder: DocumentHolder,
}

fn word<W: Word>(text: &str) -> Result<W, ValueError> {
    ValueError::word(text)
}

fn date(text: &str) -> Result<NaiveDate, ValueError> {
    ValueError::date(text)
}

fn existing_enrolment(text: &str) -> Result<ExistingEnrolment, ValueError> {
    let mut parts = text.split(':');
    let (Some(place), Some(scheme), Some(status), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ValueError::NotPlaceSchemeStatus);
    };
    if place.is_empty() {
        return Err(ValueError::EmptyPlace);
    }
    let part = |part, names| move |_| ValueError::Part { part, names };
    let scheme = word::<InsuranceScheme>(scheme).map_err(part("scheme", InsuranceScheme::NAMES))?;
    let status = word::<EnrolmentStatus>(status).map_err(part("status", EnrolmentStatus::NAMES))?;
    Ok(ExistingEnrolment::new(place, scheme, status))
}

pub(crate) fn run(
    library: &PolicyLibrary,
    out: &Out,
    command: &DecideCommand,
) -> Result<(), Failure> {
    let answer = match command {
        DecideCommand::Refund(args) => {
            let file = read_scenario(&args.scenario)?;
            decide::refund(library, &file.scenario, args.reason, args.applied_on)
                .map_err(|e| settle_failure(&file, e))?
        }
        DecideCommand::DoubleEnrolment(args) => decide::double_enrolment(
            library,
            &args.book.jurisdiction,
            year(&args.book)?,
            &args.place,
            &args.existing,
        )
        .map_err(input)?,
        DecideCommand::FamilyPayment(args) => {
            let group = if args.in_another_group {
                SharingGroup::Another
            } else {
                SharingGroup::NoneOrThisOne
            };
            let request =
                FamilyPaymentRequest::new(args.relation, args.purpose, args.feature, group);
            decide::family_payment(
                library,
                &args.book.jurisdiction,
                year(&args.book)?,
                &request,
            )
            .map_err(input)?
        }
        DecideCommand::IdentityDocument(args) => decide::identity_document(
            library,
            &args.book.jurisdiction,
            year(&args.book)?,
            args.document,
            args.holder,
        )
        .map_err(input)?,
    };
    show(library, out, &answer)
}

fn input(e: yibao::questions::decide::DecideError) -> Failure {
    Failure::of(&e)
}

/// The policy year of the book whose rules decide.
fn year(args: &BookArgs) -> Result<PolicyYear, Failure> {
    PolicyYear::new(args.year).map_err(|e| Failure::of(&e))
}

/// The verdict, the consequences and the steps with their rules and the sources' sentences.
fn show(library: &PolicyLibrary, out: &Out, answer: &DecisionAnswer) -> Result<(), Failure> {
    if out.format == Format::Json {
        return print_json(answer);
    }
    let (title, decision) = (&answer.question, &answer.decision);
    let verdict = match decision.verdict {
        Verdict::Allowed => out.label(Label {
            en: "allowed",
            zh: "准予",
        }),
        Verdict::Refused => out.label(Label {
            en: "refused",
            zh: "不予",
        }),
    };
    let lang = out.text_lang();
    let mut text = format!("{}\n  {verdict}\n", title.text(lang));
    for consequence in &decision.consequences {
        text += &format!("  - {}\n", consequence.text(lang));
    }
    text += &explain::steps(library, out, decision.trace.steps().iter());
    print(&text)
}
