//! The columns of a claims file and where each is in a row (the header's layout).

use std::hash::Hash;

use yibao_core::Said;

use crate::error::{BatchError, Problems};
use crate::lines;

/// The columns a claims file may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// `person_id`.
    PersonId,
    /// `category`.
    Category,
    /// `family_doctor`.
    FamilyDoctor,
    /// `continuity_years`.
    ContinuityYears,
    /// `zero_claim_prev`.
    ZeroClaimPrev,
    /// `date`.
    Date,
    /// `kind`.
    Kind,
    /// `hospital_level`.
    HospitalLevel,
    /// `amount`.
    Amount,
    /// `consultation_fee` (optional).
    ConsultationFee,
    /// `disease_class` (optional).
    DiseaseClass,
    /// `catalogue` (optional).
    Catalogue,
    /// `group` (optional).
    Group,
    /// `claim_id` (optional).
    ClaimId,
    /// `two_disease` (optional).
    TwoDisease,
    /// `province` (optional).
    Province,
    /// `emergency_outcome` (optional).
    EmergencyOutcome,
    /// `designation` (optional).
    Designation,
    /// `accident` (optional).
    Accident,
    /// `exclusions` (optional).
    Exclusions,
    /// `place` (optional).
    Place,
    /// `remote_care` (optional).
    RemoteCare,
    /// `circumstance` (optional).
    Circumstance,
    /// `connection` (optional).
    Connection,
    /// `class_a` (optional).
    ClassA,
    /// `class_b` (optional).
    ClassB,
    /// `class_c` (optional).
    ClassC,
    /// `class_b_personal_share` (optional).
    ClassBPersonalShare,
}

impl Column {
    /// Every column, the required ones first.
    pub const ALL: [Column; 28] = [
        Column::PersonId,
        Column::Category,
        Column::FamilyDoctor,
        Column::ContinuityYears,
        Column::ZeroClaimPrev,
        Column::Date,
        Column::Kind,
        Column::HospitalLevel,
        Column::Amount,
        Column::ConsultationFee,
        Column::DiseaseClass,
        Column::Catalogue,
        Column::Group,
        Column::ClaimId,
        Column::TwoDisease,
        Column::Province,
        Column::EmergencyOutcome,
        Column::Designation,
        Column::Accident,
        Column::Exclusions,
        Column::Place,
        Column::RemoteCare,
        Column::Circumstance,
        Column::Connection,
        Column::ClassA,
        Column::ClassB,
        Column::ClassC,
        Column::ClassBPersonalShare,
    ];

    /// The name in the header.
    pub fn name(self) -> &'static str {
        match self {
            Column::PersonId => "person_id",
            Column::Category => "category",
            Column::FamilyDoctor => "family_doctor",
            Column::ContinuityYears => "continuity_years",
            Column::ZeroClaimPrev => "zero_claim_prev",
            Column::Date => "date",
            Column::Kind => "kind",
            Column::HospitalLevel => "hospital_level",
            Column::Amount => "amount",
            Column::ConsultationFee => "consultation_fee",
            Column::DiseaseClass => "disease_class",
            Column::Catalogue => "catalogue",
            Column::Group => "group",
            Column::ClaimId => "claim_id",
            Column::TwoDisease => "two_disease",
            Column::Province => "province",
            Column::EmergencyOutcome => "emergency_outcome",
            Column::Designation => "designation",
            Column::Accident => "accident",
            Column::Exclusions => "exclusions",
            Column::Place => "place",
            Column::RemoteCare => "remote_care",
            Column::Circumstance => "circumstance",
            Column::Connection => "connection",
            Column::ClassA => "class_a",
            Column::ClassB => "class_b",
            Column::ClassC => "class_c",
            Column::ClassBPersonalShare => "class_b_personal_share",
        }
    }

    /// Whether every file must have the column.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Column::PersonId
                | Column::Category
                | Column::FamilyDoctor
                | Column::ContinuityYears
                | Column::ZeroClaimPrev
                | Column::Date
                | Column::Kind
                | Column::HospitalLevel
                | Column::Amount
        )
    }

    /// Whether the column is one of the model's further columns, read by
    /// `model_columns` (the kind-specific facts, the facts of every claim, remote care,
    /// the class split, `class_b_personal_share`).
    pub(crate) fn is_model(self) -> bool {
        self.slot() >= Column::TwoDisease.slot()
    }

    /// The column's place in [`Column::ALL`] (its declaration order).
    pub(crate) fn slot(self) -> usize {
        self as usize
    }
}

/// Where each column is in a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Where each column is in a record, by the column's slot.
    pub(crate) index: [Option<usize>; COLUMNS],
    /// The slot of each field of a record, in order (every header name is a known column).
    pub(crate) slots: Vec<usize>,
    pub(crate) width: usize,
    /// Whether the header has any of the model's further columns (`two_disease` … ,
    /// [`Column::is_model`]); without them a row is read as before them, at its cost.
    pub(crate) model: bool,
}

