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

#[cfg(test)]
mod tests {
    use super::nearest;

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
