//! Persons whose rows are not contiguous: fingerprints of person ids, the split persons a
//! first pass found, how a batch finds them ([`Contiguity`]), and the persons of a chunk for
//! the check that they ascend.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use yibao_core::Said;

use crate::chunk::Chunk;
use crate::columns::quoted;
use crate::error::BatchError;

/// A 128-bit fingerprint of a person id: two independent SipHash values. Collisions are
/// negligible (about 10^-27 for a million persons).
pub(crate) fn fingerprint(id: &[u8]) -> u128 {
    let mut a = DefaultHasher::new();
    0u8.hash(&mut a);
    id.hash(&mut a);
    let mut b = DefaultHasher::new();
    1u8.hash(&mut b);
    id.hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Hashes a fingerprint by taking its low bits (it is already a good hash).
#[derive(Default)]
pub(crate) struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u128(&mut self, value: u128) {
        self.0 = value as u64;
    }
}

pub(crate) type FingerprintSet = HashSet<u128, BuildHasherDefault<FingerprintHasher>>;
pub(crate) type FingerprintMap<V> = HashMap<u128, V, BuildHasherDefault<FingerprintHasher>>;

/// The persons of a file whose rows are not contiguous, found by a first pass
/// ([`find_split_persons`](crate::find_split_persons)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SplitPersons {
    /// For each split person: the first line of each block after the first.
    pub(crate) later_blocks: FingerprintMap<Vec<u64>>,
}

impl SplitPersons {
    /// How many persons have rows that are not contiguous.
    pub fn len(&self) -> usize {
        self.later_blocks.len()
    }

    /// Whether every person's rows are contiguous.
    pub fn is_empty(&self) -> bool {
        self.later_blocks.is_empty()
    }
}

/// How a batch finds persons whose rows are not contiguous.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contiguity {
    /// Reading once: a person seen again after other persons has their later blocks refused
    /// (the first block is already settled and written).
    Streaming,
    /// Known from a first pass over the same input: every block of a split person is refused.
    Known(SplitPersons),
    /// No first pass: the persons are taken to come in ascending order of `person_id` (the
    /// usual export, where no person's rows can be split), and the batch checks this as it
    /// writes. At the first person that does not come after the one before, the batch stops
    /// with [`BatchError::NotAscending`] before writing that person's chunk; what it wrote
    /// is then incomplete, and the caller starts again with [`Contiguity::Known`] from a
    /// first pass ([`find_split_persons_in_file`](crate::find_split_persons_in_file)). For outputs that can be written again.
    Ascending,
}

impl Contiguity {
    /// Whether no person of the input is split (known, or presumed and checked).
    pub(crate) fn no_split_person(&self) -> bool {
        match self {
            Contiguity::Known(split) => split.is_empty(),
            Contiguity::Ascending => true,
            Contiguity::Streaming => false,
        }
    }
}

/// The persons a reader has seen, to refuse the blocks of persons whose rows are not
/// contiguous.
#[derive(Default)]
pub(crate) struct Persons {
    pub(crate) seen: FingerprintSet,
    pub(crate) first_lines: FingerprintMap<u64>,
    pub(crate) repeated: FingerprintSet,
}

impl Persons {
    /// Why the block of `person` starting at `line` is refused, if it is.
    pub(crate) fn refused(
        &mut self,
        person: &[u8],
        line: u64,
        contiguity: &Contiguity,
    ) -> Option<Said> {
        match contiguity {
            // No split person in the file: nothing to look up.
            Contiguity::Ascending => None,
            Contiguity::Known(split) if split.is_empty() => None,
            Contiguity::Known(split) => {
                let print = fingerprint(person);
                let later = split.later_blocks.get(&print)?;
                self.repeated.insert(print);
                let first = *self.first_lines.entry(print).or_insert(line);
                let lines: Vec<String> = std::iter::once(first)
                    .chain(later.iter().copied())
                    .map(|l| l.to_string())
                    .collect();
                let person = quoted(&String::from_utf8_lossy(person));
                Some(Said::new(
                    format!(
                        "the rows of person {person} are not contiguous: they form {} separate blocks, starting at lines {}; every row of this person is refused; group the file by person_id",
                        lines.len(),
                        lines.join(", ")
                    ),
                    format!(
                        "参保人 {person} 的各行不相邻：分为 {} 段，分别始于第 {} 行；该参保人的每一行均被拒收；请按 `person_id` 将文件分组排列",
                        lines.len(),
                        lines.join("、")
                    ),
                ))
            }
            Contiguity::Streaming => {
                let print = fingerprint(person);
                if self.seen.insert(print) {
                    return None;
                }
                self.repeated.insert(print);
                let person = quoted(&String::from_utf8_lossy(person));
                Some(Said::new(
                    format!(
                        "the rows of person {person} are not contiguous: an earlier block of this person was already settled from its own rows (a stream is read once), so these rows are refused; group the file by person_id"
                    ),
                    format!(
                        "参保人 {person} 的各行不相邻：该参保人较早的一段已按其自身各行结算（数据流只读一遍），故拒收这些行；请按 `person_id` 将文件分组排列"
                    ),
                ))
            }
        }
    }
}

/// The persons of a chunk, for the check of [`Contiguity::Ascending`].
#[derive(Debug, Default)]
pub(crate) struct PersonsSeen {
    /// The first person and the line of its first row.
    pub(crate) first: Option<(u64, Vec<u8>)>,
    /// The last person (empty when the chunk has none).
    pub(crate) last: Vec<u8>,
    /// The first person of the chunk that does not come after the one before it.
    pub(crate) descent: Option<Descent>,
}

/// A person that does not come after the person before it.
#[derive(Debug)]
pub(crate) struct Descent {
    pub(crate) line: u64,
    pub(crate) person: Vec<u8>,
    pub(crate) after: Vec<u8>,
}

impl Descent {
    pub(crate) fn error(self) -> BatchError {
        BatchError::NotAscending {
            line: self.line,
            person: String::from_utf8_lossy(&self.person).into_owned(),
            after: String::from_utf8_lossy(&self.after).into_owned(),
        }
    }
}

/// The persons of a chunk in order (its blocks start where the person changes), and where
/// they stop ascending.
pub(crate) fn persons_seen(chunk: &Chunk, person_index: usize) -> PersonsSeen {
    let mut seen = PersonsSeen::default();
    let mut before: Option<&[u8]> = None;
    for block in chunk.blocks.iter().filter(|b| !b.orphan) {
        let Some(row) = chunk.rows.get(block.rows.start) else {
            continue;
        };
        let Some(person) = chunk.field(row, person_index) else {
            continue;
        };
        match before {
            None => seen.first = Some((row.line, person.to_vec())),
            Some(after) if person <= after => {
                seen.descent = Some(Descent {
                    line: row.line,
                    person: person.to_vec(),
                    after: after.to_vec(),
                });
                return seen;
            }
            Some(_) => {}
        }
        before = Some(person);
    }
    seen.last = before.map(<[u8]>::to_vec).unwrap_or_default();
    seen
}
