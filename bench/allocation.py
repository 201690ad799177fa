"""Allocation benchmark (`make bench`): the whole `sra allocate` process against the bare
OR-Tools min-cost flow on the same arcs, peak memory, and the greedy waitlist against the
optimum, on seeded synthetic instances (tests/matching/instances.py, about 4 % of pairs
eligible). Results: bench/results/allocation.json. Ratios are only compared within one run.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ortools import __version__ as ortools_version  # noqa: E402

from matching import flows  # noqa: E402
from matching.eligibility import eligible_pairs  # noqa: E402
from matching.instance import build_instance  # noqa: E402
from matching.problem import decode_problem  # noqa: E402
from matching.solver import score_costs  # noqa: E402
from matching.waitlist import waitlist  # noqa: E402
from tests.matching.instances import generate  # noqa: E402

SRA = Path(sys.executable).with_name("sra")
REPEATS = 3  # each uncapped timing is the median of this many runs, to damp a busy machine
RESULTS = ROOT / "bench" / "results" / "allocation.json"
CASES: list[dict[str, Any]] = [
    {"name": "1000x200", "households": 1_000, "units": 200},
    {"name": "5000x1000", "households": 5_000, "units": 1_000},
    {"name": "20000x4000 (scarce units)", "households": 20_000, "units": 4_000},
    {"name": "5000x5000 (as many units as households)", "households": 5_000, "units": 5_000},
    {"name": "5000x1000 capped, max_housed", "households": 5_000, "units": 1_000, "cap": 1},
]


# Linux carries a process's peak memory across fork and exec, so a child of this (large)
# process would report this process's peak as its own. A small Python process starts
# `sra allocate` instead, times it and reports its peak: that child starts clean.
LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
print(json.dumps([seconds, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)]))
"""


def run_allocate(instance: Path, out: Path) -> tuple[float, int, int]:
    """Wall seconds, peak resident memory (bytes) and exit status of one `sra allocate`."""
    command = [str(SRA), "allocate", str(instance), "--out", str(out)]
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command], capture_output=True, check=True
    )
    seconds, peak, status = json.loads(launched.stdout)
    return float(seconds), int(peak), int(status)


def bare_flow_seconds(document: bytes) -> tuple[float, int]:
    """The min-cost flow alone (arcs added and solved) on the instance's eligible arcs."""
    problem = decode_problem(document)
    inst = build_instance(problem)
    pairs = eligible_pairs(inst)
    costs = score_costs(pairs.score)
    started = time.perf_counter()
    flows.assign_most(inst.n_households, inst.n_units, pairs.household, pairs.unit, costs)
    return time.perf_counter() - started, len(pairs)


def measure(case: dict[str, Any], folder: Path) -> dict[str, Any]:
    data = generate(case["households"], case["units"], seed=2026, cap=case.get("cap"))
    document = json.dumps(data).encode()
    instance, out = folder / "instance.json", folder / "result.json"
    instance.write_bytes(document)
    capped = case.get("cap") is not None
    runs = [run_allocate(instance, out) for _ in range(1 if capped else REPEATS)]
    for _, _, status in runs:
        if status != 0:
            raise SystemExit(f"sra allocate exited {status} on {case['name']}")
    seconds = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    result = json.loads(out.read_bytes())
    row: dict[str, Any] = {
        "case": case["name"],
        "households": case["households"],
        "units": case["units"],
        "cap": case.get("cap"),
        "eligible_pairs": result["stats"]["eligible_pairs"],
        "status": result["status"],
        "housed": result["housed"],
        "total_score": result["total_score"],
        "runs": len(runs),
        "allocate_seconds": round(seconds, 3),
        "allocate_peak_memory_mb": round(peak / 2**20, 1),
    }
    if not capped:
        bare_runs = [bare_flow_seconds(document) for _ in range(REPEATS)]
        bare, arcs = statistics.median(r[0] for r in bare_runs), bare_runs[0][1]
        row |= {
            "bare_min_cost_flow_seconds": round(bare, 3),
            "ratio_allocate_to_bare_flow": round(seconds / bare, 2) if bare else None,
        }
        assert arcs == row["eligible_pairs"]
    greedy = waitlist(decode_problem(document))
    row |= {
        "waitlist_housed": greedy.housed,
        "waitlist_total_score": greedy.total_score,
        "waitlist_score_share": round(greedy.total_score / result["total_score"], 4)
        if result["total_score"]
        else None,
    }
    return row


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="sra-bench-") as tmp:
        for number, case in enumerate(CASES, start=1):
            print(f"[{number}/{len(CASES)}] {case['name']} ...", flush=True)
            row = measure(case, Path(tmp))
            rows.append(row)
            print(f"    {json.dumps(row)}", flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "ortools": ortools_version,
            "platform": platform.platform(),
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": rows,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
