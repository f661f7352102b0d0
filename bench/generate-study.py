#!/usr/bin/env python3
"""Writes a large SIMULATED correspondence study in the `barometre import-study` format.

    bench/generate-study.py TESTS OUT.csv [--seed 20261122]

One row per application: offer (the test), arm (R reference, T1, T2), callback (TRUE/FALSE),
region (20 slice values), organization (500 employers), sentorder (1..applications of the
test). Each test sends one or two applications per arm (a quarter of the tests send two).
Callbacks share a test-level effect (an offer that calls back one profile tends to call
back the others), so the paired tables have realistic concordance: the reference arm is
called back about 30 % of the time, T1 22 %, T2 15 %.

The file is SIMULATED data (seeded: the same arguments give the same bytes); it is for
timing, not for findings.
"""
import argparse
import random

parser = argparse.ArgumentParser(description="Write a large simulated study for the benchmarks.")
parser.add_argument("tests", type=int)
parser.add_argument("out")
parser.add_argument("--seed", type=int, default=20261122)
args = parser.parse_args()

r = random.Random(args.seed)
# Probability of a callback given the offer's disposition (one uniform draw per test).
rates = {"R": 0.30, "T1": 0.22, "T2": 0.15}
arms = list(rates)
with open(args.out, "w", encoding="utf-8", newline="\n") as f:
    f.write("offer,arm,callback,region,organization,sentorder\n")
    lines = []
    for offer in range(1, args.tests + 1):
        region = f"region{offer % 20:02d}"
        organization = f"org{r.randrange(500):03d}"
        k = 2 if r.random() < 0.25 else 1
        disposition = r.random()
        sends = [arm for arm in arms for _ in range(k)]
        r.shuffle(sends)
        for position, arm in enumerate(sends, 1):
            # Half the offers are "open" (1.6 × the arm's rate), half "closed" (0.4 ×): the
            # marginal rate is the arm's, and callbacks correlate within a test.
            p = rates[arm]
            called = r.random() < (1.6 * p if disposition < 0.5 else 0.4 * p)
            lines.append(f"T{offer},{arm},{'TRUE' if called else 'FALSE'},{region},{organization},{position}\n")
        if len(lines) >= 100_000:
            f.writelines(lines)
            lines.clear()
    f.writelines(lines)
