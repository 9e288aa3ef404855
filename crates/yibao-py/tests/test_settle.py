"""`yibao.settle` against `yibao settle --format json`, for every example and scenario file,
and the scenarios the CLI refuses against its one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import yibao
from conftest import ROOT, run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9 and 3.10
    import tomli as tomllib

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
SCENARIO_TESTS = sorted((ROOT / "tests/scenarios").glob("*.toml"))
BROKEN = sorted((ROOT / "tests/fixtures/broken-scenarios").iterdir())


def scenario_json(test_file: Path, into: Path) -> Path:
    """The `[scenario]` table of a scenario test file, as a JSON scenario file."""
    scenario = tomllib.loads(test_file.read_text(encoding="utf-8"))["scenario"]
    path = into / (test_file.stem + ".json")
    path.write_text(json.dumps(scenario, default=str, ensure_ascii=False), encoding="utf-8")
    return path


def cli_report(yibao_bin, path: Path):
    """The CLI's JSON report of a scenario file, or its error line."""
    out = run_cli(yibao_bin, "settle", str(path), "--format", "json")
    if out.returncode == 0:
        return json.loads(out.stdout)
    line = out.stderr.decode("utf-8").rstrip("\n")
    assert out.returncode == 1 and line.startswith("yibao: "), line
    return yibao.ScenarioError(line[len("yibao: "):])


def python_report(scenario, **kwargs):
    try:
        return yibao.settle(scenario, explain=True, **kwargs)
    except yibao.ScenarioError as e:
        return e


def same(left, right) -> bool:
    if isinstance(left, Exception) or isinstance(right, Exception):
        return type(left) is type(right) and str(left) == str(right)
    return left == right


def test_there_are_examples_and_scenarios():
    assert len(EXAMPLES) >= 3 and len(SCENARIO_TESTS) >= 60 and len(BROKEN) >= 20


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_settle_equals_the_cli_json_for_every_example(yibao_bin, path):
    expected = cli_report(yibao_bin, path.relative_to(ROOT))
    assert not isinstance(expected, Exception), expected
    assert same(python_report(path.relative_to(ROOT)), expected)
    text = path.read_text(encoding="utf-8")
    assert same(python_report(text), expected)
    as_dict = json.loads(json.dumps(tomllib.loads(text), default=str))
    assert same(python_report(as_dict), expected)


@pytest.mark.parametrize("path", SCENARIO_TESTS, ids=lambda p: p.name)
def test_settle_equals_the_cli_json_for_every_scenario_file(yibao_bin, path, tmp_path):
    scenario = scenario_json(path, tmp_path)
    expected = cli_report(yibao_bin, scenario)
    assert same(python_report(scenario), expected)
    # The same scenario as a dict and as a JSON text: the same report (errors name
    # `<scenario>` in place of the file).
    as_dict = json.loads(scenario.read_text(encoding="utf-8"))
    for given in (as_dict, scenario.read_text(encoding="utf-8")):
        got = python_report(given)
        if isinstance(expected, Exception):
            assert isinstance(got, yibao.ScenarioError)
            assert str(got) == str(expected).replace(str(scenario), "<scenario>")
        else:
            assert got == expected


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_a_refused_scenario_raises_scenario_error_with_the_cli_line(yibao_bin, path):
    relative = path.relative_to(ROOT)
    expected = cli_report(yibao_bin, relative)
    assert isinstance(expected, yibao.ScenarioError), f"the CLI settles {path.name}"
    with pytest.raises(yibao.ScenarioError) as raised:
        yibao.settle(relative)
    assert str(raised.value) == str(expected)
    assert isinstance(raised.value, yibao.YibaoError)


def test_without_explain_the_figures_are_the_same_and_the_steps_empty():
    path = ROOT / "examples/huaian-2026-inpatient.toml"
    full = yibao.settle(path, explain=True)
    figures = yibao.settle(path)
    assert figures["totals"] == full["totals"]
    assert any(c["steps"] for c in full["claims"]) and not any(c["steps"] for c in figures["claims"])
    assert without_steps(figures["claims"]) == without_steps(full["claims"])


def without_steps(value):
    """The value with every `steps` and `trace` list emptied."""
    if isinstance(value, dict):
        return {k: [] if k in ("steps", "trace") else without_steps(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_steps(v) for v in value]
    return value


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: yibao.settle("not = [toml"), yibao.ScenarioError),
        (lambda: yibao.settle({"jurisdiction": "atlantis", "year": 2026}), yibao.ScenarioError),
        (lambda: yibao.settle(42), TypeError),
        (lambda: yibao.settle(ROOT / "examples/huaian-2026-inpatient.toml", lang="fr"), ValueError),
        (lambda: yibao.Library().book("atlantis", 2026), yibao.PolicyError),
        (lambda: yibao.Library(ROOT / "no/such/dir"), yibao.PolicyFilesError),
    ],
    ids=["not-toml", "unknown-jurisdiction", "not-a-scenario", "unknown-lang", "no-book", "no-policy-dir"],
)
def test_bad_input_raises_the_documented_exception(call, error):
    with pytest.raises(error):
        call()


def test_the_library_lists_its_books_and_shows_one():
    library = yibao.Library()
    books = library.books()
    assert ("huaian", 2026) in books and ("kunshan", 2021) in books
    book = library.book("huaian", 2026)
    assert book["jurisdiction"] == "huaian" and book["year"] == 2026
    assert book["sections"]["benefits"] in ("present", "inherited")
    keys = {value["key"] for value in book["values"]}
    assert any(key.startswith("benefits.inpatient") for key in keys)
