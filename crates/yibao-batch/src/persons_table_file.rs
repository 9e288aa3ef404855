//! The persons table read from a file in any of the batch's formats: CSV
//! ([`PersonsTable::read`]), or a Parquet or Arrow IPC table with the same columns, by name.
//!
//! A table's columns may be text (`Utf8`, `LargeUtf8`, `Utf8View`, a dictionary of text),
//! whole numbers (`consecutive_years`), booleans (`family_doctor`,
//! `re_enrolled_after_lapse`) or `Date32` (`born`); every value is read as the text the CSV
//! would hold (`true`, `2`, `2020-05-01`), a null as an empty field, and checked by the same
//! rules with the same messages. The histories (`enrolment`, the incentive years,
//! `filings`) are text, in the compact forms of the CSV. A column of another type (a
//! floating-point number, a timestamp, a decimal) makes the table unusable, named with its
//! type. Rows are numbered from 1: a reason names `row N` of the persons table.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use arrow_array::{Array, RecordBatch, RecordBatchReader, StringArray};
use arrow_schema::{ArrowError, DataType, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use yibao_core::{Lang, Said};

use crate::error::{BatchError, Problems};
use crate::file_format::TableFormat;
use crate::persons_table::{PersonsSource, PersonsTable, column_index, parse_person};
use crate::summary::InMemoryBecause;

/// The rows of a record batch read at once.
const PERSONS_BATCH_ROWS: usize = 8192;

type Batches = Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>>>;

impl PersonsTable {
    /// Reads the persons table at `path` in `format` (CSV, Parquet or Arrow IPC; see
    /// [`TableFormat::from_path`] for the format of an extension).
    ///
    /// # Errors
    /// [`BatchError::PersonsTable`] when the file cannot be opened or read, is not a
    /// readable file of that format, or its columns are not usable (an unknown, duplicate
    /// or missing column; a column of a type not read); a bad row is not an error: its
    /// person is held back.
    pub fn open(path: &Path, format: TableFormat) -> Result<PersonsTable, BatchError> {
        let name = path.display().to_string();
        let unusable = |message: Said| BatchError::PersonsTable {
            name: name.clone(),
            message,
        };
        let file = File::open(path).map_err(|e| unusable(cannot_read(&e)))?;
        if !format.is_table() {
            let (ascending, rows) = crate::persons_stream::ascends(&name, BufReader::new(file))?;
            if ascending {
                let mut table = PersonsTable::named(&name, format);
                table.source = PersonsSource::SortedFile(path.to_owned());
                table.rows = rows;
                return Ok(table);
            }
            return PersonsTable::read_whole(path, InMemoryBecause::TableNotAscending);
        }
        let (schema, batches) = open_batches(file, format).map_err(|e| {
            unusable(Said::new(
                format!("not a readable {format} file: {}", e.en()),
                format!("不是可读的 {format} 文件：{}", e.text(Lang::Zh)),
            ))
        })?;
        let mut table = read_batches(&name, format, &schema, batches).map_err(unusable)?;
        table.source = PersonsSource::InMemory(InMemoryBecause::TypedTable);
        Ok(table)
    }

    /// The CSV persons table at `path`, opened to be read beside the claims.
    pub(crate) fn open_text(path: &Path) -> Result<Box<dyn Read + Send>, BatchError> {
        let file = File::open(path).map_err(|e| BatchError::PersonsTable {
            name: path.display().to_string(),
            message: cannot_read(&e),
        })?;
        Ok(Box::new(BufReader::new(file)))
    }

    /// Reads the CSV persons table at `path` whole, for `why`.
    pub(crate) fn read_whole(
        path: &Path,
        why: InMemoryBecause,
    ) -> Result<PersonsTable, BatchError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| BatchError::PersonsTable {
            name: name.clone(),
            message: cannot_read(&e),
        })?;
        let mut table = PersonsTable::read(&name, BufReader::new(file))?;
        table.source = PersonsSource::InMemory(why);
        Ok(table)
    }
}

/// A file that cannot be opened, in both languages (the system's cause as it gives it).
fn cannot_read(e: &std::io::Error) -> Said {
    Said::new(format!("cannot read it: {e}"), format!("无法读取：{e}"))
}

/// A reader's error, in both languages: the reader's own words, between backquotes in the
/// Chinese.
fn reader_error(e: impl std::fmt::Display) -> Said {
    Said::new(e.to_string(), format!("读取出错：`{e}`"))
}

