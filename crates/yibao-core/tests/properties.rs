//! Property tests of the shared vocabulary: money round trips and rounding, the progressive
//! schedule's annual function, breakdown and telescoping increments.
//! `cargo xtask props` runs them with many more cases.

use proptest::prelude::*;
use rust_decimal::Decimal;
use yibao_core::strategies::{schedule, yuan_up_to};
use yibao_core::{ExactYuan, Rate, RoundingMode, Yuan};

const MAX_FEN: i64 = 100_000_000_000_000; // Yuan::MAX in fen

/// A rate of 0 to 1,000,000 millionths (any rate the engine accepts), often one whose products
/// end exactly half-way between two fen.
fn any_rate() -> impl Strategy<Value = Rate> {
    prop_oneof![
        0_i64..=1_000_000,
        Just(500_000_i64),
        Just(50_000),
        Just(5_000),
        Just(125_000)
    ]
    .prop_map(|millionths| Rate::from_fraction(Decimal::new(millionths, 6)).unwrap_or(Rate::ONE))
}

fn strategy_of(mode: RoundingMode) -> rust_decimal::RoundingStrategy {
    match mode {
        RoundingMode::HalfAwayFromZero => rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        RoundingMode::HalfEven => rust_decimal::RoundingStrategy::MidpointNearestEven,
        RoundingMode::Down => rust_decimal::RoundingStrategy::ToZero,
        RoundingMode::Up => rust_decimal::RoundingStrategy::AwayFromZero,
    }
}

proptest! {
    // The money types compute on their decimals' mantissas at a fixed scale; rust_decimal's own
    // arithmetic on the same values is the reference.
    #[test]
    fn money_arithmetic_agrees_with_rust_decimal(
        // Everyday amounts (computed in 64 bits) as often as amounts up to the maximum.
        a in prop_oneof![yuan_up_to(MAX_FEN), yuan_up_to(100_000_000)],
        b in yuan_up_to(MAX_FEN),
        rate in any_rate(),
        factor in any_rate(),
        mode in prop_oneof![
            Just(RoundingMode::HalfAwayFromZero),
            Just(RoundingMode::HalfEven),
            Just(RoundingMode::Down),
            Just(RoundingMode::Up),
        ],
    ) {
        let (da, db) = (a.as_decimal(), b.as_decimal());
        let max = Yuan::MAX.as_decimal();
        let sum = da + db;
        prop_assert_eq!(a.checked_add(b).ok().map(Yuan::as_decimal), (sum <= max).then_some(sum));
        let difference = da - db;
        prop_assert_eq!(
            a.checked_sub(b).ok().map(Yuan::as_decimal),
            (difference >= Decimal::ZERO).then_some(difference)
        );
        prop_assert_eq!(a.saturating_sub(b).as_decimal(), difference.max(Decimal::ZERO));
        prop_assert_eq!(a.cmp(&b), da.cmp(&db));
        let product = da * rate.as_decimal();
        prop_assert_eq!(a.times(rate).as_decimal(), product);
        prop_assert_eq!(
            a.times(rate).round(mode).as_decimal(),
            product.round_dp_with_strategy(2, strategy_of(mode))
        );
        prop_assert_eq!(
            a.times(rate).min_yuan(b).as_decimal(),
            product.min(db)
        );
        prop_assert_eq!(
            rate.times(factor).as_decimal(),
            (rate.as_decimal() * factor.as_decimal()).round_dp(6).normalize()
        );
        prop_assert_eq!(rate.cmp(&factor), rate.as_decimal().cmp(&factor.as_decimal()));
        prop_assert_eq!(Yuan::from_decimal(da), Ok(a));
    }

    #[test]
    fn yuan_display_parse_round_trip(amount in yuan_up_to(MAX_FEN)) {
        let text = amount.to_string();
        prop_assert_eq!(text.parse::<Yuan>(), Ok(amount));
        prop_assert_eq!(text.split_once('.').map(|(_, f)| f.len()), Some(2));
        let json = serde_json::to_string(&amount).unwrap_or_default();
        prop_assert_eq!(serde_json::from_str::<Yuan>(&json).ok(), Some(amount));
    }

    #[test]
    fn yuan_from_fen_agrees_with_text(fen in 0_i64..=MAX_FEN) {
        let from_fen = Yuan::from_fen(fen);
        let text = format!("{}.{:02}", fen / 100, fen % 100);
        prop_assert_eq!(from_fen.clone(), text.parse::<Yuan>());
        prop_assert_eq!(from_fen.map(Yuan::to_fen), Ok(fen));
    }

    #[test]
    fn three_decimals_are_refused_unless_trailing_zero(fen in 0_i64..1_000_000, extra in 1_u8..10) {
        let text = format!("{}.{:02}{}", fen / 100, fen % 100, extra);
        prop_assert!(text.parse::<Yuan>().is_err());
    }

    #[test]
    fn rounding_is_to_the_nearest_fen_half_away(milli in 0_i64..10_000_000_000) {
        // `milli` thousandths of a yuan, built exactly as `milli` fen × 10%.
        let tenth: Rate = "10%".parse().unwrap_or(Rate::ZERO);
        let exact = Yuan::from_fen(milli).unwrap_or_default().times(tenth);
        prop_assert_eq!(exact.as_decimal(), Decimal::new(milli, 3));
        let expected_fen = milli / 10 + i64::from(milli % 10 >= 5);
        prop_assert_eq!(exact.round(RoundingMode::HalfAwayFromZero).to_fen(), expected_fen);
        prop_assert_eq!(exact.round(RoundingMode::Down).to_fen(), milli / 10);
    }

    #[test]
    fn schedule_value_is_non_decreasing(s in schedule(), a in yuan_up_to(200_000_000), b in yuan_up_to(200_000_000)) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(s.value_at(low) <= s.value_at(high));
        prop_assert!(s.value_at(high) <= high.exact(), "rates are at most 100%");
    }

    #[test]
    fn breakdown_sums_to_the_annual_function(s in schedule(), a in yuan_up_to(200_000_000), b in yuan_up_to(200_000_000)) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let parts = s.breakdown(low, high);
        let shares = parts.iter().try_fold(ExactYuan::ZERO, |t, p| t.checked_add(p.share));
        prop_assert_eq!(shares, Ok(s.between(low, high)));
        let bases = Yuan::checked_sum(parts.iter().map(|p| p.base));
        prop_assert_eq!(bases, high.checked_sub(low));
    }

    #[test]
    fn increments_telescope_for_any_split(
        s in schedule(),
        claims in proptest::collection::vec(yuan_up_to(5_000_000), 0..30),
    ) {
        let mode = RoundingMode::HalfAwayFromZero;
        let mut position = Yuan::ZERO;
        let mut paid = Yuan::ZERO;
        for claim in claims {
            let after = position.checked_add(claim).unwrap_or(position);
            let increment = s.increment(position, after, mode);
            prop_assert!(increment.is_ok());
            paid = paid.checked_add(increment.unwrap_or_default()).unwrap_or(paid);
            position = after;
        }
        prop_assert_eq!(paid, s.value_at(position).round(mode));
    }
}

