//! "Did you mean": the known word nearest to a mistyped one, by edit distance (`strsim`), the
//! one helper behind every such hint (a jurisdiction, a reform's key path, a person category,
//! a policy section on the command line).

/// The known word nearest to `given`, when it is close enough to be a slip of the keyboard:
/// at most a third of its length plus one edits away (`huaan` → `huaian`, `studnet` →
/// `student`); none when `given` is itself known (that is no slip). Ties go to the first
/// known word.
///
/// ```
/// assert_eq!(yibao::nearest::nearest("huaan", ["kunshan", "huaian"]), Some("huaian"));
/// assert_eq!(yibao::nearest::nearest("beijing", ["kunshan", "huaian"]), None);
/// ```
pub fn nearest<'k>(given: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    let limit = given.chars().count() / 3 + 1;
    let mut best: Option<(usize, &'k str)> = None;
    for word in known {
        let distance = strsim::levenshtein(word, given);
        if distance == 0 {
            return None;
        }
        if distance > limit {
            continue;
        }
        if best.is_none_or(|(shortest, _)| distance < shortest) {
            best = Some((distance, word));
        }
    }
    best.map(|(_, word)| word)
}

/// `; did you mean `x`?` for a word nearest to `given`, or nothing.
pub fn did_you_mean<'k>(given: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    nearest(given, known)
        .map(|word| format!("; did you mean `{word}`?"))
        .unwrap_or_default()
}

/// The known word nearest to the one serde refused, read from its message (`unknown
/// variant `inpatiant`, expected one of `general_outpatient`, …, `inpatient`` or `unknown
/// field `yaer`, expected one of …` / `expected `a` or `b``): every enum word and field
/// name of a scenario file is refused so.
///
/// ```
/// let message = "unknown variant `inpatiant`, expected one of `special_disease`, `inpatient`";
/// assert_eq!(yibao::nearest::in_refusal(message), Some("inpatient"));
/// ```
pub fn in_refusal(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("unknown variant `")
        .or_else(|| message.strip_prefix("unknown field `"))?;
    let (given, expected) = rest.split_once('`')?;
    let known = expected.split('`').skip(1).step_by(2);
    nearest(given, known)
}

#[cfg(test)]
mod tests {
    use super::{in_refusal, nearest};

    #[test]
    fn the_word_serde_refused_gets_the_nearest_it_lists() {
        let kinds = "expected one of `general_outpatient`, `two_disease_drugs`, `special_disease`, `inpatient`, `day_surgery`, `dual_channel_drugs`, `maternity_delivery`, `emergency`";
        for (given, expected) in [
            ("inpatiant", Some("inpatient")),
            ("day-surgery", Some("day_surgery")),
            ("maternity", None),
            ("emergncy", Some("emergency")),
            ("dental", None),
        ] {
            let message = format!("unknown variant `{given}`, {kinds}");
            assert_eq!(in_refusal(&message), expected, "{given}");
        }
        for (message, expected) in [
            (
                "unknown variant `levl_3`, expected one of `primary_care`, `level_1`, `level_2`, `level_3`",
                Some("level_3"),
            ),
            (
                "unknown field `yaer`, expected one of `jurisdiction`, `year`, `person`",
                Some("year"),
            ),
            (
                "unknown variant `resdent`, expected `resident` or `employee`",
                Some("resident"),
            ),
            ("unknown field `x`, there are no fields", None),
            ("missing field `year`", None),
        ] {
            assert_eq!(in_refusal(message), expected, "{message}");
        }
    }

    #[test]
    fn the_nearest_word_within_reach() {
        let known = ["kunshan", "wujiang", "huaian"];
        for (given, expected) in [
            ("huaan", Some("huaian")),
            ("kunshn", Some("kunshan")),
            ("wujaing", Some("wujiang")),
            ("huaian", None),
            ("beijing", None),
            ("", None),
        ] {
            assert_eq!(nearest(given, known), expected, "{given}");
        }
    }
}
