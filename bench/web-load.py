#!/usr/bin/env python3
"""Load check of the web app (a benchmark, not a test): N outcome posts at once on loopback,
then checks that the ledger stored every one.

    bench/web-load.py [--posts 200] [--binary .build/release/barometre]

It plans the employment example into a fresh ledger (in a temporary folder), gives its three
testers sign-in links, starts `barometre serve` on a free port, signs each tester in, and
sends all posts at the same moment (one thread each, released by a barrier): each is a
different application of the tester who posts it. Then it counts the stored answers with
`barometre export --events` and prints latency figures.
"""
import argparse
import csv
import http.client
import io
import json
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CAMPAIGN = "emploi-origine-lille-2026"

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--posts", type=int, default=200)
parser.add_argument("--binary", default=str(ROOT / ".build/release/barometre"))
args = parser.parse_args()
work = pathlib.Path(tempfile.mkdtemp(prefix="barometre-web-load-"))
db = str(work / "ledger.sqlite")


def barometre(*arguments):
    return subprocess.run([args.binary, *arguments, "--db", db], check=True, capture_output=True, text=True, cwd=ROOT).stdout


barometre("plan", "campaigns/employment-origin-lille-2026.json", "--out", str(work / "plan"))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
plan = list(csv.DictReader(open(work / "plan" / "plan.csv", encoding="utf-8")))
testers = sorted({row["tester"] for row in plan})
links = {}
for tester in testers:
    out = barometre("testers", "add", tester, "--campaign", CAMPAIGN, "--public-url", f"http://127.0.0.1:{port}")
    links[tester] = next(line for line in out.splitlines() if line.startswith("http"))

server = subprocess.Popen([args.binary, "serve", "--port", str(port), "--db", db], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)

    def request(method, path, cookie=None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read().decode()
        result = (response.status, dict(response.getheaders()), data)
        connection.close()
        return result

    # Sign each tester in; read the anti-forgery token from one of their pages.
    sessions = {}
    for tester, link in links.items():
        status, headers, _ = request("GET", "/" + link.split("/", 3)[3])
        cookie = headers["Set-Cookie"].split(";")[0]
        first = next(row["application_id"] for row in plan if row["tester"] == tester)
        _, _, page = request("GET", f"/applications/{first}", cookie)
        sessions[tester] = (cookie, re.search(r'name="csrf" value="([^"]+)"', page).group(1))

    # One post per application, round-robin over the testers, each on its own connection.
    by_tester = {t: [row for row in plan if row["tester"] == t] for t in testers}
    jobs = []
    while len(jobs) < args.posts and any(by_tester.values()):
        for t in testers:
            if by_tester[t] and len(jobs) < args.posts:
                row = by_tester[t].pop(0)
                jobs.append((t, row["application_id"], row["send_at"][:10]))
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def post(i):
        tester, application, sent = jobs[i]
        cookie, csrf = sessions[tester]
        body = f"csrf={csrf}&level=interview&date={sent}&note=load+check"
        barrier.wait()
        started = time.perf_counter()
        status, headers, _ = request("POST", f"/applications/{application}", cookie, body)
        results[i] = (status, time.perf_counter() - started)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(jobs))]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
finally:
    server.terminate()
    server.wait()

events = list(csv.DictReader(io.StringIO(barometre("export", "--campaign", CAMPAIGN, "--events"))))
web = [e for e in events if e["source"] == "web"]
latencies = sorted(r[1] for r in results)
statuses = {}
for status, _ in results:
    statuses[status] = statuses.get(status, 0) + 1
summary = {
    "posts": len(jobs), "statuses": statuses, "stored": len(web),
    "distinctApplications": len({e["application"] for e in web}),
    "wallSeconds": round(wall, 3),
    "latencyMs": {"p50": round(1000 * statistics.median(latencies), 1),
                  "p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
                  "max": round(1000 * latencies[-1], 1)},
}
print(json.dumps(summary, indent=2))
ok = summary["stored"] == len(jobs) == summary["distinctApplications"] and statuses == {303: len(jobs)}
print(("OK: every post was stored" if ok else "FAILED: some posts were not stored") + f" ({summary['stored']}/{len(jobs)})")
sys.exit(0 if ok else 1)
