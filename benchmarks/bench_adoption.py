"""Benchmark the adoption register (issue #13): 357 municipalities × 300 solutions × 8 status
changes each (about 860 000 status rows) in PostgreSQL.

    python benchmarks/bench_adoption.py [--own-postgres PORT] [--solutions 300] [--changes 8]

A fresh database (as ``bench_portfolio.py``: the ``scripts/postgres.sh`` server, ``--own-postgres
PORT`` for a private throwaway cluster, or ``--postgres-url``) is migrated and filled (seeded,
``bulk_create``), then measured in this process, each on another date:

- the national counts as of a date for all solutions (``progress.adoption_table``, without and
  with the names of the municipalities behind each count);
- the per-county table for all solutions;
- a solution's page ``/utbredelse/losninger/<id>/`` through Django's test client, uncached.

Median, p95 and peak memory (``tracemalloc``, one extra run) per measure; the process's peak
RSS. Writes benchmarks/results/adoption.md (and .json) and prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_intake import Postgres, machine_info  # noqa: E402
from bench_portfolio import configure_django, percentile  # noqa: E402

RESULTS = HERE / "results"
STATUSES = ("ikke_startet", "tilgjengeliggjort", "i_bruk", "stoppet")
GOALS_S = {"national": 0.5, "national_names": None, "county": 0.5, "page": 0.15}
LABELS = {
    "national": "National counts, all solutions, as of a date (numbers only)",
    "national_names": "National counts with the municipalities behind each count (for information)",
    "county": "Per-county table, all solutions, as of a date",
    "page": "A solution's page `/utbredelse/losninger/<id>/`, uncached",
}


def generate(solutions: int, changes: int, seed: int) -> dict[str, int]:
    """The national portfolio 2023 with ``solutions`` ranked items, and ``changes`` status
    records per solution and municipality (the 357 of 2024), dated inside each one's lifetime."""
    from samarbeid.adoption import progress
    from samarbeid.adoption.models import (
        AdoptionRecord,
        Area,
        Item,
        ReportedCount,
        Solution,
        SolutionPortfolio,
    )
    from samarbeid.reference.gazetteer import load_gazetteer
    from samarbeid.registry.models import Municipality

    rng = random.Random(seed)
    portfolio = SolutionPortfolio.objects.create(
        year=2023, level="nasjonal", title="Syntetisk portefølje", source="bench"
    )
    area = Area.objects.create(portfolio=portfolio, name="Område", source="bench")
    made = Solution.objects.bulk_create(
        [Solution(name=f"Løsning {n:03d}", source="bench") for n in range(1, solutions + 1)]
    )
    Item.objects.bulk_create(
        [
            Item(
                portfolio=portfolio,
                reference=str(n),
                rank=n,
                kind="innforing",
                title=s.name,
                area=area,
                solution=s,
                ambition=356,
                detail_section=f"2.{n}",
                position=n,
                source="bench",
            )
            for n, s in enumerate(made, 1)
        ]
    )
    ReportedCount.objects.bulk_create(
        [
            ReportedCount(
                solution=s,
                count=rng.randint(0, 356),
                level="i_bruk",
                as_of=dt.date(2023, 4, 30),
                reported_by="KS",
                source="bench",
            )
            for s in made
        ]
    )
    day = dt.date(2024, 6, 1)
    ids = dict(Municipality.objects.values_list("key", "id"))
    gaz = load_gazetteer()
    living = sorted(progress.places_at(day))
    start_of = {
        key: max(p.valid_from or dt.date(2016, 1, 1) for p in gaz.entity_periods(key)[:1])
        for key in living
    }
    rows = []
    total = 0
    last = dt.date(2026, 6, 1)
    for solution in made:
        for key in living:
            start = max(start_of[key], dt.date(2016, 1, 1))
            span = (last - start).days
            offsets = sorted(rng.sample(range(span), changes))
            status = "ikke_startet"
            for offset in offsets:
                rows.append(
                    AdoptionRecord(
                        solution=solution,
                        municipality_id=ids[key],
                        status=status,
                        date=start + dt.timedelta(days=offset),
                        source="bench",
                        reported_by_name="bench",
                    )
                )
                status = rng.choice(STATUSES)
        if len(rows) >= 50_000:
            AdoptionRecord.objects.bulk_create(rows, batch_size=10_000)
            total += len(rows)
            rows = []
            print(f"  {total:,} status rows".replace(",", " "), file=sys.stderr)
    AdoptionRecord.objects.bulk_create(rows, batch_size=10_000)
    total += len(rows)
    return {"solutions": len(made), "municipalities": len(living), "status rows": total}


