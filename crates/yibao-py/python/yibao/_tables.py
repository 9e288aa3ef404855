"""Claims and persons tables into the batch and its outputs back out, through Arrow.

Any frame Arrow reads becomes a ``pyarrow.Table`` (pandas through ``Table.from_pandas``,
Polars through ``to_arrow``, which shares the columns' buffers, anything else through the
Arrow PyCapsule stream interface); the table is handed to the engine as an Arrow IPC
stream, read by the batch's Arrow path, and its outputs come back as the typed tables
``yibao batch`` writes as Arrow files (money ``Decimal128(18, 2)``, dates ``Date32``,
positions ``Int64``, an empty field null).
"""

from __future__ import annotations

from typing import Any, Optional

import pyarrow as pa



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


# The rows of a record batch handed to the batch: its reader turns one batch at a time into
# text while the workers settle the one before, so one batch of millions of rows (a pandas
# frame's) would leave the workers idle until it was all converted.
_BATCH_ROWS = 65536


def table_bytes(frame: Any, what: str) -> bytes:
    """A frame as an Arrow IPC stream, which the batch reads as it reads an Arrow table
    file: its columns' types checked (a floating-point amount refused by name), its rows
    numbered from 1."""
    table = arrow_table(frame, what)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=_BATCH_ROWS)
    return sink.getvalue().to_pybytes()


def _output_table(data: bytes) -> pa.Table:
    """An output of the batch, an Arrow IPC file, as a table."""
    return pa.ipc.open_file(pa.py_buffer(data)).read_all()


def settled_tables(results: bytes, errors: bytes, per_claim: Optional[bytes]) -> tuple:
    """The batch's outputs as tables."""
    return (
        _output_table(results),
        _output_table(errors),
        None if per_claim is None else _output_table(per_claim),
    )
