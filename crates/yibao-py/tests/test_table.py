"""`yibao.settle_table` against `yibao batch` on the same claims: the 10,000-person
generated file byte for byte, a table with bad rows, pandas and Polars frames, the persons
table, and the exceptions of a table that cannot be read."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import yibao
from conftest import ROOT, run_cli

HUAIAN = dict(jurisdiction="huaian", year=2026)
HEADER = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount"
# Bad rows among good ones: an amount that is not one, a date outside the year, a person
# whose rows are apart (P4), a person whose columns disagree (P5).
WITH_BAD_ROWS = f"""{HEADER}
P1,ordinary,false,2,false,2026-03-01,inpatient,3,10000
P1,ordinary,false,2,false,2026-04-01,general_outpatient,1,120.50
P2,ordinary,false,2,false,2026-05-01,general_outpatient,1,abc
P2,ordinary,false,2,false,2026-05-02,inpatient,2,5000
P3,medical_aid_recipient,true,1,true,2025-12-31,inpatient,1,800
P4,ordinary,false,2,false,2026-06-01,day_surgery,2,3000
P6,ordinary,false,2,false,2026-06-01,inpatient,2,40000
P4,ordinary,false,2,false,2026-07-01,inpatient,2,3000
P5,ordinary,false,2,false,2026-08-01,inpatient,2,3000
P5,ordinary,true,2,false,2026-08-02,inpatient,2,3000
P7,ordinary,false,3,true,2026-09-01,special_disease,level_3,25000.75
"""


def text_table(path: Path) -> pa.Table:
    """A CSV claims file as a table of text columns, every field as written."""
    names = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    return pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            strings_can_be_null=False,
        ),
    )


def arrow_file(table: pa.Table, path: Path) -> Path:
    """A table written as an Arrow IPC file, the input `yibao batch` reads by extension."""
    with pa.ipc.new_file(path, table.schema) as writer:
        writer.write_table(table)
    return path


def cli_batch(yibao_bin, claims: Path, out: Path, *extra: str, per_claim: bool = True) -> dict:
    """`yibao batch` on a claims file, its outputs as Arrow IPC files: their bytes."""
    names = ("results", "errors", "per_claim") if per_claim else ("results", "errors")
    paths = {name: out / f"{name}.arrow" for name in names}
    claim_rows = ["--per-claim", str(paths["per_claim"])] if per_claim else []
    run = run_cli(
        yibao_bin, "batch", "--jurisdiction", "huaian", "--year", "2026",
        "--input", str(claims), "--output", str(paths["results"]),
        "--errors", str(paths["errors"]), *claim_rows, *extra,
    )
    assert run.returncode in (0, 1), run.stderr.decode()
    return {name: path.read_bytes() for name, path in paths.items()}


def read_arrow(data: bytes) -> pa.Table:
    return pa.ipc.open_file(pa.py_buffer(data)).read_all()


def assert_same_as_cli(settled: yibao.TableSettlement, expected: dict, names=("results", "errors", "per_claim")) -> None:
    """The tables of settle_table are those of `yibao batch` on the same table, typed."""
    for name in names:
        got, want = getattr(settled, name), read_arrow(expected[name])
        assert got.schema == want.schema, name
        assert got.equals(want), name


def native_bytes(table: pa.Table, **kwargs) -> tuple:
    """The native module's outputs, the bytes of Arrow IPC files, for a table."""
    return yibao.Library().settle_table(table, **HUAIAN, **kwargs)


def test_settle_table_equals_yibao_batch_byte_for_byte_on_10000_persons(yibao_bin, claims_10k, tmp_path):
    table = text_table(claims_10k)
    expected = cli_batch(yibao_bin, arrow_file(table, tmp_path / "claims.arrow"), tmp_path)
    settled = yibao.settle_table(table, per_claim=True, **HUAIAN)
    assert settled.results.num_rows == 10_000
    assert_same_as_cli(settled, expected)
    # The Arrow files themselves: the same bytes as the CLI's.
    results, errors, per_claim, _ = native_bytes(table, per_claim=True)
    assert (results, errors, per_claim) == (expected["results"], expected["errors"], expected["per_claim"])
    # And the same figures as the CLI on the CSV file (positions aside: lines there).
    csv_run = cli_csv_results(yibao_bin, claims_10k, tmp_path)
    assert [str(v) for v in settled.results["basic_fund_paid"].to_pylist()] == csv_run["basic_fund_paid"].to_pylist()
    summary = settled.summary
    assert summary["rows_in"] == summary["rows_settled"] + summary["rows_in_error"]


def test_the_tables_handed_over_are_the_record_batches_of_the_arrow_files(claims_10k):
    table = text_table(claims_10k).slice(0, 30_000)
    files = native_bytes(table, per_claim=True)
    tables = yibao.Library().settle_table(table, **HUAIAN, per_claim=True, outputs="tables")
    for file, handed_over in zip(files[:3], tables[:3]):
        assert isinstance(handed_over, pa.Table)
        in_file = read_arrow(file)
        assert handed_over.schema == in_file.schema
        assert [b.num_rows for b in handed_over.to_batches()] == [b.num_rows for b in in_file.to_batches()]
        assert handed_over.equals(in_file)
    assert files[3] == tables[3]
    with pytest.raises(ValueError, match="arrow_files"):
        yibao.Library().settle_table(table, **HUAIAN, outputs="ipc")