proptest! {
    // An amount is written from its fen exactly as rust_decimal writes it with two decimals.
    #[test]
    fn amounts_are_written_as_rust_decimal_writes_them(
        amount in prop_oneof![yuan_up_to(MAX_FEN), yuan_up_to(100_000)],
    ) {
        prop_assert_eq!(amount.to_string(), format!("{:.2}", amount.as_decimal()));
    }
}

/// Whether `text` is written as [`Yuan`]'s grammar says: `digit+ ("." digit digit?)?`.
fn in_amount_grammar(text: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    match text.split_once('.') {
        None => digits(text),
        Some((whole, fraction)) => digits(whole) && digits(fraction) && fraction.len() <= 2,
    }
}

proptest! {
    // Every text the amount reader accepts is of the grammar, with rust_decimal's value for it.
    #[test]
    fn an_accepted_amount_is_of_the_grammar(
        text in prop_oneof![
            "[-+ 0-9.,_eE]{0,8}",
            "[-+ ]?[0-9]{0,16}(\\.[0-9]{0,3})?[ x.]?",
            "[0-9０-９\u{0}\t\n.]{0,6}",
            any::<String>(),
        ],
    ) {
        if let Ok(amount) = text.parse::<Yuan>() {
            prop_assert!(in_amount_grammar(&text), "{:?} accepted", text);
            prop_assert_eq!(Some(amount.as_decimal()), Decimal::from_str_exact(&text).ok());
        }
        // Through serde as well: a string amount is read by the same grammar.
        let json = serde_json::to_string(&text).unwrap_or_default();
        if let Ok(amount) = serde_json::from_str::<Yuan>(&json) {
            prop_assert!(in_amount_grammar(&text), "{:?} accepted from JSON", text);
            prop_assert_eq!(Some(amount.as_decimal()), Decimal::from_str_exact(&text).ok());
        }
    }

    // Every text of the grammar is accepted, with rust_decimal's value, unless above the
    // maximum, which is refused as too large.
    #[test]
    fn every_amount_of_the_grammar_is_accepted(
        text in prop_oneof![
            "[0-9]{1,14}(\\.[0-9]{1,2})?",
            "0{0,20}[0-9]{1,13}(\\.[0-9]{1,2})?",
            "[0-9]{1,20}(\\.[0-9]{1,2})?",
        ],
    ) {
        prop_assert!(in_amount_grammar(&text));
        let value = Decimal::from_str_exact(&text).unwrap_or_default();
        match text.parse::<Yuan>() {
            Ok(amount) => prop_assert_eq!(amount.as_decimal(), value, "{}", text),
            Err(e) => {
                prop_assert!(value > Yuan::MAX.as_decimal(), "{:?} refused: {}", text, e);
                prop_assert!(matches!(e, yibao_core::MoneyError::TooLarge { .. }), "{}", e);
            }
        }
    }
}
