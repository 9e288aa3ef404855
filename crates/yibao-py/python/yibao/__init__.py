"""yibao (医保): rules-as-code settlement of Chinese basic medical insurance for urban and
rural residents, from Python.

- :class:`Library` -- the policy data (embedded by default), its books.
- :func:`settle` -- one person's year from a scenario: the report of
  ``yibao settle --format json`` as a dict.
- :func:`settle_table` -- a population's claims (``pyarrow.Table``, pandas or Polars
  frame) settled by the batch, every core at work, the interpreter's lock released: the
  tables of ``yibao batch`` (results, errors, per claim).
- :mod:`yibao.spark` -- the same on a PySpark DataFrame, person by person in executors.

Errors are exceptions with the CLI's one-line message (without its ``yibao:`` prefix):
:class:`ScenarioError`, :class:`ClaimsError`, :class:`ReformError`, :class:`PolicyError`,
:class:`PolicyFilesError`, all :class:`YibaoError`.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Mapping, NamedTuple, Optional, Sequence, Union

from ._yibao import (
    ClaimsError,
    Library,
    PolicyError,
    PolicyFilesError,
    ReformError,
    ScenarioError,
    YibaoError,
    __version__,
)
from ._tables import arrow_stream

__all__ = [
    "Library",
    "settle",
    "settle_table",
    "TableSettlement",
    "YibaoError",
    "ScenarioError",
    "ClaimsError",
    "ReformError",
    "PolicyError",
    "PolicyFilesError",
    "__version__",
]

_LANGS = ("en", "zh")
_default_library: Optional[Library] = None
_default_lock = threading.Lock()


def _library(library: Optional[Library]) -> Library:
    """The library given, or the embedded data loaded once."""
    global _default_library
    if library is not None:
        return library
    with _default_lock:
        if _default_library is None:
            _default_library = Library()
        return _default_library


def _scenario_bytes(scenario: Any) -> tuple:
    """(bytes, format, name) of a scenario given as a dict, a text or a file path."""
    if isinstance(scenario, Mapping):
        return json.dumps(scenario, ensure_ascii=False).encode("utf-8"), "json", "<scenario>"
    if isinstance(scenario, os.PathLike):
        name = os.fspath(scenario)
        with open(name, "rb") as file:
            data = file.read()
        return data, "json" if name.lower().endswith(".json") else "toml", name
    if isinstance(scenario, str):
        fmt = "json" if scenario.lstrip().startswith("{") else "toml"
        return scenario.encode("utf-8", "surrogatepass"), fmt, "<scenario>"
    raise TypeError(
        "a scenario is a dict, a TOML or JSON text, or a path (os.PathLike), "
        f"not {type(scenario).__name__}"
    )


def settle(
    scenario: Union[Mapping[str, Any], str, "os.PathLike[str]"],
    *,
    explain: bool = False,
    lang: str = "en",
    library: Optional[Library] = None,
) -> dict:
    """Settle one person's year; the report of ``yibao settle --format json`` as a dict.

    Like every JSON answer of the CLI it starts with ``schema_version``, ``engine_version``
    and ``policy_data`` (the SHA-256 digest of the policy data it was settled with).

    ``scenario`` is a dict in the scenario format, a TOML or JSON text of it (JSON when it
    starts with ``{``), or a path to a scenario file (JSON when it ends in ``.json``), named
    in errors as the CLI names it. With ``explain=True`` every figure carries its steps
    (rule and source) and the dict equals the CLI's JSON; without, the steps are empty
    lists and the figures are the same. ``lang`` (``"en"`` or ``"zh"``) is the CLI's
    ``--lang``: the JSON report holds codes, not labels, so it reads the same in both.

    Raises :class:`ScenarioError` for a scenario refused (parse or settlement), with the
    CLI's message (``file:line:col: what (at key.path); hint: ...``).
    """
    if lang not in _LANGS:
        raise ValueError(f"lang is 'en' or 'zh', not {lang!r}")
    data, fmt, name = _scenario_bytes(scenario)
    return _library(library).settle(data, format=fmt, name=name, explain=bool(explain))


class TableSettlement(NamedTuple):
    """The tables of a settled claims table, those ``yibao batch`` writes."""

    results: Any
    """One row per settled person (``--output``)."""
    errors: Any
    """One row per refused row, with its position, person, column and reason (``--errors``)."""
    per_claim: Any
    """One row per settled claim (``--per-claim``), or ``None`` unless asked for."""
    summary: dict
    """The batch's counts and totals (rows in, settled, in error; money reconciled)."""


def _reform_arguments(reform: Any) -> tuple:
    """(reform file as (name, text) or None, settings) of ``reform``."""
    if reform is None:
        return None, []
    if isinstance(reform, os.PathLike):
        name = os.fspath(reform)
        with open(name, encoding="utf-8") as file:
            return (name, file.read()), []
    if isinstance(reform, str):
        return ("<reform>", reform), []
    if isinstance(reform, Sequence):
        return None, [str(setting) for setting in reform]
    raise TypeError(
        "a reform is a reform file's path or TOML text, or a list of 'path=value' settings, "
        f"not {type(reform).__name__}"
    )


def settle_table(
    claims: Any,
    persons: Any = None,
    *,
    jurisdiction: str,
    year: int,
    reform: Any = None,
    per_claim: bool = False,
    threads: Optional[int] = None,
    library: Optional[Library] = None,
) -> TableSettlement:
    """Settle a population's claims as ``yibao batch`` does; the tables it writes.

    ``claims`` is a ``pyarrow.Table`` or ``RecordBatchReader``, a pandas or Polars frame, or
    anything with ``__arrow_c_stream__`` (taken through the Arrow C stream interface, the
    columns' buffers shared, not copied; a reader is read to its end), in the columns of ``yibao batch``'s claims file, each person's rows
    together (a person whose rows are apart is refused, as the batch refuses it); it is
    read by the batch's Arrow path, so rows are numbered from 1 (``row N``) and text,
    whole-number, boolean, ``Date32`` and decimal columns are read (a floating-point
    column is refused by name). ``persons``, when given, is the persons table of
    ``yibao batch --persons`` (``person_id``, enrolment category and history, birth date,
    incentive history, filings), one row per person, joined by ``person_id``.

    ``reform`` is a reform file's path or TOML text, or a list of ``path=value`` settings
    (``--reform``, ``--set``): the results grow the reform's columns. ``threads`` is the
    batch's ``--threads`` (default: every core). The interpreter's lock is released while
    the batch runs.

    The tables are those ``yibao batch`` writes for the same claims as an Arrow file
    (``--output r.arrow``): typed, money ``Decimal128(18, 2)``. Bad rows are not
    exceptions: they come back in ``errors`` (a person with a bad row is held back whole).
    Raises :class:`ClaimsError` when a table cannot be read at all (its columns, a
    floating-point amount), :class:`PolicyError` when the policy data has no book
    for ``jurisdiction`` and ``year``, :class:`ReformError` for a reform refused.
    """
    reform_file, settings = _reform_arguments(reform)
    claims_stream = arrow_stream(claims, "claims")
    persons_stream = None if persons is None else arrow_stream(persons, "persons")
    results, errors, claim_rows, summary = _library(library).settle_table(
        claims_stream,
        persons_stream,
        jurisdiction=jurisdiction,
        year=int(year),
        reform_file=reform_file,
        settings=settings,
        per_claim=bool(per_claim),
        threads=threads,
        outputs="tables",
    )
    return TableSettlement(results, errors, claim_rows, summary)



def __getattr__(name: str):
    """``yibao.spark`` on first use (it imports nothing of Spark until called)."""
    if name == "spark":
        import importlib

        return importlib.import_module(".spark", __name__)
    raise AttributeError(f"module 'yibao' has no attribute {name!r}")
