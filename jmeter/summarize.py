"""Prints rps, p50/p95/p99 latency and error rate per label (and in total) from a JMeter CSV results file.

The first and last 2 seconds (ramp-up, ramp-down) are left out of the rates."""
import csv
import sys
from collections import defaultdict


def pct(sorted_values, p):
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def main(path, plan, rng):
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows.append((int(r["timeStamp"]), int(r["elapsed"]), r["label"], r["success"] == "true", r["responseCode"]))
    if not rows:
        sys.exit("no samples in " + path)
    start = min(t for t, *_ in rows) + 2000
    end = max(t + e for t, e, *_ in rows) - 2000
    window = [r for r in rows if start <= r[0] and r[0] + r[1] <= end] or rows
    seconds = max(1e-3, (end - start) / 1000) if window is not rows else 1
    by_label = defaultdict(list)
    for r in window:
        by_label[r[2]].append(r)
    by_label["TOTAL"] = window
    codes = defaultdict(int)
    for r in window:
        if not r[3]:
            codes[r[4]] += 1
    print(f"plan={plan} range={rng} samples={len(window)} window={seconds:.1f}s")
    print(f"{'endpoint':<24}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors %':>10}")
    for label in sorted(by_label, key=lambda l: (l == "TOTAL", l)):
        rs = by_label[label]
        lat = sorted(r[1] for r in rs)
        errors = sum(1 for r in rs if not r[3])
        print(f"{label:<24}{len(rs) / seconds:>9.0f}{pct(lat, 50):>9}{pct(lat, 95):>9}{pct(lat, 99):>9}"
              f"{100 * errors / len(rs):>10.3f}")
    if codes:
        print("failed responses by code: " + ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())))


if __name__ == "__main__":
    main(*sys.argv[1:4])
