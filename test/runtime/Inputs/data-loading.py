#!/usr/bin/env python3
"""Prints the data-loading facts of a `trainlint validate` JSON report, one
line each, for FileCheck: the run's share against the 5% that confirms a
data-loading finding, each data-loading finding, and where the training code
asked for its batches.

    data-loading.py REPORT.json
"""
import json
import os
import sys

THRESHOLD = 0.05


def main():
    with open(sys.argv[1]) as f:
        report = json.load(f)
    summary = report["summary"]
    share = summary["data_loading_share"]
    samples = summary["samples"]
    steps = report["steps"]
    per_step = sum(s["data_loading_ns"] for s in steps) / max(1, len(steps))
    print(f"data-loading {'over' if share > THRESHOLD else 'under'}-threshold"
          f" sampled={'yes' if samples['measured'] > 0 else 'no'}"
          f" period_ns={samples['period_ns']}"
          f" steps-agree={'yes' if abs(per_step - summary['data_loading_ns']) < 1 else 'no'}")
    for f in report["findings"]:
        if f["signal"] != "data-loading":
            continue
        line = f"finding {f['check']} {os.path.basename(f['file'])}:{f['line']} {f['status']}"
        if "per_step" in f:
            over = f["per_step"]["share"] > THRESHOLD
            line += f" share={'over' if over else 'under'}-threshold"
        print(line)
    for s in report["signals"]:
        if s["kind"] == "data-loading":
            print(f"signal data-loading {os.path.basename(s['file'])}:{s['line']}")


if __name__ == "__main__":
    main()