def measure(func: Callable[[], object], runs: int) -> tuple[list[float], float]:
    """Wall times (s) of ``runs`` calls, then one more under tracemalloc for the peak (MiB)."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return times, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=int, default=300)
    parser.add_argument("--changes", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres-url", default=None)
    parser.add_argument("--own-postgres", type=int, metavar="PORT", default=None)
    parser.add_argument("--no-page", action="store_true", help="skip the solution page")
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the database (and an own cluster) running"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "adoption.md")
    args = parser.parse_args(argv)

    machine = machine_info()
    pg = Postgres(args.postgres_url, args.own_postgres)
    dbname = f"samarbeid_adoption_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="samarbeid-bench-adoption-"))
    url = pg.create(dbname)
    try:
        configure_django(url, work / "var")
        from django.db import connection
        from django.test import Client

        from samarbeid.adoption import progress
        from samarbeid.adoption.models import Solution
        from samarbeid.registry.bootstrap import ensure_database

        ensure_database(verbose=False)
        print("generating …", file=sys.stderr)
        start = time.perf_counter()
        counts = generate(args.solutions, args.changes, args.seed)
        generate_s = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        rng = random.Random(args.seed)
        days = iter(
            [dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3800)) for _ in range(100)]
        )
        solutions = list(Solution.objects.values_list("pk", flat=True))
        client = Client()
        progress.places_at(dt.date(2024, 6, 1))  # the gazetteer, loaded once per process

        def page() -> None:
            day = next(days)
            response = client.get(
                f"/utbredelse/losninger/{rng.choice(solutions)}/?dato={day.isoformat()}"
            )
            if response.status_code != 200:
                raise SystemExit(f"the solution page answered {response.status_code}")

        cases = {
            "national": lambda: progress.adoption_table(next(days), names=False),
            "national_names": lambda: progress.adoption_table(next(days), names=True),
            "county": lambda: progress.adoption_table(next(days), per="fylke", names=False),
            "page": page,
        }
        if args.no_page:
            del cases["page"]
        else:
            page()  # warm-up: imports, templates
        results = {}
        for name, func in cases.items():
            print(f"measuring {name} …", file=sys.stderr)
            times, peak = measure(func, args.runs)
            results[name] = {
                "median_s": statistics.median(times),
                "p95_s": percentile(times, 95),
                "max_s": max(times),
                "peak_mib": peak,
                "goal_s": GOALS_S[name],
            }
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep_db:
            print(f"kept: {url}", file=sys.stderr)
        else:
            pg.drop(dbname)
            pg.close()
    write(args, machine, counts, generate_s, size, results, rss)
    return 0


def write(args, machine, counts, generate_s, size, results, rss) -> None:
    lines = [
        "# Adoption register benchmark",
        "",
        f"Generated by `python benchmarks/bench_adoption.py` ({args.solutions} solutions, "
        f"{args.changes} status changes per solution and municipality, seed {args.seed}, "
        f"{args.runs} runs per measure, each on another date).",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in machine.items()],
        "",
        "## Data",
        "",
        *[f"- {k}: {v:,}".replace(",", " ") for k, v in counts.items()],
        f"- generated in {generate_s:.1f} s (not a goal); database {size / 2**20:.0f} MiB",
        "",
        "## Results",
        "",
        "| measure | median | p95 | max | peak memory (tracemalloc) | goal | met |",
        "|---|---:|---:|---:|---:|---:|:-:|",
    ]
    for name, r in results.items():
        goal = r["goal_s"]
        met = "" if goal is None else ("yes" if r["median_s"] < goal else "NO")
        lines.append(
            f"| {LABELS[name]} | {r['median_s'] * 1000:.0f} ms | {r['p95_s'] * 1000:.0f} ms | "
            f"{r['max_s'] * 1000:.0f} ms | {r['peak_mib']:.1f} MiB | "
            f"{'' if goal is None else f'< {goal * 1000:.0f} ms'} | {met} |"
        )
    lines += ["", f"Peak RSS of the process: {rss:.0f} MiB.", ""]
    text = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps(
            {"counts": counts, "results": results, "peak_rss_mib": rss, "machine": machine},
            indent=2,
        ),
        encoding="utf-8",
    )
    print(text)


if __name__ == "__main__":
    raise SystemExit(main())
