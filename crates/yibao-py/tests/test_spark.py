"""`yibao.spark` on `local[2]` against `yibao batch` on the same file: the same persons with
the same figures, and the same refused rows, whatever the partitions and batch sizes."""

from __future__ import annotations

import os
import sys

import pyarrow as pa
import pytest

import yibao
from test_table import HUAIAN, WITH_BAD_ROWS, arrow_file, cli_batch, read_arrow, text_table

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


def collected(df, schema: pa.Schema) -> pa.Table:
    """A DataFrame's rows as a table of the CLI's schema."""
    return pa.Table.from_pylist([row.asDict() for row in df.collect()], schema=schema)


def test_spark_equals_yibao_batch_on_10000_persons(spark, yibao_bin, claims_10k, tmp_path):
    expected = cli_batch(yibao_bin, arrow_file(text_table(claims_10k), tmp_path / "c.arrow"), tmp_path)
    cli_results = read_arrow(expected["results"])
    # Batches of 3,000 rows: many persons carried over from one batch to the next.
    results = yibao.spark.settle(read_claims(spark, claims_10k), batch_rows=3000, **HUAIAN)
    got = collected(results, cli_results.schema)
    assert got.num_rows == cli_results.num_rows == 10_000
    assert by_person(got).equals(by_person(cli_results))


def test_spark_refuses_the_rows_yibao_batch_refuses(spark, yibao_bin, tmp_path):
    # A person whose rows are apart is refused by the batch but made whole by Spark's
    # repartition: that row is left out here.
    claims = tmp_path / "bad.csv"
    claims.write_text(WITH_BAD_ROWS.replace(SPLIT_P4, ""), encoding="utf-8")
    expected = cli_batch(yibao_bin, arrow_file(text_table(claims), tmp_path / "bad.arrow"), tmp_path)
    df = read_claims(spark, claims)
    cli_results = read_arrow(expected["results"])
    cli_errors = read_arrow(expected["errors"]).drop_columns(["row"])
    got = collected(yibao.spark.settle(df, batch_rows=2, **HUAIAN), cli_results.schema)
    assert by_person(got).equals(by_person(cli_results))
    got_errors = collected(yibao.spark.errors(df, batch_rows=2, **HUAIAN), cli_errors.schema)
    assert got_errors.num_rows == cli_errors.num_rows > 0
    # A reason that names another row gives its position in the table of one call.
    assert by_person(positions_masked(got_errors)).equals(by_person(positions_masked(cli_errors)))


def positions_masked(errors: pa.Table) -> pa.Table:
    reasons = pa.compute.replace_substring_regex(errors["reason"], r"\b(line|row) \d+", "row N")
    return errors.set_column(errors.column_names.index("reason"), "reason", reasons)

