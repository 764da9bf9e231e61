#!/usr/bin/env python3
"""Prints a `trainlint validate` JSON report as one line per fact, for
FileCheck: the run, each process, each finding, each signal, each warning,
the wait for evaluation and the loss.

    report.py REPORT.json
"""
import json
import os
import sys


def where(path, line):
    return f"{os.path.basename(path)}:{line}"


def main():
    with open(sys.argv[1]) as f:
        report = json.load(f)
    run, summary = report["run"], report["summary"]
    exit_ = report["program"]["exit"]
    status = exit_["status"]
    if status == "exited":
        status += f":{exit_['code']}"
    elif status == "signaled":
        status += f":{exit_['signal_name']}"
    print(f"run end={run['end']} exit={status} gpu={str(run['gpu']).lower()} "
          f"steps={summary['steps_measured']} backward={summary['backward_passes']} "
          f"optimizer={summary['optimizer_steps']}")
    split = sum(summary[k] for k in ("compute_share", "sync_share", "host_gap_share"))
    print(f"split {'whole' if abs(split - 1) < 1e-6 else 'none' if split == 0 else split:}")
    processes = run["processes"]
    print(f"processes {len(processes)}")
    for p in sorted(processes, key=lambda p: not p["primary"]):
        print(f"process primary={str(p['primary']).lower()} "
              f"forked_child={str(p['forked_child']).lower()} "
              f"steps={p['steps_measured']} end={p['end']}")
    for f in report["findings"]:
        line = (f"finding {f['check']} {where(f['file'], f['line'])} {f['status']}"
                f" match={f['match']} needs_gpu={str(f['needs_gpu']).lower()}")
        if "per_step" in f:
            line += (f" count={f['per_step']['count']:.2f}"
                     f" bytes={f['per_step']['bytes']:.0f}"
                     f" outside={f['outside_steps']['count']}")
        if "per_batch" in f:
            line += (f" batches={f['per_batch']['batches']}"
                     f" per_batch={f['per_batch']['count']:.1f}")
        if "lines" in f:
            line += f" lines={f['lines']['from']}-{f['lines']['to']}"
        print(line)
    for s in report["signals"]:
        chain = " <- ".join(where(c["file"], c["line"]) for c in s["call_chain"])
        if not chain:
            chain = where(s["file"], s["line"]) if s["line"] else s["function"]
        print(f"signal {s['kind']} {chain}"
              f" count={s['per_step']['count']:.2f}"
              f" bytes={s['per_step']['bytes']:.0f}")
    for w in report["warnings"]:
        print(f"warning {w}")
    evaluation = run.get("evaluation")
    if evaluation:
        print(f"evaluation waited={str(evaluation['waited']).lower()}"
              f" batches={evaluation['batches']} phases={evaluation['phases']}"
              f" stopped_by={evaluation.get('stopped_by', '')}")
    loss = report["loss"]
    values = [p["value"] for p in loss["points"]]
    print(f"loss points={len(values)} diverged={str(loss['diverged']).lower()}"
          + (f" first={values[0]} last={values[-1]}" if values else ""))


if __name__ == "__main__":
    main()
