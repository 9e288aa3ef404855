"""Claims tables into the batch and its outputs back out, through Arrow.

Any frame Arrow reads becomes a ``pyarrow.Table`` (pandas through ``Table.from_pandas``,
Polars through ``to_arrow``, which shares the columns' buffers, anything else through the
Arrow PyCapsule stream interface); the table is handed to the engine as the text of the
batch's claims file and its outputs come back as tables of text columns, as
``yibao batch`` writes them.
"""

from __future__ import annotations

import io
from typing import Any, Optional

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ._yibao import ClaimsError

_ROW = "__yibao_row"


def arrow_table(frame: Any, what: str) -> pa.Table:
    """``frame`` as a ``pyarrow.Table``: a table, a record batch, a pandas or Polars frame,
    or anything with ``__arrow_c_stream__``."""
    if isinstance(frame, pa.Table):
        return frame
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        return pa.Table.from_pandas(frame, preserve_index=False)
    if module == "polars" and hasattr(frame, "to_arrow"):
        return frame.to_arrow()
    if hasattr(frame, "__arrow_c_stream__"):
        return pa.table(frame)
    raise TypeError(
        f"the {what} are a pyarrow.Table, a pandas or Polars frame or an Arrow stream, "
        f"not {type(frame).__name__}"
    )


def _refuse_floats(table: pa.Table) -> None:
    """Money is never binary floating point: a floating-point column is refused by name."""
    floats = [f"`{field.name}` is {field.type}" for field in table.schema if pa.types.is_floating(field.type)]
    if floats:
        raise ClaimsError(
            "the header row of the claims file is not usable: column "
            + "; column ".join(floats)
            + ": binary floating point, which cannot hold most amounts in yuan and fen exactly "
            "(0.1 has no exact binary value); money is never binary floating point: "
            "write it as Decimal128(p, 2) or as text"
        )


def _with_persons(claims: pa.Table, persons: pa.Table) -> pa.Table:
    """The claims with the person columns of ``persons`` joined by ``person_id``, in the
    claims' order; a claim whose person is not in ``persons`` keeps empty person columns
    (which the batch refuses by name)."""
    for table, what in ((claims, "claims"), (persons, "persons")):
        if "person_id" not in table.column_names:
            raise ClaimsError(f"the {what} table has no `person_id` column")
    shared = sorted(set(claims.column_names) & set(persons.column_names) - {"person_id"})
    if shared:
        raise ClaimsError(
            "the claims and persons tables both have the column(s) "
            + ", ".join(f"`{name}`" for name in shared)
            + ": a person column belongs to one of them"
        )
    distinct = pc.count_distinct(persons["person_id"]).as_py()
    if distinct != persons.num_rows:
        counts = pc.value_counts(persons["person_id"])
        twice = next(v["values"] for v in counts.to_pylist() if v["counts"] > 1)
        raise ClaimsError(f"the persons table has person `{twice}` more than once")
    if persons.schema.field("person_id").type != claims.schema.field("person_id").type:
        persons = persons.set_column(
            persons.column_names.index("person_id"),
            "person_id",
            persons["person_id"].cast(claims.schema.field("person_id").type),
        )
    numbered = claims.append_column(_ROW, pa.array(range(claims.num_rows), pa.int64()))
    joined = numbered.join(persons, keys="person_id", join_type="left outer")
    return joined.sort_by(_ROW).drop_columns([_ROW])


def claims_table(claims: Any, persons: Any = None) -> pa.Table:
    """The claims (joined with the persons when given) as one table the batch reads."""
    table = arrow_table(claims, "claims")
    if persons is not None:
        table = _with_persons(table, arrow_table(persons, "persons"))
    _refuse_floats(table)
    return table


def table_bytes(table: pa.Table) -> bytes:
    """The table as the text of the batch's CSV claims file."""
    sink = io.BytesIO()
    pacsv.write_csv(
        table,
        sink,
        write_options=pacsv.WriteOptions(include_header=True, quoting_style="needed"),
    )
    return sink.getvalue()


def _text_table(data: bytes) -> pa.Table:
    """A CSV output of the batch as a table of text columns, every field as written."""
    header = data.split(b"\n", 1)[0].decode("utf-8").split(",")
    return pacsv.read_csv(
        io.BytesIO(data),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def settled_tables(results: bytes, errors: bytes, per_claim: Optional[bytes]) -> tuple:
    """The batch's outputs as tables."""
    return (
        _text_table(results),
        _text_table(errors),
        None if per_claim is None else _text_table(per_claim),
    )