/// The schema and record batches of a Parquet or Arrow IPC file (either IPC format,
/// whichever the bytes are).
fn open_batches(
    mut file: File,
    format: TableFormat,
) -> Result<(std::sync::Arc<Schema>, Batches), Said> {
    if format == TableFormat::Parquet {
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(reader_error)?
            .with_batch_size(PERSONS_BATCH_ROWS)
            .build()
            .map_err(reader_error)?;
        return Ok((reader.schema(), Box::new(reader)));
    }
    let mut magic = [0u8; 6];
    file.read_exact(&mut magic).map_err(reader_error)?;
    let is_file = &magic == b"ARROW1";
    if !is_file && magic.get(..4) != Some(&[0xff; 4][..]) {
        return Err(Said::new(
            "it starts with neither the magic of an Arrow IPC file (ARROW1) nor the continuation marker of a stream",
            "文件开头既不是 Arrow IPC 文件的标记（`ARROW1`），也不是数据流的续接标记",
        ));
    }
    file.seek(SeekFrom::Start(0)).map_err(reader_error)?;
    let input = BufReader::new(file);
    if is_file {
        let reader = arrow_ipc::reader::FileReader::try_new(input, None).map_err(reader_error)?;
        Ok((reader.schema(), Box::new(reader)))
    } else {
        let reader = arrow_ipc::reader::StreamReader::try_new(input, None).map_err(reader_error)?;
        Ok((reader.schema(), Box::new(reader)))
    }
}

/// Why a column of `data_type` is not read, if it is not.
fn refused_type(data_type: &DataType) -> Option<Said> {
    use DataType as T;
    match data_type {
        T::Utf8
        | T::LargeUtf8
        | T::Utf8View
        | T::Boolean
        | T::Date32
        | T::Null
        | T::Int8
        | T::Int16
        | T::Int32
        | T::Int64
        | T::UInt8
        | T::UInt16
        | T::UInt32
        | T::UInt64 => None,
        T::Dictionary(_, values) if refused_type(values).is_none() => None,
        other => Some(Said::new(
            format!(
                "of type {other} (a persons table's columns are text, whole numbers, booleans or Date32 dates)"
            ),
            format!("的类型为 `{other}`（人员表的列须为文本、整数、布尔值或 `Date32` 日期）"),
        )),
    }
}

/// The persons table named `name` from its record batches, or why it is not usable.
fn read_batches(
    name: &str,
    format: TableFormat,
    schema: &Schema,
    batches: Batches,
) -> Result<PersonsTable, Said> {
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let index = column_index(&header)?;
    let mut refused = Problems::default();
    for field in schema.fields() {
        if let Some(why) = refused_type(field.data_type()) {
            let name = field.name();
            refused.push(
                format!("column `{name}` is {}", why.en()),
                format!("列 `{name}` {}", why.text(Lang::Zh)),
            );
        }
    }
    if !refused.is_empty() {
        return Err(refused.said());
    }
    let mut table = PersonsTable::named(name, format);
    for batch in batches {
        let row = table.rows + 1;
        let batch = batch.map_err(|e| {
            Said::new(
                format!("cannot read row {row}: {e}"),
                format!("无法读取第 {row} 行：`{e}`"),
            )
        })?;
        add_batch(&mut table, &index, &batch)?;
    }
    Ok(table)
}

/// Adds the rows of one record batch, numbered on from the table's rows.
fn add_batch(
    table: &mut PersonsTable,
    index: &BTreeMap<&'static str, usize>,
    batch: &RecordBatch,
) -> Result<(), Said> {
    let columns: BTreeMap<&'static str, StringArray> = index
        .iter()
        .map(|(&column, &i)| {
            let array = arrow_cast::cast(batch.column(i), &DataType::Utf8).map_err(|e| {
                Said::new(
                    format!("column `{column}`: {e}"),
                    format!("列 `{column}`：`{e}`"),
                )
            })?;
            let text = array
                .as_any()
                .downcast_ref::<StringArray>()
                .cloned()
                .ok_or_else(|| {
                    Said::new(
                        format!("column `{column}` could not be read as text"),
                        format!("列 `{column}` 无法按文本读取"),
                    )
                })?;
            Ok((column, text))
        })
        .collect::<Result<_, Said>>()?;
    for row in 0..batch.num_rows() {
        table.rows += 1;
        let field = |column: &str| -> &str {
            columns
                .get(column)
                .filter(|array| array.is_valid(row))
                .map_or("", |array| array.value(row))
        };
        let id = field("person_id");
        let record = parse_person(&field);
        let position = table.rows;
        table.add(id, position, record);
    }
    Ok(())
}
