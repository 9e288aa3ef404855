"""yibao on Spark: a PySpark DataFrame of claims settled person by person inside the
executors, in Arrow batches of many persons.

The claims are repartitioned by ``person_id`` (a person's rows all go to one partition) and
sorted within each partition by person and by their order in the input; ``mapInArrow``
then hands each partition's record batches to :func:`yibao.settle_table`, gathered into
tables of at least ``batch_rows`` rows cut between two persons (a person's rows carried
over to the next table, never split across two calls). One call settles thousands of
persons; no Python call is made per claim or per person.

The executors need the ``yibao`` wheel installed (``pip install``, or the cluster's package
mechanism); ``local[*]`` uses the driver's. Each Spark task settles with one thread: Spark
runs as many tasks at once as it has cores.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

import pyarrow as pa
import pyarrow.compute as pc

import yibao

_ORDER = "__yibao_order"
_OUTPUTS = ("results", "errors", "per_claim")


def settle(
    df: Any,
    *,
    jurisdiction: str,
    year: int,
    persons: Any = None,
    per_claim: bool = False,
    reform: Any = None,
    batch_rows: int = 65536,
) -> Any:
    """The results of ``yibao batch`` for a DataFrame of claims: one row per settled person
    (with ``per_claim=True``, one row per settled claim), as a DataFrame.

    ``df`` has the columns of the batch's claims file; ``persons``, when given, is the
    persons table of ``yibao batch --persons`` as a DataFrame (collected on the driver:
    one row per person); each call is given its own persons' rows, so a refused row of a
    person without claims is reported nowhere.
    Rows refused, and the persons they hold back, are not in the results: :func:`errors`
    gives them. The position column of the per-claim rows counts rows within the table each
    call settled, not in ``df``.
    """
    return _settled(df, "per_claim" if per_claim else "results", jurisdiction, year, persons, reform, batch_rows)


def errors(
    df: Any,
    *,
    jurisdiction: str,
    year: int,
    persons: Any = None,
    reform: Any = None,
    batch_rows: int = 65536,
) -> Any:
    """The rows :func:`settle` refuses, with the batch's reasons: ``person_id``, ``column``
    and ``reason``. The batch's position column, which would count rows within one call's
    table, is left out; a reason that names another row of the person (``person held back:
    line N was refused``) counts within that table too."""
    return _settled(df, "errors", jurisdiction, year, persons, reform, batch_rows)


def _settled(df, output: str, jurisdiction: str, year: int, persons, reform, batch_rows: int):
    from pyspark.sql import functions as F

    # The persons table is small beside the claims (one row a person): it is collected once
    # and each call is given the rows of its own persons.
    people = None if persons is None else _collected(persons)
    columns = df.columns
    settle_args = dict(jurisdiction=jurisdiction, year=int(year), reform=reform)
    schema = _output_schema(df, output, settle_args)
    spark_schema = _spark_schema(schema)
    ordered = (
        df.withColumn(_ORDER, F.monotonically_increasing_id())
        .repartition("person_id")
        .sortWithinPartitions("person_id", _ORDER)
    )
    rows = max(1, int(batch_rows))

    def settle_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for table in _whole_persons(batches, rows):
            claims = table.drop_columns([_ORDER]).select(columns)
            own = None if people is None else people.filter(pc.is_in(people["person_id"], claims["person_id"].unique()))
            settled = yibao.settle_table(claims, own, per_claim=output == "per_claim", threads=1, **settle_args)
            part = getattr(settled, output)
            yield from part.select(schema.names).cast(schema).to_batches()

    return ordered.mapInArrow(settle_partition, spark_schema)


def _collected(df) -> pa.Table:
    """A small DataFrame on the driver, as an Arrow table."""
    if hasattr(df, "toArrow"):
        return df.toArrow()
    return pa.Table.from_pandas(df.toPandas(), preserve_index=False)


def _whole_persons(batches: Iterator[pa.RecordBatch], rows: int) -> Iterator[pa.Table]:
    """Tables of at least ``rows`` rows (the last one smaller), each cut just before the
    last person it would hold in part: a person's rows, contiguous in the sorted partition,
    are carried over whole to the next table."""
    carried: list = []
    held = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        carried.append(batch)
        held += batch.num_rows
        if held < rows:
            continue
        table = pa.Table.from_batches(carried)
        ids = table.column("person_id")
        last = ids[table.num_rows - 1]
        cut = table.num_rows - pc.sum(pc.equal(ids, last)).as_py()
        if cut > 0:
            yield table.slice(0, cut)
        rest = table.slice(cut)
        carried = rest.to_batches()
        held = rest.num_rows
    if held:
        yield pa.Table.from_batches(carried)


def _output_schema(df, output: str, settle_args: dict) -> pa.Schema:
    """The Arrow schema of the output, found by settling no claim with the DataFrame's
    columns (the reform's columns included)."""
    from pyspark.sql.pandas.types import to_arrow_schema

    empty = to_arrow_schema(df.schema).empty_table()
    settled = yibao.settle_table(empty, per_claim=output == "per_claim", threads=1, **settle_args)
    schema = getattr(settled, output).schema
    if output == "errors":
        schema = pa.schema([field for field in schema if field.name not in ("line", "row")])
    return schema


def _spark_schema(schema: pa.Schema):
    """The Spark type of each output column."""
    from pyspark.sql import types as T

    def spark_type(arrow_type: pa.DataType):
        if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
            return T.StringType()
        if pa.types.is_decimal(arrow_type):
            return T.DecimalType(arrow_type.precision, arrow_type.scale)
        if pa.types.is_date32(arrow_type):
            return T.DateType()
        if pa.types.is_integer(arrow_type):
            return T.LongType()
        if pa.types.is_boolean(arrow_type):
            return T.BooleanType()
        raise TypeError(f"no Spark type for the output type {arrow_type}")

    return T.StructType([T.StructField(field.name, spark_type(field.type), True) for field in schema])
