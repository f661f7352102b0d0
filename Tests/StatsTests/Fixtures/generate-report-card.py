#!/usr/bin/env python3
"""Reference values for the report card (METHODS.md §4) from the reference implementation,
the Python package drrank 0.1.3 (Kline, Rose & Walters 2024), on simulated campaigns.

Writes report-card-reference.json beside this script. Tests read that file; they never need
Python, R or Gurobi. How to run it (what was used for the committed file):

    python3 -m venv /tmp/drvenv
    /tmp/drvenv/bin/pip install drrank==0.1.3 --no-deps
    /tmp/drvenv/bin/pip install numpy pandas scipy scikit-learn tqdm joblib patsy \
        matplotlib seaborn "rpy2==3.5.16" gurobipy
    /tmp/drvenv/bin/python generate-report-card.py

Caveats (all handled here, each on purpose):
- drrank pins gurobipy 10, whose bundled licence expired in 2024; a current gurobipy (13.0.3
  here) is installed beside it. Its free licence solves at most 31 organizations, so the
  cases have F ≤ 30.
- drrank builds the spline basis with R's splines::ns through rpy2 and silently falls back to
  patsy's basis when rpy2 cannot load R (rpy2 3.6 cannot load R 4.2); the two bases give
  different priors. rpy2 3.5.16 loads R 4.2.2 here; the script stops if the fallback is used.
- Under numpy 2, its DR mode calls np.sum on dict values; the probabilities are passed in a
  tupledict whose values() is a list.
- Grid: 1,000 support points (Barometre's default; drrank's is 5,000), 5 spline degrees of
  freedom, prior seed 20241 (the starting point of drrank's optimizer; Barometre starts at
  α = 0 and warm-starts across penalties: the optimum, not the path, is compared).

The data are SIMULATED: organizations with a share of non-discriminating ones and a spread of
discrimination among the others; each test gives the reference and tested answers.
"""
import contextlib, io, json, os, sys
import numpy as np

import drrank
import drrank_distribution
import gurobipy as gp

HERE = os.path.dirname(os.path.abspath(__file__))


class ListValues(gp.tupledict):
    def values(self):
        return list(super().values())


def simulate(rng, organizations, tests_low, tests_high, share_null, spread):
    thetas, ses, n_tests, truth = [], [], [], []
    for _ in range(organizations):
        while True:
            n = int(rng.integers(tests_low, tests_high + 1))
            theta = 0.0 if rng.uniform() < share_null else float(rng.uniform(0.02, spread))
            # Paired answers: the offer answers the reference with probability 0.45; the
            # tested profile loses a positive answer with probability θ/0.45 and gets one the
            # reference did not with probability 0.03 (E[difference] = θ − 0.0165).
            ref = rng.uniform(size=n) < 0.45
            tst = np.where(ref, rng.uniform(size=n) >= theta / 0.45, rng.uniform(size=n) < 0.03)
            d = ref.astype(float) - tst.astype(float)
            sd = float(np.std(d, ddof=1))
            if sd > 0:
                break
        thetas.append(float(np.mean(d)))
        ses.append(sd / np.sqrt(n))
        n_tests.append(n)
        truth.append(theta)
    return np.array(thetas), np.array(ses), n_tests, truth


def run_case(name, seed, organizations, tests_low, tests_high, share_null, spread, lambdas, rates):
    rng = np.random.default_rng(seed)
    thetas, ses, n_tests, truth = simulate(rng, organizations, tests_low, tests_high, share_null, spread)
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        pe = drrank_distribution.prior_estimate(thetas, ses)
        pe.estimate_prior(supp_points=1000, spline_order=5, seed=20241)
        pe.compute_posteriors(alpha=0.05)
        pis = pe.compute_pis(ncores=1)
    text = log.getvalue()
    if "switching to python" in text:
        sys.exit("drrank fell back to patsy's spline basis: install rpy2 3.5.x so it loads R's splines::ns")
    penalty = float(text.split("penalty ")[1].split()[0])
    grades = {}
    for lam in lambdas:
        i_j, Pij = drrank.clean_data(pis)
        with contextlib.redirect_stdout(io.StringIO()):
            res = drrank.report_cards(i_j, Pij, lamb=lam)
        grades["lambda=%g" % lam] = {"grades": [int(x) for x in res.filter(like="grades_").iloc[:, 0]],
                                     "condorcet": [int(x) for x in res["condorcet_rank"]]}
    for dr in rates:
        i_j, Pij = drrank.clean_data(pis)
        with contextlib.redirect_stdout(io.StringIO()):
            res = drrank.report_cards(i_j, ListValues(Pij), DR=dr)
        grades["DR=%g" % dr] = {"grades": [int(x) for x in res.filter(like="grades_").iloc[:, 0]],
                                "condorcet": [int(x) for x in res["condorcet_rank"]]}
    return {
        "name": name, "simulated": True, "seed": seed,
        "estimates": thetas.tolist(), "standardErrors": ses.tolist(), "tests": n_tests, "truth": truth,
        "penalty": penalty,
        "estimatesMean": float(pe.mean_ests), "biasCorrectedSD": float(pe.sd_ests),
        "priorMean": float(pe.prior_g["mean_theta"]), "priorSD": float(pe.prior_g["sd_theta"]),
        "posteriorMean": pe.pmean.tolist(), "lower": pe.lci.tolist(), "upper": pe.uci.tolist(),
        "pi": pis.tolist(), "grades": grades,
    }


def main():
    cases = [
        run_case("twelve organizations, 15–25 tests", 11, 12, 15, 25, 0.5, 0.35, [0.25, 0.5, 1.0], [0.05]),
        run_case("twenty organizations, 30 tests", 12, 20, 30, 30, 0.4, 0.3, [0.25, 0.5, 0.75, 1.0], [0.05, 0.1]),
        run_case("thirty organizations, 10–40 tests", 13, 30, 10, 40, 0.6, 0.4, [0.5, 1.0], [0.1]),
    ]
    out = {"generator": "generate-report-card.py (drrank 0.1.3, gurobipy %s, R splines::ns via rpy2)" % ".".join(map(str, gp.gurobi.version())),
           "gridPoints": 1000, "degreesOfFreedom": 5, "level": 0.95, "cases": cases}
    with open(os.path.join(HERE, "report-card-reference.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
