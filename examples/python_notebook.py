# %% [markdown]
# # yibao from Python: a notebook-style walk through
#
# Run cell by cell in Jupyter or VS Code (`# %%` cells), or whole with `python
# examples/python_notebook.py` from the workspace root, after
# `pip install maturin && pip install ./crates/yibao-py` (and `pip install pandas` for the
# second part, `pyspark` and a Java runtime for the third).

# %%
import pathlib

import yibao

library = yibao.Library()  # the policy data embedded in the module
print(library.books())

# %% [markdown]
# ## One person's year
# The report is the one `yibao settle --format json` prints, as a dict.

# %%
report = yibao.settle(pathlib.Path("examples/huaian-2026-inpatient.toml"), explain=True)
print(report["totals"])
for claim in report["claims"]:
    print(claim["date"], claim["steps"][0]["text"] if claim["steps"] else "")

# %%
# A scenario may be a dict as well; errors are exceptions with the CLI's message.
try:
    yibao.settle({"jurisdiction": "huaian", "year": 2026, "claims": "none"})
except yibao.ScenarioError as error:
    print("refused:", error)

# %% [markdown]
# ## A population from pandas
# Amounts as text (or decimals), never floats: `dtype=str` keeps every field as written.

# %%
import io

import pandas as pd

claims = pd.read_csv(
    io.StringIO(
        "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount\n"
        "P1,ordinary,false,2,false,2026-03-01,inpatient,3,10000\n"
        "P1,ordinary,false,2,false,2026-04-01,general_outpatient,1,120.50\n"
        "P2,ordinary,false,2,false,2026-05-01,general_outpatient,1,abc\n"
        "P3,medical_aid_recipient,true,1,true,2026-06-01,day_surgery,2,3000\n"
    ),
    dtype=str,
    keep_default_na=False,
)
settled = yibao.settle_table(claims, jurisdiction="huaian", year=2026, per_claim=True)
print(settled.results.to_pandas())
print(settled.errors.to_pandas())  # P2's bad amount, with the reason; P2 is held back whole
print(settled.summary["rows_in"], settled.summary["rows_settled"], settled.summary["rows_in_error"])

# %% [markdown]
# ## The same on Spark
# `local[*]` here; on a cluster the executors need the wheel installed.

# %%
try:
    from pyspark.sql import SparkSession
except ImportError:
    SparkSession = None

if SparkSession is not None:
    import yibao.spark

    spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    frame = spark.createDataFrame(claims)
    yibao.spark.settle(frame, jurisdiction="huaian", year=2026).show()
    yibao.spark.errors(frame, jurisdiction="huaian", year=2026).show(truncate=False)
    spark.stop()
