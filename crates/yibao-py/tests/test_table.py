"""`yibao.settle_table` against `yibao batch` on the same claims: the 10,000-person
generated file byte for byte, a table with bad rows, pandas and Polars frames, the persons
table, and the exceptions of a table that cannot be read."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import yibao
from conftest import run_cli

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


def read_back(data: bytes) -> pa.Table:
    """An output of `yibao batch` read back as text columns, every field as written.

    pyarrow's CSV writer quotes the header and empty fields, which the batch does not: the
    tables are compared value by value instead of as written bytes."""
    return text_table_of(data.decode("utf-8"))


def cli_batch(yibao_bin, claims: Path, out: Path, *extra: str) -> dict:
    """`yibao batch` on a claims file: its three outputs' bytes."""
    paths = {name: out / f"{name}.csv" for name in ("results", "errors", "per_claim")}
    run = run_cli(
        yibao_bin, "batch", "--jurisdiction", "huaian", "--year", "2026",
        "--input", str(claims), "--output", str(paths["results"]),
        "--errors", str(paths["errors"]), "--per-claim", str(paths["per_claim"]), *extra,
    )
    assert run.returncode in (0, 1), run.stderr.decode()
    return {name: path.read_bytes() for name, path in paths.items()}


def assert_same_as_cli(settled: yibao.TableSettlement, expected: dict) -> None:
    for name in ("results", "errors", "per_claim"):
        got, want = getattr(settled, name), read_back(expected[name])
        assert got.column_names == want.column_names, name
        assert got.num_rows == want.num_rows, name
        for column in want.column_names:
            assert got[column].to_pylist() == want[column].to_pylist(), (name, column)


def test_settle_table_equals_yibao_batch_byte_for_byte_on_10000_persons(yibao_bin, claims_10k, tmp_path):
    expected = cli_batch(yibao_bin, claims_10k, tmp_path)
    settled = yibao.settle_table(text_table(claims_10k), per_claim=True, **HUAIAN)
    assert settled.results.num_rows == 10_000
    assert_same_as_cli(settled, expected)
    summary = settled.summary
    assert summary["rows_in"] == summary["rows_settled"] + summary["rows_in_error"]


def test_settle_table_equals_yibao_batch_on_bad_rows(yibao_bin, tmp_path):
    claims = tmp_path / "bad.csv"
    claims.write_text(WITH_BAD_ROWS, encoding="utf-8")
    expected = cli_batch(yibao_bin, claims, tmp_path)
    settled = yibao.settle_table(text_table(claims), per_claim=True, **HUAIAN)
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


def test_a_persons_table_is_joined_by_person_id():
    claims = text_table_of(WITH_BAD_ROWS)
    person_columns = ["person_id", "category", "family_doctor", "continuity_years", "zero_claim_prev"]
    firsts = {}
    for row in claims.select(person_columns).to_pylist():
        firsts.setdefault(row["person_id"], row)
    persons = pa.Table.from_pylist(list(firsts.values()))
    joined = yibao.settle_table(claims.drop_columns(person_columns[1:]), persons, **HUAIAN)
    # P5's rows disagree, which one row per person cannot say: the others are the same.
    others = pa.compute.not_equal(claims["person_id"], "P5")
    whole = yibao.settle_table(claims.filter(others), **HUAIAN)
    got = joined.results.filter(pa.compute.not_equal(joined.results["person_id"], "P5"))
    assert got.equals(whole.results) and got.num_rows >= 2


def text_table_of(text: str) -> pa.Table:
    names = text.split("\n", 1)[0].split(",")
    return pacsv.read_csv(
        io.BytesIO(text.encode()),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False),
    )


def test_a_reform_adds_its_columns(yibao_bin, tmp_path):
    claims = tmp_path / "bad.csv"
    claims.write_text(WITH_BAD_ROWS, encoding="utf-8")
    setting = "benefits.inpatient.ratio.by_level.level_3=70%"
    expected = cli_batch(yibao_bin, claims, tmp_path, "--set", setting)
    settled = yibao.settle_table(text_table(claims), per_claim=True, reform=[setting], **HUAIAN)
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
        (lambda t: yibao.settle_table("claims.csv", **HUAIAN), TypeError),
    ],
    ids=["missing-column", "float-amount", "no-book", "bad-reform", "persons-without-id", "not-a-table"],
)
def test_a_table_that_cannot_be_read_raises_the_documented_exception(call, error):
    table = text_table_of(WITH_BAD_ROWS)
    with pytest.raises(error):
        call(table)


def test_missing_column_message_is_the_batch_line():
    table = text_table_of(WITH_BAD_ROWS).drop_columns(["amount"])
    with pytest.raises(yibao.ClaimsError, match=r"^the header row of the claims file is not usable: .*amount"):
        yibao.settle_table(table, **HUAIAN)
