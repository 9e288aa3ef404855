"""Benchmark of the Python paths against `yibao batch` on the same claims file.

    python python/bench.py --claims target/bench/c1m.csv --yibao target/release/yibao [--spark]

Measures, on the file (`cargo xtask gen-claims --persons N --seed 1 --output FILE`):

- `yibao batch` end to end (the CLI, every core), on the CSV file and on a Parquet file of
  the same rows;
- `yibao.settle_table` from a pandas frame (read with `dtype=str`; reading the CSV into
  pandas is timed apart), and from a Parquet file of the same rows (written once, text
  columns; `pyarrow.parquet.read_table` timed with the settlement);
- with `--spark`, `yibao.spark.settle` on `local[2]`: the JVM's start-up (the session's
  creation) timed apart from the job (read the CSV, settle, write to Spark's `noop` sink).

Each path but Spark runs `--runs` times (default 5), alternating; prints one line per path:
the median time with the range, claims/s and the ratio to the CLI's median. Run it with
`nice -n 19` on a shared machine, and the wheel built in its release profile
(`pip install ./crates/yibao-py`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(what, fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def text_columns(path: Path) -> dict:
    import pyarrow as pa

    names = path.open(encoding="utf-8").readline().rstrip("\n").split(",")
    return {name: pa.string() for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=Path, required=True)
    parser.add_argument("--yibao", type=Path, required=True, help="the release yibao binary")
    parser.add_argument("--spark", action="store_true", help="also the Spark path on local[2]")
    parser.add_argument("--threads", type=int, default=None, help="workers (default: every core)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each path, alternating (median and range)")
    args = parser.parse_args()

    import pandas as pd
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    import yibao

    place = dict(jurisdiction="huaian", year=2026)
    claims = sum(1 for _ in args.claims.open("rb")) - 1
    library = yibao.Library()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        threads = [] if args.threads is None else ["--threads", str(args.threads)]
        cli = [str(args.yibao), "batch", *place_args(place), "--input", str(args.claims),
               "--output", str(out / "r.csv"), "--errors", str(out / "e.csv"), *threads]
        read, frame = timed("pandas", lambda: pd.read_csv(args.claims, dtype=str, keep_default_na=False))
        table = pacsv.read_csv(args.claims, convert_options=pacsv.ConvertOptions(column_types=text_columns(args.claims)))
        parquet = out / "claims.parquet"
        pq.write_table(table, parquet)
        del table
        cli_parquet = [str(parquet) if arg == str(args.claims) else arg for arg in cli]
        paths = {
            "yibao batch (CLI)": lambda: subprocess.run(cli, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            "yibao batch on the Parquet file (CLI)": lambda: subprocess.run(
                cli_parquet, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            "settle_table from pandas": lambda: yibao.settle_table(frame, threads=args.threads, library=library, **place),
            "settle_table from Parquet (read included)": lambda: yibao.settle_table(
                pq.read_table(parquet), threads=args.threads, library=library, **place),
        }
        times = {name: [] for name in paths}
        for _ in range(max(1, args.runs)):
            for name, run in paths.items():
                times[name].append(timed(name, run)[0])
        base = statistics.median(times["yibao batch (CLI)"])
        on_parquet = statistics.median(times["yibao batch on the Parquet file (CLI)"])
        for name, seconds in times.items():
            note = ""
            if "pandas" in name:
                note = f"(+{read:.2f} s pd.read_csv)"
            elif "from Parquet" in name:
                note = f"({statistics.median(seconds) / on_parquet:.2f}x the CLI on the Parquet file)"
            report(name, seconds, base, claims, note)
        if args.spark:
            spark_bench(args.claims, place, base, claims)


def report(name: str, seconds: list, base: float, claims: int, note: str = "") -> None:
    median = statistics.median(seconds)
    print(
        f"{name:<44} {median:6.2f} s ({min(seconds):.2f} to {max(seconds):.2f})"
        f"  {claims / median:12,.0f} claims/s  {median / base:5.2f}x CLI  {note}",
        flush=True,
    )


def place_args(place: dict) -> list:
    return ["--jurisdiction", place["jurisdiction"], "--year", str(place["year"])]


def spark_bench(path: Path, place: dict, base: float, claims: int) -> None:
    import yibao.spark

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    start, spark = timed("jvm", lambda: (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", os.environ.get("YIBAO_BENCH_DRIVER_MEMORY", "4g"))
        .getOrCreate()
    ))
    spark.sparkContext.setLogLevel("ERROR")
    seconds, _ = timed("spark", lambda: (
        yibao.spark.settle(spark.read.option("header", True).csv(str(path)), **place)
        .write.format("noop").mode("overwrite").save()
    ))
    report("yibao.spark.settle on local[2]", [seconds], base, claims, f"(+{start:.2f} s JVM start-up)")
    spark.stop()


if __name__ == "__main__":
    main()
