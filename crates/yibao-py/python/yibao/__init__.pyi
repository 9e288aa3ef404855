"""Type stubs of the yibao package (the native module and its Python wrappers)."""

import os
from types import ModuleType
from typing import Any, Literal, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import pyarrow as pa

__version__: str

class YibaoError(Exception):
    """The base of every error the engine raises."""

class ScenarioError(YibaoError):
    """A scenario refused: it does not parse, or its settlement fails (the CLI's exit 1)."""

class ClaimsError(YibaoError):
    """A claims table the batch cannot read at all (its columns, a floating-point column)."""

class ReformError(YibaoError):
    """A reform refused: its file or a setting does not parse or does not check."""

class PolicyError(YibaoError):
    """The policy data failed its checks, or has no book for the jurisdiction and year."""

class PolicyFilesError(YibaoError):
    """A policy directory that cannot be read."""

class Library:
    """The policy data: embedded (``policy_dir=None``) or a directory like ``policy-data/``."""

    def __init__(self, policy_dir: Optional[Union[str, "os.PathLike[str]"]] = None) -> None: ...
    def books(self) -> list[Tuple[str, int]]:
        """Every book of the data, as ``(jurisdiction, year)``."""
    def book(self, jurisdiction: str, year: int) -> dict[str, Any]:
        """The book's ``jurisdiction``, ``year``, ``sections`` (coverage) and ``values``."""
    def settle(self, data: bytes, *, format: str, name: str, explain: bool) -> dict[str, Any]: ...
    def settle_table(
        self,
        claims: Any,
        persons: Optional[Any] = None,
        *,
        jurisdiction: str,
        year: int,
        reform_file: Optional[Tuple[str, str]] = None,
        settings: Sequence[str] = ...,
        per_claim: bool = False,
        threads: Optional[int] = None,
        outputs: Literal["arrow_files", "tables"] = "arrow_files",
    ) -> Tuple[Any, Any, Optional[Any], dict[str, Any]]:
        """The batch's outputs: the bytes of its Arrow IPC files (``outputs="arrow_files"``)
        or their record batches as ``pyarrow.Table`` (``"tables"``), and its summary."""

Scenario = Union[Mapping[str, Any], str, "os.PathLike[str]"]
Frame = Any  # a pyarrow.Table or RecordBatch, a pandas or Polars DataFrame, an Arrow stream
Reform = Union[str, "os.PathLike[str]", Sequence[str], None]

def settle(
    scenario: Scenario,
    *,
    explain: bool = False,
    lang: str = "en",
    library: Optional[Library] = None,
) -> dict[str, Any]:
    """One person's year: the report of ``yibao settle --format json`` as a dict."""

class TableSettlement(NamedTuple):
    results: pa.Table
    errors: pa.Table
    per_claim: Optional[pa.Table]
    summary: dict[str, Any]

def settle_table(
    claims: Frame,
    persons: Optional[Frame] = None,
    *,
    jurisdiction: str,
    year: int,
    reform: Reform = None,
    per_claim: bool = False,
    threads: Optional[int] = None,
    library: Optional[Library] = None,
) -> TableSettlement:
    """A population's claims settled as ``yibao batch`` settles them."""

spark: ModuleType
