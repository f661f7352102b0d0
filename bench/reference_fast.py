#!/usr/bin/env python3
"""The fastest Python workflow a researcher uses today (polars + pyfixest), on a study in the
`barometre import-study` format written by bench/generate-study.py. Timed side by side with
`barometre analyze` by bench/compare.sh (issue #17 item 1); it is not used by the tests.

    python3 bench/reference_fast.py STUDY.csv OUT.json
    python3 bench/reference_fast.py --read-only STUDY.csv      # the read floor: polars read_csv

The same computations as bench/reference.py: for each comparison (R vs T1, R vs T2) and each
slice (all, then each region), the paired table (max rule), McNemar with and without
continuity correction (χ² on the discordant tests), and the linear probability model
`y ~ tested | offer` with standard errors clustered by offer (pyfixest `feols`, CRV1).
"""
import json
import sys

import polars as pl

if sys.argv[1] == "--read-only":
    pl.read_csv(sys.argv[2])
    sys.exit(0)

import pandas as pd
import pyfixest as pf
from scipy.stats import chi2

d = pl.read_csv(sys.argv[1], schema_overrides={"offer": pl.Utf8, "arm": pl.Utf8, "callback": pl.Utf8, "region": pl.Utf8,
                                               "organization": pl.Utf8, "sentorder": pl.Int64})
d = d.with_columns((pl.col("callback") == "TRUE").cast(pl.Int8).alias("y"))
positive = d.group_by(["offer", "arm"]).agg(pl.col("y").max()).pivot(on="arm", index="offer", values="y")
positive = positive.join(d.group_by("offer").agg(pl.col("region").first()), on="offer")

results = []
for tested in ["T1", "T2"]:
    for slice_ in ["all"] + sorted(d["region"].unique().to_list()):
        sub = positive if slice_ == "all" else positive.filter(pl.col("region") == slice_)
        a, b = sub["R"] == 1, sub[tested] == 1
        both, ref_only, tested_only, neither = int((a & b).sum()), int((a & ~b).sum()), int((~a & b).sum()), int((~a & ~b).sum())
        discordant = ref_only + tested_only
        uncorrected = chi2.sf((ref_only - tested_only) ** 2 / discordant, 1) if discordant else 1.0
        corrected = chi2.sf((abs(ref_only - tested_only) - 1) ** 2 / discordant, 1) if discordant else 1.0
        apps = d.filter(pl.col("arm").is_in(["R", tested]) & ((pl.lit(slice_ == "all")) | (pl.col("region") == slice_)))
        apps = apps.with_columns((pl.col("arm") == tested).cast(pl.Float64).alias("x"), pl.col("y").cast(pl.Float64))
        frame = pd.DataFrame({"y": apps["y"].to_numpy(), "x": apps["x"].to_numpy(), "offer": apps["offer"].to_numpy()})
        fit = pf.feols("y ~ x | offer", data=frame, vcov={"CRV1": "offer"})
        results.append({"tested": tested, "slice": slice_, "table": [both, ref_only, tested_only, neither],
                        "mcnemar_p": float(corrected), "mcnemar_uncorrected_p": float(uncorrected),
                        "regression": float(fit.coef()["x"])})
json.dump(results, open(sys.argv[2], "w"), indent=1)
