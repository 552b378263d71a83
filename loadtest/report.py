"""Prints the latency percentiles of a locust run from its CSV statistics; exits 1 on any failed request.

python loadtest/report.py PREFIX    (the --csv PREFIX given to locust)
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def main(prefix: str) -> int:
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text().splitlines()))
    width = max(len(row["Name"]) for row in rows)
    print(f"{'request':<{width}}  {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    failures = 0
    for row in rows:
        name = row["Name"] if row["Type"] else "TOTAL"
        failures += int(row["Failure Count"]) if not row["Type"] else 0
        print(
            f"{name:<{width}}  {row['Request Count']:>7} {row['Failure Count']:>5} {float(row['Requests/s']):>7.1f}"
            f" {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    if failures:
        print(f"FAILED: {failures} requests failed (see {prefix}_failures.csv)")
        return 1
    print("No request failed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
