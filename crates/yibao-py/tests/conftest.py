"""Fixtures of the suite: the workspace, the `yibao` binary to compare with, and the
10,000-person claims file (`cargo xtask gen-claims --persons 10000 --seed 1`).

The binary is `$YIBAO_BIN`, else the workspace's `target/debug/yibao`, else
`target/release/yibao`; the claims file is `$YIBAO_CLAIMS_10K`, else generated once into the
session's temporary directory. Neither is ever skipped: a missing binary fails the tests that
need it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def yibao_bin() -> Path:
    given = os.environ.get("YIBAO_BIN")
    candidates = [Path(given)] if given else [ROOT / "target/debug/yibao", ROOT / "target/release/yibao"]
    for path in candidates:
        if path.is_file():
            return path
    pytest.fail(f"no yibao binary to compare with (tried {', '.join(map(str, candidates))}); build it with `cargo build -p yibao-cli` or set YIBAO_BIN")


@pytest.fixture(scope="session")
def claims_10k(tmp_path_factory) -> Path:
    given = os.environ.get("YIBAO_CLAIMS_10K")
    if given:
        return Path(given)
    path = tmp_path_factory.mktemp("claims") / "c10k.csv"
    subprocess.run(
        ["cargo", "xtask", "gen-claims", "--persons", "10000", "--seed", "1", "--output", str(path)],
        cwd=ROOT,
        check=True,
    )
    return path


def run_cli(yibao_bin: Path, *args: str) -> subprocess.CompletedProcess:
    """`yibao ARGS` from the workspace root, its output as bytes."""
    return subprocess.run([str(yibao_bin), *args], cwd=ROOT, capture_output=True)


@pytest.fixture(autouse=True)
def at_the_workspace_root(monkeypatch):
    """Every test runs where the CLI is run, so that relative paths name the same files."""
    monkeypatch.chdir(ROOT)
