#!/usr/bin/env python3
"""The analysis a researcher runs today in Python (pandas + statsmodels), on a study in
the `barometre import-study` format written by bench/generate-study.py. Timed side by side
with `barometre analyze` by bench/compare.sh; it is not used by the tests.

    python3 bench/reference.py STUDY.csv OUT.json

The same computations as bench/reference.R: for each comparison (R vs T1, R vs T2) and each
slice (all, then each region), the paired table (max rule), the rates, McNemar with and
without correction, the exact binomial test on the discordant pairs, the application-level
two-proportion z test, and the linear probability model with test fixed effects (within
transformation) and standard errors clustered by test (statsmodels' cluster covariance).
"""
import json
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import binomtest
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportions_ztest

d = pd.read_csv(sys.argv[1], dtype={"offer": str, "arm": str, "callback": str, "region": str, "organization": str, "sentorder": int})
d["y"] = (d["callback"] == "TRUE").astype(int)
positive = d.groupby(["offer", "arm"])["y"].max().unstack("arm")
region = d.groupby("offer")["region"].first().reindex(positive.index)

results = []
for tested in ["T1", "T2"]:
    for slice_ in ["all"] + sorted(d["region"].unique()):
        keep = np.ones(len(positive), bool) if slice_ == "all" else (region == slice_).to_numpy()
        a = positive["R"].to_numpy()[keep] == 1
        b = positive[tested].to_numpy()[keep] == 1
        both, ref_only, tested_only, neither = int((a & b).sum()), int((a & ~b).sum()), int((~a & b).sum()), int((~a & ~b).sum())
        table = [[both, ref_only], [tested_only, neither]]
        corrected = mcnemar(table, exact=False, correction=True)
        uncorrected = mcnemar(table, exact=False, correction=False)
        exact = binomtest(ref_only, ref_only + tested_only) if ref_only + tested_only > 0 else None
        apps = d[d["arm"].isin(["R", tested]) & ((slice_ == "all") | (d["region"] == slice_))]
        x = (apps["arm"] == tested).astype(float).to_numpy()
        y = apps["y"].astype(float).to_numpy()
        _, prop_p = proportions_ztest([y[x == 0].sum(), y[x == 1].sum()], [(x == 0).sum(), (x == 1).sum()])
        groups = apps["offer"].to_numpy()
        yd = y - apps.groupby("offer")["y"].transform("mean").to_numpy()
        xd = x - pd.Series(x, index=apps.index).groupby(apps["offer"]).transform("mean").to_numpy()
        codes = pd.factorize(groups)[0]
        fit = sm.OLS(yd, xd).fit(cov_type="cluster", cov_kwds={"groups": codes})
        results.append({
            "tested": tested, "slice": slice_, "tests": int(keep.sum()), "table": [both, ref_only, tested_only, neither],
            "rate_reference": float(a.mean()), "rate_tested": float(b.mean()),
            "mcnemar_p": float(corrected.pvalue), "mcnemar_uncorrected_p": float(uncorrected.pvalue),
            "exact_p": float(exact.pvalue) if exact else 1.0, "prop_test_p": float(prop_p),
            "regression": float(fit.params[0]), "regression_se": float(fit.bse[0]),
        })
json.dump(results, open(sys.argv[2], "w"), indent=1)
