"""Claims and persons tables into the batch and its outputs back out, through Arrow.

A frame reaches the engine through the Arrow PyCapsule C stream interface
(``__arrow_c_stream__``), which shares the columns' buffers instead of copying them: a
``pyarrow.Table`` or ``RecordBatchReader`` and a Polars frame as they are, a pandas frame
through ``Table.from_pandas``, a record batch as a table of one batch. The engine reads the
stream as the batch reads an Arrow table file, and its outputs come back as the typed
tables ``yibao batch`` writes as Arrow files (money ``Decimal128(18, 2)``, dates ``Date32``,
positions ``Int64``, an empty field null): their record batches handed over through the
same interface, not encoded as files and read back.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa



def arrow_stream(frame: Any, what: str) -> Any:
    """``frame`` as an object with ``__arrow_c_stream__``: a table, a record batch reader,
    a Polars frame or anything with the interface as it is, a record batch or a pandas
    frame as a ``pyarrow.Table``."""
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame])
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        return pa.Table.from_pandas(frame, preserve_index=False)
    if hasattr(frame, "__arrow_c_stream__"):
        return frame
    if module == "polars" and hasattr(frame, "to_arrow"):
        return frame.to_arrow()
    raise TypeError(
        f"the {what} are a pyarrow.Table, a pandas or Polars frame or an Arrow stream, "
        f"not {type(frame).__name__}"
    )