def cli_csv_results(yibao_bin, claims: Path, out: Path) -> pa.Table:
    """The results of `yibao batch` on a CSV file, read back as text."""
    run = run_cli(yibao_bin, "batch", "--jurisdiction", "huaian", "--year", "2026",
                  "--input", str(claims), "--output", str(out / "r.csv"), "--errors", str(out / "e.csv"))
    assert run.returncode in (0, 1), run.stderr.decode()
    return text_table(out / "r.csv")


def test_settle_table_equals_yibao_batch_on_bad_rows(yibao_bin, tmp_path):
    table = text_table_of(WITH_BAD_ROWS)
    expected = cli_batch(yibao_bin, arrow_file(table, tmp_path / "bad.arrow"), tmp_path)
    settled = yibao.settle_table(table, per_claim=True, **HUAIAN)
    assert settled.errors.num_rows > 0
    assert_same_as_cli(settled, expected)


def test_pandas_and_polars_frames_settle_as_the_table(yibao_bin, claims_10k, tmp_path):
    import pandas
    import polars
    table = text_table(claims_10k).slice(0, 20_000)
    expected = yibao.settle_table(table, **HUAIAN)
    for frame in (table.to_pandas(), polars.from_arrow(table)):
        got = yibao.settle_table(frame, **HUAIAN)
        assert got.results.equals(expected.results), type(frame)
        assert got.errors.equals(expected.errors), type(frame)
    assert isinstance(pandas.DataFrame, type)


def test_a_polars_frame_and_a_record_batch_reader_are_taken_as_arrow_streams(yibao_bin, tmp_path):
    import polars
    table = text_table_of(WITH_BAD_ROWS)
    expected = cli_batch(yibao_bin, arrow_file(table, tmp_path / "bad.arrow"), tmp_path)
    frame = polars.from_arrow(table)
    assert hasattr(frame, "__arrow_c_stream__")
    # A reader of several batches, cut inside a person's rows.
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=3))
    # A reader whose batches come from Python, read while the interpreter's lock is held.
    generated = pa.RecordBatchReader.from_batches(table.schema, (b for b in table.to_batches(max_chunksize=2)))
    for frame in (frame, reader, generated):
        settled = yibao.settle_table(frame, per_claim=True, **HUAIAN)
        assert_same_as_cli(settled, expected)
        assert settled.errors.num_rows > 0
    # The native module takes the stream itself and gives the CLI's bytes.
    polars_stream = yibao.Library().settle_table(polars.from_arrow(table), **HUAIAN, per_claim=True)
    assert polars_stream[:3] == (expected["results"], expected["errors"], expected["per_claim"])


def test_a_persons_table_settles_as_yibao_batch_persons(yibao_bin, tmp_path):
    claims, persons = tmp_path / "full.csv", tmp_path / "persons.csv"
    subprocess.run(
        ["cargo", "xtask", "gen-claims", "--full-model", "--persons", "300", "--seed", "1",
         "--output", str(claims), "--persons-output", str(persons)],
        cwd=ROOT, check=True, capture_output=True,
    )
    table = text_table(claims)
    # Without the per-claim output, which the batch cannot write as an Arrow table for
    # these claims (a `not_paid` reason code in a column typed as money).
    expected = cli_batch(yibao_bin, arrow_file(table, tmp_path / "full.arrow"), tmp_path, "--persons", str(persons), per_claim=False)
    settled = yibao.settle_table(table, text_table(persons), **HUAIAN)
    assert settled.results.num_rows > 0
    assert_same_as_cli(settled, expected, ("results", "errors"))


def text_table_of(text: str) -> pa.Table:
    names = text.split("\n", 1)[0].split(",")
    return pacsv.read_csv(
        io.BytesIO(text.encode()),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False),
    )


def test_a_reform_adds_its_columns(yibao_bin, tmp_path):
    table = text_table_of(WITH_BAD_ROWS)
    setting = "benefits.inpatient.ratio.by_level.level_3=70%"
    expected = cli_batch(yibao_bin, arrow_file(table, tmp_path / "bad.arrow"), tmp_path, "--set", setting)
    settled = yibao.settle_table(table, per_claim=True, reform=[setting], **HUAIAN)
    assert "reform_basic_fund_paid" in settled.results.column_names
    assert_same_as_cli(settled, expected)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda t: yibao.settle_table(t.drop_columns(["amount"]), **HUAIAN), yibao.ClaimsError),
        (lambda t: yibao.settle_table(t.set_column(8, "amount", pa.array([1.5] * t.num_rows)), **HUAIAN), yibao.ClaimsError),
        (lambda t: yibao.settle_table(t, jurisdiction="atlantis", year=2026), yibao.PolicyError),
        (lambda t: yibao.settle_table(t, reform=["no.such.key=1"], **HUAIAN), yibao.ReformError),
        (lambda t: yibao.settle_table(t, t.select(["category"]), **HUAIAN), yibao.ClaimsError),
        (lambda t: yibao.settle_table(t, jurisdiction="huaian", year=1800), yibao.YibaoError),
        (lambda t: yibao.settle_table("claims.csv", **HUAIAN), TypeError),
    ],
    ids=["missing-column", "float-amount", "no-book", "bad-reform", "persons-without-id", "year-out-of-range", "not-a-table"],
)
def test_a_table_that_cannot_be_read_raises_the_documented_exception(call, error):
    table = text_table_of(WITH_BAD_ROWS)
    with pytest.raises(error):
        call(table)


def test_missing_column_message_is_the_batch_line():
    table = text_table_of(WITH_BAD_ROWS).drop_columns(["amount"])
    with pytest.raises(yibao.ClaimsError, match=r"^the header row of the claims file is not usable: .*amount"):
        yibao.settle_table(table, **HUAIAN)
