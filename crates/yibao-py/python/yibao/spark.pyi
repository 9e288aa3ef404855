"""Type stubs of yibao.spark."""

from typing import Any, Iterator

import pyarrow as pa

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
    """The batch's results (or per-claim rows) of a PySpark DataFrame of claims."""

def errors(
    df: Any,
    *,
    jurisdiction: str,
    year: int,
    persons: Any = None,
    reform: Any = None,
    batch_rows: int = 65536,
) -> Any:
    """The rows the batch refuses, with its reasons."""
