//! Reading a scenario file: TOML or JSON text into a [`Scenario`], every refusal a
//! [`ScenarioError`] with its line and column, its key path and a hint. A TOML year of
//! 4,096 claims or more (`PARALLEL_CLAIMS`) is read claim by claim on two threads.

use yibao_core::{KeyPath, Location, Term};

use super::{ClaimInput, Scenario};

/// Why a scenario could not be read: where, what and a hint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{}{}", location_prefix(.location), bounded(.message), path_suffix(.path), hint_suffix(.hint))]
pub struct ScenarioError {
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// Where in the document.
    pub path: KeyPath,
    /// What is wrong, with the offending value.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// The message with every value it quotes (between backquotes or double quotes) cut as
/// [`yibao_core::quoted`] cuts it, so that a message stays one short line whatever the input.
fn bounded(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let mark = if from.starts_with('`') { '`' } else { '"' };
        let inside = &from[1..];
        match inside.find(mark) {
            Some(close) => {
                out.push(mark);
                out.push_str(&yibao_core::quoted(&inside[..close]).to_string());
                out.push(mark);
                rest = &inside[close + 1..];
            }
            None => {
                out.push_str(&yibao_core::quoted(from).to_string());
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn location_prefix(location: &Option<Location>) -> String {
    location
        .as_ref()
        .map(|l| format!("{}:{}:{}: ", l.file, l.line, l.column))
        .unwrap_or_default()
}

fn path_suffix(path: &KeyPath) -> String {
    if path.is_root() {
        String::new()
    } else {
        format!(" (at `{path}`)")
    }
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_ref()
        .map(|h| format!("; hint: {h}"))
        .unwrap_or_default()
}

/// The format of a scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScenarioFormat {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl ScenarioFormat {
    /// The format a file name implies: `.json` is JSON, anything else TOML.
    pub fn of_file(name: &str) -> ScenarioFormat {
        if name.to_ascii_lowercase().ends_with(".json") {
            ScenarioFormat::Json
        } else {
            ScenarioFormat::Toml
        }
    }
}

/// Where each key of a scenario file is, so that errors found after parsing can point into
/// the file. The file's keys are only looked for when an error needs one (a TOML file is
/// parsed again then), so a large scenario costs no table of positions.
#[derive(Clone, Debug, Default)]
pub struct Positions {
    file: String,
    text: String,
    format: Option<ScenarioFormat>,
}

impl Positions {
    /// The location of a key path (its deepest known prefix); the file's start when no key
    /// positions are known (JSON).
    pub fn locate(&self, path: &KeyPath) -> Location {
        let start = Location {
            file: self.file.clone(),
            line: 1,
            column: 1,
        };
        if self.format != Some(ScenarioFormat::Toml) {
            return start;
        }
        let Ok(root) = toml::de::DeTable::parse(&self.text) else {
            return start;
        };
        // The deepest prefix of the path found in the file.
        let mut offset = None;
        let mut table = Some(root.get_ref());
        let mut value: Option<&toml::de::DeValue<'_>> = None;
        for segment in path.segments() {
            let next = match segment {
                yibao_core::KeySegment::Key(k) => table.and_then(|t| {
                    t.get_key_value(k.as_str())
                        .map(|(key, v)| (key.span().start, v))
                }),
                yibao_core::KeySegment::Index(i) => match value {
                    Some(toml::de::DeValue::Array(items)) => {
                        items.get(*i).map(|v| (v.span().start, v))
                    }
                    _ => None,
                },
            };
            let Some((at, next)) = next else { break };
            offset = Some(at);
            value = Some(next.get_ref());
            table = match next.get_ref() {
                toml::de::DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        offset.map_or(start, |at| {
            Location::at_offset(self.file.clone(), &self.text, at)
        })
    }
}

/// A parsed scenario and the positions of its keys.
#[derive(Clone, Debug)]
pub struct ScenarioFile {
    /// The scenario.
    pub scenario: Scenario,
    /// Where its keys are.
    pub positions: Positions,
}

impl ScenarioFile {
    /// Parses a scenario.
    ///
    /// # Errors
    /// [`ScenarioError`] with the file position, the offending value and a hint.
    ///
    /// The scenario is checked strictly: nothing may follow the document, a NUL byte is
    /// refused, dates are written `YYYY-MM-DD` and exist, amounts follow [`Yuan`](yibao_core::Yuan)'s grammar,
    /// and the ids (`person.id`, `claims[].id`, `filings[].filing`) hold no control character.
    pub fn parse(
        file: &str,
        text: &str,
        format: ScenarioFormat,
    ) -> Result<ScenarioFile, ScenarioError> {
        yibao_core::read_text(text.as_bytes()).map_err(|e| text_error(file, &e))?;
        ScenarioFile::parse_text(file, text.to_owned(), format)
    }

    /// [`ScenarioFile::parse_bytes`], keeping the file's bytes as the text of the positions
    /// (no copy of a large file) and checking them once.
    ///
    /// # Errors
    /// As [`ScenarioFile::parse_bytes`].
    pub fn parse_owned(
        file: &str,
        bytes: Vec<u8>,
        format: ScenarioFormat,
    ) -> Result<ScenarioFile, ScenarioError> {
        yibao_core::read_text(&bytes).map_err(|e| text_error(file, &e))?;
        // UTF-8, as read_text found: the conversion cannot fail.
        let text = String::from_utf8(bytes).map_err(|e| ScenarioError {
            location: None,
            path: KeyPath::root(),
            message: format!("{file} is not UTF-8 text: {e}"),
            hint: None,
        })?;
        ScenarioFile::parse_text(file, text, format)
    }

    /// Parses a text already checked by [`yibao_core::read_text`].
    fn parse_text(
        file: &str,
        text: String,
        format: ScenarioFormat,
    ) -> Result<ScenarioFile, ScenarioError> {
        let positions = Positions {
            file: file.to_owned(),
            text,
            format: Some(format),
        };
        let scenario = match format {
            ScenarioFormat::Toml => parse_toml(&positions)?,
            ScenarioFormat::Json => parse_json(&positions)?,
        };
        let parsed = ScenarioFile {
            scenario,
            positions,
        };
        check_identifiers(&parsed)?;
        Ok(parsed)
    }

    /// Parses a scenario from the bytes of a file, which must be UTF-8 text: a refusal gives
    /// the byte offset, line and column of the first bad byte, and says when the file looks
    /// like UTF-16.
    ///
    /// # Errors
    /// [`ScenarioError`] as [`ScenarioFile::parse`], or for bytes that are not UTF-8 text.
    pub fn parse_bytes(
        file: &str,
        bytes: &[u8],
        format: ScenarioFormat,
    ) -> Result<ScenarioFile, ScenarioError> {
        let text = yibao_core::read_text(bytes).map_err(|e| text_error(file, &e))?;
        ScenarioFile::parse(file, text, format)
    }
}

/// A file that is not UTF-8 text, at its first bad byte.
fn text_error(file: &str, error: &yibao_core::TextError) -> ScenarioError {
    ScenarioError {
        location: Some(Location {
            file: file.to_owned(),
            line: error.line,
            column: error.column,
        }),
        path: KeyPath::root(),
        message: error.to_string(),
        hint: error.hint(),
    }
}

/// The ids a scenario's outputs carry (`person.id`, `claims[].id`, `filings[].filing`):
/// refused with a control character.
fn check_identifiers(parsed: &ScenarioFile) -> Result<(), ScenarioError> {
    let scenario = &parsed.scenario;
    let person = scenario
        .person
        .id
        .as_deref()
        .map(|id| (KeyPath::root().key("person").key("id"), id));
    let claims = scenario.claims.iter().enumerate().filter_map(|(i, claim)| {
        let at = || KeyPath::root().key("claims").index(i).key("id");
        claim.id.as_deref().map(|id| (at(), id))
    });
    let filings = scenario.filings.iter().enumerate().map(|(i, event)| {
        let at = KeyPath::root().key("filings").index(i).key("filing");
        (at, event.filing.as_str())
    });
    for (path, id) in person.into_iter().chain(claims).chain(filings) {
        if let Err(e) = yibao_core::check_identifier(id) {
            return Err(ScenarioError {
                location: Some(parsed.positions.locate(&path)),
                path,
                message: e.to_string(),
                hint: Some(HINTS[8].en.to_owned()),
            });
        }
    }
    Ok(())
}

const DATE_HINT: &str = HINTS[1].en;

/// Every fixed hint of a scenario's refusal, in both languages: [`ScenarioError::hint`]
/// holds the English, and [`ScenarioError::zh`] finds its Chinese here.
pub(super) const HINTS: [Term; 9] = [
    Term::new(
        "amounts are yuan as strings written digits[.d[d]], e.g. \"1234.56\"",
        "金额以元为单位，写作字符串“数字[.分位]”，如 \"1234.56\"",
    ),
    Term::new(
        "dates are written YYYY-MM-DD and must exist in the calendar, e.g. \"2026-02-28\"",
        "日期写作 YYYY-MM-DD，且须是日历上存在的日期，如 \"2026-02-28\"",
    ),
    Term::new(
        "a file holds one JSON object; remove what follows its closing `}`",
        "一个文件只含一个 JSON 对象；请删去其结尾 `}` 之后的内容",
    ),
    Term::new(
        "a key is given once; a file holds one scenario (was a second one appended to it?)",
        "每个键只能出现一次；一个文件只含一个场景（是否误将第二个场景接在了后面？）",
    ),
    Term::new(
        "check the spelling; `yibao schema scenario` lists every field",
        "请检查拼写；`yibao schema scenario` 列出了全部字段",
    ),
    Term::new("use one of the values listed", "请使用所列取值之一"),
    Term::new(
        "add the field; `yibao schema scenario` marks the required ones",
        "请加上该字段；`yibao schema scenario` 标明了必填字段",
    ),
    Term::new("the file is not valid TOML", "该文件不是有效的 TOML"),
    Term::new(
        "remove the control character (a NUL, tab, line break or escape) from the id",
        "请删去编号中的控制字符（NUL、制表符、换行符或转义符）",
    ),
];

fn hint_for(message: &str) -> Option<String> {
    let hint = if message.contains("decimals") || message.contains("amount in yuan") {
        HINTS[0].en
    } else if message.contains("YYYY-MM-DD") || message.contains("does not exist") {
        DATE_HINT
    } else if message.starts_with("content after the end") {
        HINTS[2].en
    } else if message.starts_with("duplicate key") {
        HINTS[3].en
    } else if let Some(word) = crate::nearest::in_refusal(message) {
        return Some(format!("did you mean `{word}`?"));
    } else if message.starts_with("unknown field") {
        HINTS[4].en
    } else if message.starts_with("unknown variant") {
        HINTS[5].en
    } else if message.starts_with("missing field") {
        HINTS[6].en
    } else {
        return None;
    };
    Some(hint.to_owned())
}

fn path_of(path: &serde_path_to_error::Path) -> KeyPath {
    let mut out = KeyPath::root();
    for segment in path.iter() {
        out = match segment {
            serde_path_to_error::Segment::Seq { index } => out.index(*index),
            serde_path_to_error::Segment::Map { key } => out.key(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => out.key(variant.clone()),
            serde_path_to_error::Segment::Unknown => out,
        };
    }
    out
}

fn parse_toml(positions: &Positions) -> Result<Scenario, ScenarioError> {
    let (file, text) = (positions.file.as_str(), positions.text.as_str());
    let syntax = |e: toml::de::Error| ScenarioError {
        location: Some(Location::at_offset(
            file,
            text,
            e.span().map_or(0, |s| s.start),
        )),
        path: KeyPath::root(),
        message: e.message().trim_end_matches('.').to_owned(),
        hint: Some(hint_for(e.message()).unwrap_or_else(|| HINTS[7].en.to_owned())),
    };
    if let Some(scenario) = parse_toml_claim_by_claim(positions)? {
        return Ok(scenario);
    }
    // Typed straight from the parsed document: no table of values is built and copied.
    let document = toml::Deserializer::parse(text).map_err(syntax)?;
    serde_path_to_error::deserialize(document)
        .map_err(|e| typed_error(positions, KeyPath::root(), &e))
}

/// A typing error of the TOML document at `prefix` (the root, or one `[[claims]]` table read
/// alone), located in the file.
fn typed_error(
    positions: &Positions,
    prefix: KeyPath,
    e: &serde_path_to_error::Error<toml::de::Error>,
) -> ScenarioError {
    let path = path_of(e.path()).under(&prefix);
    let message = e.inner().message().trim_end_matches('.').to_owned();
    ScenarioError {
        location: Some(positions.locate(&path)),
        hint: hint_for(&message),
        path,
        message,
    }
}

/// A scenario written as most are, its claims as `[[claims]]` tables after everything else,
/// read claim by claim: the TOML parser holds the tokens and tree of one claim at a time
/// instead of the whole file's (about 25 times the file's size), so a year of 100,000 claims
/// is read in a few tens of megabytes. `None` when the file is not so written (a `[[claims]]`
/// table followed by another table, a `claims` key before them, or any piece that does not
/// parse alone, as when a `[[claims]]` line is inside a multi-line string): the whole file
/// is then parsed at once, with the same result.
fn parse_toml_claim_by_claim(positions: &Positions) -> Result<Option<Scenario>, ScenarioError> {
    let Some((head, pieces)) = claim_pieces(&positions.text) else {
        return Ok(None);
    };
    let Ok(head_table) = toml::de::DeTable::parse(head) else {
        return Ok(None);
    };
    if head_table.get_ref().contains_key("claims") {
        return Ok(None);
    }

    let mut scenario: Scenario =
        serde_path_to_error::deserialize(toml::Deserializer::from(head_table))
            .map_err(|e| typed_error(positions, KeyPath::root(), &e))?;
    // Two halves on two threads when there are many claims (the halves give what one pass
    // gives: the first half's refusal, else the second's).
    let parse = |range: std::ops::Range<usize>| parse_claims(positions, &pieces, range);
    let count = pieces.len();
    let (first, second) = if count >= PARALLEL_CLAIMS {
        let middle = count / 2;
        std::thread::scope(|scope| {
            let second = std::thread::Builder::new().spawn_scoped(scope, || parse(middle..count));
            let first = parse(0..middle);
            // A thread that could not start or finish is done again here.
            let second = match second.map(std::thread::ScopedJoinHandle::join) {
                Ok(Ok(second)) => second,
                _ => parse(middle..count),
            };
            (first, second)
        })
    } else {
        (parse(0..count), Ok(Some(Vec::new())))
    };
    let Some(first) = first? else {
        return Ok(None);
    };
    let Some(second) = second? else {
        return Ok(None);
    };
    scenario.claims = first;
    scenario.claims.extend(second);
    Ok(Some(scenario))
}

/// How many claims a scenario has before its claims are read on two threads.
const PARALLEL_CLAIMS: usize = 4096;

/// The claims of `pieces[range]`, one piece parsed and typed at a time. A piece that does not
/// parse sends the file to the whole parse (`None`); a refusal of a piece that parses is the
/// file's (a piece can only be inside a multi-line string opened in an earlier piece, which
/// would not have parsed).
fn parse_claims(
    positions: &Positions,
    pieces: &[&str],
    range: std::ops::Range<usize>,
) -> Result<Option<Vec<ClaimInput>>, ScenarioError> {
    let mut claims = Vec::with_capacity(range.len());
    for i in range {
        let Some(Ok(table)) = pieces.get(i).map(|piece| toml::de::DeTable::parse(piece)) else {
            return Ok(None);
        };
        let claim: ClaimInput =
            serde_path_to_error::deserialize(toml::Deserializer::from(table))
                .map_err(|e| typed_error(positions, KeyPath::root().key("claims").index(i), &e))?;
        claims.push(claim);
    }
    Ok(Some(claims))
}

/// The text before the first `[[claims]]` line and the body of each `[[claims]]` table, when
/// every line from the first `[[claims]]` on is a `[[claims]]` header (alone, or with a
/// comment) or a line that does not start with `[` (so no other table follows a claim).
fn claim_pieces(text: &str) -> Option<(&str, Vec<&str>)> {
    let is_header = |line: &str| {
        line.trim_start()
            .strip_prefix("[[claims]]")
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    };
    let mut head = None;
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut at = 0;
    for line in lines(text) {
        let next = at + line.len();
        if is_header(line) {
            match head {
                None => head = Some(at),
                Some(_) => pieces.push(text.get(piece_start..at)?),
            }
            piece_start = next;
        } else if head.is_some() && line.trim_start().starts_with('[') {
            return None;
        }
        at = next;
    }
    let head = text.get(..head?)?;
    pieces.push(text.get(piece_start..)?);
    Some((head, pieces))
}

/// The lines of `text`, each with its line break (as `split_inclusive('\n')`, found faster).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|end| end + 1)
        .chain(std::iter::once(text.len()))
        .filter_map(move |end| {
            let line = text.get(start..end).filter(|line| !line.is_empty());
            start = end;
            line
        })
}

/// A serde_json error as a scenario error at its line and column.
fn json_error(
    file: &str,
    error: &serde_json::Error,
    path: KeyPath,
    message: String,
) -> ScenarioError {
    ScenarioError {
        location: Some(Location {
            file: file.to_owned(),
            line: u32::try_from(error.line()).unwrap_or(0),
            column: u32::try_from(error.column()).unwrap_or(0),
        }),
        hint: hint_for(&message),
        path,
        message,
    }
}

/// serde_json's message without the " at line L column C" it appends (the location says it).
fn json_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned()
}

fn parse_json(positions: &Positions) -> Result<Scenario, ScenarioError> {
    let (file, text) = (positions.file.as_str(), positions.text.as_str());
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result: Result<Scenario, _> = serde_path_to_error::deserialize(&mut deserializer);
    let scenario = result.map_err(|e| {
        let path = path_of(e.path());
        let message = json_message(e.inner());
        json_error(file, e.inner(), path, message)
    })?;
    // Nothing but white space may follow the document.
    deserializer.end().map_err(|e| {
        json_error(
            file,
            &e,
            KeyPath::root(),
            "content after the end of the scenario's JSON document".to_owned(),
        )
    })?;
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole-file reading, for comparison.
    fn whole(text: &str) -> Result<Scenario, ScenarioError> {
        let document = toml::Deserializer::parse(text).map_err(|e| ScenarioError {
            location: None,
            path: KeyPath::root(),
            message: e.message().to_owned(),
            hint: None,
        })?;
        serde_path_to_error::deserialize(document).map_err(|e| ScenarioError {
            location: None,
            path: path_of(e.path()),
            message: e.inner().message().to_owned(),
            hint: None,
        })
    }

    const HEAD: &str = "jurisdiction = \"huaian\"\nyear = 2026\n[person]\nid = \"P1\"\n";
    const CLAIM: &str = "[[claims]]\ndate = \"2026-03-01\"\nkind = \"inpatient\"\nlevel = \"level_3\"\namount = \"300\"\n";

    #[test]
    fn claims_read_one_by_one_give_what_the_whole_file_gives() {
        let many = format!("{HEAD}{}", CLAIM.repeat(3));
        let commented = format!("{HEAD}[[claims]] # first\nid = \"C1\"\n{}", &CLAIM[11..]);
        let inline = format!(
            "{HEAD}{CLAIM}exclusions = [\n  \"work_injury\",\n]\n{CLAIM}accident = \"not_an_accident\"\n"
        );
        for (text, claim_by_claim) in [
            (many.clone(), true),
            (commented, true),
            (inline, true),
            // A table after the claims, a `[[claims]]` line inside a multi-line string, and
            // claims given as an array are read whole.
            (
                format!("{many}[incentives]\nconsecutive_years = 2\n"),
                false,
            ),
            (
                format!("{HEAD}notes = \"\"\"\n{CLAIM}\"\"\"\n{CLAIM}"),
                false,
            ),
            (format!("{HEAD}claims = []\n{CLAIM}"), false),
            (
                format!("{HEAD}{CLAIM}[claims.accident]\nkind = \"not_an_accident\"\n"),
                false,
            ),
        ] {
            let positions = Positions {
                file: "t.toml".to_owned(),
                text: text.clone(),
                format: Some(ScenarioFormat::Toml),
            };
            let one_by_one = parse_toml_claim_by_claim(&positions);
            assert_eq!(
                matches!(one_by_one, Ok(Some(_))),
                claim_by_claim,
                "{text}: {one_by_one:?}"
            );
            let read = parse_toml(&positions).map_err(|e| e.path);
            assert_eq!(read, whole(&text).map_err(|e| e.path), "{text}");
        }
    }

    #[test]
    fn many_claims_read_on_two_threads_give_what_the_whole_file_gives() {
        let count = PARALLEL_CLAIMS + 10;
        let bad = CLAIM.replace("\"300\"", "\"+3\"");
        let broken = CLAIM.replace("\"300\"", "\"300");
        let with = |changed: &[(usize, &str)]| {
            let mut text = HEAD.to_owned();
            for i in 0..count {
                let claim = changed
                    .iter()
                    .find(|(at, _)| *at == i)
                    .map_or(CLAIM, |c| c.1);
                text.push_str(claim);
            }
            text
        };
        // One refusal in each half: the first is the file's; a piece that does not parse
        // in the first half sends the file to the whole parse, which refuses it there.
        for (changed, refused) in [
            (vec![], None),
            (vec![(count - 1, bad.as_str())], Some("claims[4105].amount")),
            (
                vec![(100, bad.as_str()), (count - 1, bad.as_str())],
                Some("claims[100].amount"),
            ),
            (
                vec![(100, broken.as_str()), (count - 1, bad.as_str())],
                None,
            ),
        ] {
            let text = with(&changed);
            let read = ScenarioFile::parse("t.toml", &text, ScenarioFormat::Toml);
            let whole = whole(&text);
            match (&read, refused) {
                (Ok(file), None) => assert_eq!(file.scenario.claims.len(), count),
                (Err(e), Some(path)) => assert_eq!(e.path.to_string(), path),
                (Err(e), None) => assert!(whole.is_err(), "{e}"),
                (Ok(_), Some(path)) => panic!("{path} was not refused"),
            }
            assert_eq!(
                read.map(|f| f.scenario).map_err(|e| e.path),
                whole.map_err(|e| e.path)
            );
        }
    }

    #[test]
    fn a_refused_claim_is_named_and_located_as_in_the_whole_file() {
        let text = format!("{HEAD}{CLAIM}{}", CLAIM.replace("\"300\"", "\"+3\""));
        let e = ScenarioFile::parse("t.toml", &text, ScenarioFormat::Toml).unwrap_err();
        assert_eq!(e.path.to_string(), "claims[1].amount");
        // HEAD is 4 lines, a claim 5: the second claim's amount is on line 4 + 5 + 5.
        assert_eq!(e.location.map(|l| (l.line, l.column)), Some((14, 1)));
    }
}
