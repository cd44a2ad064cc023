"""Benchmark all analyses (``catalogue.method_tables``) on the synthetic national mapping (from the
registry, as the report reads it) and on a synthetic Europe-scale mapping.

    python benchmarks/bench_analysis.py [--repeat 5]

Each measurement runs in a fresh subprocess; reports the median and range of the analysis time
alone (data already in memory) and the peak RSS of the process. Writes
benchmarks/results/analysis.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, {here!r})
kind = sys.argv[1]
if kind == "europe":
    from europe_mapping import make_europe
    data = make_europe()
else:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
    import django
    django.setup()
    from samarbeid.registry.models import Mapping
    from samarbeid.registry.snapshot import mapping_data
    start = time.perf_counter()
    data = mapping_data(Mapping.objects.get(name=sys.argv[2]))
    load = time.perf_counter() - start
from samarbeid.analysis.catalogue import method_tables
start = time.perf_counter()
tables = method_tables(data)
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "tables": len(tables),
                  "arrangements": int(data.counted().shape[0]),
                  "memberships": int(data.memberships.shape[0]),
                  "municipalities": int(data.municipalities.shape[0]),
                  "load_seconds": locals().get("load"),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_child(args: list[str], env: dict[str, str]) -> dict:
    code = CHILD.format(here=str(HERE))
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "SAMARBEID_VAR_DIR": work}
        env.pop("DATABASE_URL", None)
        national = Path(work) / "national.csv"
        subprocess.run(
            [sys.executable, str(HERE / "make_national_mapping.py"), str(national)],
            check=True,
            env=env,
            capture_output=True,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "samarbeid",
                "import",
                str(national),
                "--mapping",
                "Nasjonal",
                "--stille",
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        subprocess.run(
            [sys.executable, "-m", "samarbeid", "load-example"],
            check=True,
            env=env,
            capture_output=True,
        )
        for label, child in (
            ("Buskerud 2021", ["db", "Buskerud 2021"]),
            ("nasjonal syntetisk", ["db", "Nasjonal"]),
            ("Europa syntetisk", ["europe"]),
        ):
            results[label] = [run_child(child, env) for _ in range(args.repeat)]
            print(label, [round(r["seconds"], 2) for r in results[label]], flush=True)
    lines = [
        "# Analysis benchmark",
        "",
        f"`python benchmarks/bench_analysis.py --repeat {args.repeat}`, "
        f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average at end {os.getloadavg()[0]:.2f}.",
        "",
        "All analyses of the report (`catalogue.method_tables`, every table) on data already in "
        "memory; each run a fresh process. Peak RSS is the whole process (Python, pandas, data).",
        "",
        "| mapping | municipalities | arrangements | memberships | median s | min s | max s "
        "| read from registry s | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, runs in results.items():
        seconds = [r["seconds"] for r in runs]
        load = runs[0]["load_seconds"]
        lines.append(
            f"| {label} | {runs[0]['municipalities']} | {runs[0]['arrangements']} | "
            f"{runs[0]['memberships']} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
            f"{max(seconds):.2f} | {'' if load is None else f'{load:.2f}'} | "
            f"{max(r['peak_rss_mib'] for r in runs):.0f} |"
        )
    lines += ["", "Goals (issue #5): national < 0.5 s; Europe-scale < 10 s and < 2 GiB."]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "analysis.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