/// How many columns the claims file knows.
pub(crate) const COLUMNS: usize = Column::ALL.len();

impl Layout {
    pub(crate) fn from_header(header: &[&[u8]]) -> Result<Layout, BatchError> {
        let mut index = [None; COLUMNS];
        let mut slots = Vec::with_capacity(header.len());
        let mut problems = Problems::default();
        for (i, &raw) in header.iter().enumerate() {
            let raw = if i == 0 {
                raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
            } else {
                raw
            };
            let name = String::from_utf8_lossy(raw);
            match Column::ALL.iter().find(|c| c.name() == name) {
                Some(column) => {
                    let slot = &mut index[column.slot()];
                    if slot.is_some() {
                        problems.push(
                            format!("column `{name}` appears twice"),
                            format!("列 `{name}` 出现了两次"),
                        );
                    }
                    *slot = Some(i);
                    slots.push(column.slot());
                }
                None => problems.push(
                    format!(
                        "unknown column {} (the columns are {})",
                        quoted(&name),
                        Column::ALL.map(Column::name).join(", ")
                    ),
                    format!(
                        "未知列 {}（应为 {} 之一）",
                        quoted(&name),
                        yibao_core::in_words_zh(&Column::ALL.map(Column::name))
                    ),
                ),
            }
        }
        for column in Column::ALL {
            if column.is_required() && index[column.slot()].is_none() {
                problems.push(
                    format!("missing column `{}`", column.name()),
                    format!("缺少列 `{}`", column.name()),
                );
            }
        }
        if problems.is_empty() {
            let model = Column::ALL
                .iter()
                .any(|c| c.is_model() && index[c.slot()].is_some());
            Ok(Layout {
                index,
                slots,
                width: header.len(),
                model,
            })
        } else {
            Err(BatchError::Header {
                problems: problems.said(),
            })
        }
    }

    pub(crate) fn of(&self, column: Column) -> Option<usize> {
        self.index.get(column.slot()).copied().flatten()
    }

    pub(crate) fn person_index(&self) -> usize {
        self.of(Column::PersonId).unwrap_or(0)
    }

    /// The column of a row's `field`-th field, when the header has that many.
    pub(crate) fn column_at(&self, field: usize) -> Option<Column> {
        self.slots
            .get(field)
            .and_then(|&slot| Column::ALL.get(slot))
            .copied()
    }
}

/// The layout of the header row `line` (without its line break).
pub(crate) fn read_header(line: &[u8]) -> Result<Layout, BatchError> {
    let header = |en: String, zh: String| BatchError::Header {
        problems: Said::new(en, zh),
    };
    if line.starts_with(b"\xFF\xFE") || line.starts_with(b"\xFE\xFF") {
        return Err(header(
            "the file starts with a UTF-16 byte order mark: it looks like UTF-16 text; the claims file must be UTF-8 (convert it, e.g. `iconv -f UTF-16 -t UTF-8`)".to_owned(),
            "文件以 UTF-16 字节顺序标记开头，似为 UTF-16 文本；理赔文件须为 UTF-8（请转换，如 `iconv -f UTF-16 -t UTF-8`）".to_owned(),
        ));
    }
    if line.contains(&0) {
        return Err(header(
            "the header row holds NUL bytes: the file looks like UTF-16 text; the claims file must be UTF-8 (convert it, e.g. `iconv -f UTF-16 -t UTF-8`)".to_owned(),
            "表头行含有 NUL 字节，该文件似为 UTF-16 文本；理赔文件须为 UTF-8（请转换，如 `iconv -f UTF-16 -t UTF-8`）".to_owned(),
        ));
    }
    if line.is_empty() {
        return Err(header(
            "the first line is empty (expected a header row)".to_owned(),
            "第一行为空（应为表头行）".to_owned(),
        ));
    }
    let (mut spans, mut unquoted) = (Vec::new(), Vec::new());
    if let Err(unclosed) = lines::split_line(line, 0, line.len(), &mut spans, &mut unquoted) {
        return Err(header(
            format!(
                "a quote opens a column name at line 1, column {} and is not closed on the line",
                unclosed.column
            ),
            format!(
                "第 1 行第 {} 列的列名以引号开头，但该行内引号未闭合",
                unclosed.column
            ),
        ));
    }
    let names: Vec<&[u8]> = spans
        .iter()
        .map(|span| {
            let text = if span.start >= line.len() {
                unquoted.get(span.start - line.len()..span.end - line.len())
            } else {
                line.get(span.clone())
            };
            text.unwrap_or_default()
        })
        .collect();
    Layout::from_header(&names)
}

/// Quotes an offending value for a reason: in backticks, as [`yibao_core::quoted`] cuts
/// and escapes it (at most [`QUOTE_LIMIT`] characters, then `…` and its size in bytes).
pub(crate) fn quoted(value: &str) -> String {
    format!("`{}`", yibao_core::quoted(value))
}
