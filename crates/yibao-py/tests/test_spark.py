"""`yibao.spark` on `local[2]` against `yibao batch` on the same file: the same persons with
the same figures, and the same refused rows, whatever the partitions and batch sizes."""

from __future__ import annotations

import os
import sys

import pyarrow as pa
import pytest

import yibao
from test_table import HUAIAN, WITH_BAD_ROWS, cli_batch, text_table

SPLIT_P4 = "P4,ordinary,false,2,false,2026-07-01,inpatient,2,3000\n"

import pyspark  # noqa: E402,F401  (required: the suite never skips the Spark path)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The Python workers run this interpreter (with the wheel and pyarrow), not `python3`
    # from the PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("yibao-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "3")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
        .getOrCreate()
    )
    yield session
    session.stop()


def read_claims(spark, path):
    """The claims file as a DataFrame of text columns (no type inferred)."""
    return spark.read.option("header", True).csv(str(path))


def by_person(table: pa.Table) -> pa.Table:
    return table.sort_by([(name, "ascending") for name in table.column_names])


def collected(df) -> pa.Table:
    rows = df.collect()
    names = df.columns
    return pa.Table.from_pylist([row.asDict() for row in rows], schema=pa.schema([(n, pa.string()) for n in names]))


def test_spark_equals_yibao_batch_on_10000_persons(spark, yibao_bin, claims_10k, tmp_path):
    expected = cli_batch(yibao_bin, claims_10k, tmp_path)
    cli_results = text_table(_written(tmp_path / "cli-results.csv", expected["results"]))
    # Batches of 3,000 rows: many persons carried over from one batch to the next.
    results = yibao.spark.settle(read_claims(spark, claims_10k), batch_rows=3000, **HUAIAN)
    got = collected(results)
    assert got.num_rows == cli_results.num_rows == 10_000
    assert by_person(got).equals(by_person(cli_results))


def test_spark_refuses_the_rows_yibao_batch_refuses(spark, yibao_bin, tmp_path):
    # A person whose rows are apart is refused by the batch but made whole by Spark's
    # repartition: that row is left out here.
    claims = tmp_path / "bad.csv"
    claims.write_text(WITH_BAD_ROWS.replace(SPLIT_P4, ""), encoding="utf-8")
    expected = cli_batch(yibao_bin, claims, tmp_path)
    df = read_claims(spark, claims)
    cli_results = text_table(_written(tmp_path / "r.csv", expected["results"]))
    cli_errors = text_table(_written(tmp_path / "e.csv", expected["errors"])).drop_columns(["line"])
    got = collected(yibao.spark.settle(df, batch_rows=2, **HUAIAN))
    assert by_person(got).equals(by_person(cli_results))
    got_errors = collected(yibao.spark.errors(df, batch_rows=2, **HUAIAN))
    assert got_errors.num_rows == cli_errors.num_rows > 0
    # A reason that names another row gives its position in the table of one call.
    assert by_person(positions_masked(got_errors)).equals(by_person(positions_masked(cli_errors)))


def positions_masked(errors: pa.Table) -> pa.Table:
    reasons = pa.compute.replace_substring_regex(errors["reason"], r"\b(line|row) \d+", "row N")
    return errors.set_column(errors.column_names.index("reason"), "reason", reasons)


def _written(path, data: bytes):
    path.write_bytes(data)
    return path
