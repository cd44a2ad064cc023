"""Benchmark cost sharing (issue #14): 357 members × 20 models × 10 projected years.

    python benchmarks/bench_finance.py [--models 20] [--years 10] [--runs 7] [--profile]

Synthetic and seeded: the members are all 357 municipalities of 1 January 2024 with the shipped
population (SSB per 31.12.2023; the year before and the years ahead from the shipped figures,
then grown 0.5 % a year), an ownership share each and usage figures per year. The models mix
every kind of part (fixed amount, price per inhabitant, shares of a budget split equally, by
population, by usage and by ownership), with caps and floors that bind (the exact solve of the
split over the cap's breakpoints), exemptions and indexation. Measured in this process, no
database:

- the whole comparison: ``samarbeid.finance.compare.compare`` of all models in 2024 with last
  year (payments, cells, change from the baseline and from 2023, fairness);
- the projection: ``compare.project`` of every model over the years ahead;
- both together (the goal: under 1 s);
- the files of the comparison through ``samarbeid.finance.outputs.render``: the PDF and the
  workbook of the comparison, and the workbook with the projection.

Median, p95 and peak memory (``tracemalloc``, one extra run) per measure. ``--profile`` prints
where the time of the comparison and projection goes (cProfile). Writes
benchmarks/results/finance.md (and .json) and prints the table.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_intake import machine_info  # noqa: E402
from bench_portfolio import percentile  # noqa: E402

RESULTS = HERE / "results"
#: What the profile (``--profile``) shows, written under the results.
NOTES = """\
## Where the time goes

- Comparison and projection: 240 runs of `compute` (20 models × (2024, 2023 and 10 years
  ahead)), about 3.5 ms each for 357 members. Roughly a third is the exact split of a budget
  under a cap or floor (`_solve`: the breakpoints sorted, then the total — 357 clamped sums at
  50 significant digits — at each step of the bisection, and the largest-remainder rounding), a
  third building the rows with their arithmetic (`Line`, frozen dataclasses) and a sixth the
  `Payment` objects; the keys, fairness and cells are small.
- Without pausing CPython's cycle collector while the payments are built
  (`compare._no_cycle_collection`), its full collections walked the growing results again and
  again: a third more time (about 1.45 s in all). Looking a member's payment up by number
  instead of searching the list (`compare`), and the exemptions in a dict, took away another
  0.1 s. The results are the same to the last digit.
- The PDF: WeasyPrint spends about 1 ms per table cell; the comparison of 20 models has about
  33 000 cells on its 94 pages (payment, cost per inhabitant, change from the baseline and from
  last year per member and model). The workbook with the projection: building the data
  (`document.calculation_data`) and writing about 150 000 cells.
"""
YEAR = 2024
GROWTH = Decimal("0.5")
GOALS_S = {"compare_project": 1.0}
LABELS = {
    "compare": "Comparison of all models in 2024 with last year (`compare.compare`)",
    "project": "Projection of every model over the years ahead (`compare.project`)",
    "compare_project": "Comparison and projection together",
    "pdf": "PDF of the comparison (`outputs.render(…, 'pdf')`, one year)",
    "xlsx": "Workbook of the comparison (`outputs.render(…, 'xlsx')`, one year)",
    "xlsx_projection": "Workbook of the comparison with the projection",
}


def members_by_year(years: range) -> dict[int, list]:
    """All municipalities of 1 January 2024 for each year in ``years`` and the year before, with
    that year's population (the entity's figure, whatever its number then; beyond the shipped
    years the last one grown by :data:`GROWTH` a year) and an ownership share."""
    from samarbeid.finance.compare import extend_population
    from samarbeid.finance.compute import Member
    from samarbeid.reference.gazetteer import load_gazetteer

    g = load_gazetteer()
    periods = g.valid_at(dt.date(YEAR, 1, 1))
    last = g.population_years()[-1]
    wanted = range(years.start - 1, years.stop)
    shares = {p.number: Decimal(g.population(p.number, YEAR) or 1).sqrt() for p in periods}
    total = sum(shares.values())
    out: dict[int, list] = {y: [] for y in wanted}
    for p in periods:
        known = {y: g.population_of(p, y) for y in range(2020, last + 1)}
        known = {y: v for y, v in known.items() if v is not None}
        grown = extend_population(known, range(YEAR, wanted.stop), GROWTH)
        share = (shares[p.number] * 100 / total).quantize(Decimal("0.0001"))
        for y in wanted:
            population = known.get(y, grown.get(y, known.get(YEAR)))
            out[y].append(Member(p.number, p.name, population, share))
    return out


def specs(count: int, numbers: list[str], years: range, seed: int) -> list[dict]:
    """``count`` models as data (the spec a user writes), each kind in turn."""
    rng = random.Random(seed)
    usage = {
        str(y): {n: rng.randint(10, 5000) for n in numbers}
        for y in range(years.start - 1, years.stop)
    }
    index = {"deflator": {"2025": "4,1", "2026": "3,2"}, "standard": "3", "belop": True,
             "tak": False, "gulv": False}  # fmt: skip
    out = []
    for i in range(count):
        kind = i % 5
        name = f"Modell {i + 1:02d}"
        exempt = [{"kommunenummer": "0301", "egenbidrag": "Vertskommune", "verdi": 2_000_000}]
        if kind == 0:
            spec = {"deler": [{"type": "fast", "belop": rng.choice([50_000, 100_000, 150_000])},
                              {"type": "per_innbygger", "belop": rng.choice([10, 15, 20, 25])}],
                    "tak": rng.choice([400_000, 500_000, 750_000])}  # fmt: skip
        elif kind == 1:
            spec = {"budsjett": rng.randint(80, 200) * 1_000_000,
                    "deler": [{"type": "andel", "andel": 100, "fordeling": "innbyggere"}]}  # fmt: skip
        elif kind == 2:
            spec = {"budsjett": rng.randint(80, 200) * 1_000_000,
                    "deler": [{"type": "andel", "andel": 30, "fordeling": "likt"},
                              {"type": "andel", "andel": 70, "fordeling": "innbyggere"}],
                    "gulv": 100_000, "tak": rng.choice([3_000_000, 5_000_000])}  # fmt: skip
        elif kind == 3:
            spec = {"budsjett": rng.randint(150, 300) * 1_000_000,
                    "deler": [{"type": "fast", "belop": 50_000},
                              {"type": "andel", "andel": 50, "fordeling": "eierandel"},
                              {"type": "andel", "andel": 50, "fordeling": "bruk"}],
                    "tak": 4_000_000, "bruk": usage}  # fmt: skip
        else:
            spec = {"budsjett": rng.randint(150, 300) * 1_000_000,
                    "deler": [{"type": "per_innbygger", "belop": 12},
                              {"type": "andel", "andel": 100, "fordeling": "likt"}],
                    "gulv": 150_000, "tak": 6_000_000}  # fmt: skip
        spec.update(navn=name, prisaar=YEAR, fritak=exempt, indeksering=index)
        out.append(spec)
    return out


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF (``pdfinfo``; 0 when it is not installed)."""
    if shutil.which("pdfinfo") is None:
        return 0
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        done = subprocess.run(["pdfinfo", handle.name], capture_output=True, check=False)
    found = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    return int(found.group(1)) if found else 0


def measure(
    func: Callable[[], object], runs: int, memory: bool = True
) -> tuple[list[float], float | None]:
    """Wall times (s) of ``runs`` calls, then (``memory``) one more under tracemalloc for the
    peak (MiB)."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    if not memory:
        return times, None
    gc.collect()
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return times, peak


def configure_django(var_dir: Path) -> None:
    """Settings for rendering only: no database is touched."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(SAMARBEID_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="samarbeid.settings")
    import django

    django.setup()


def calculation(models, spec_list, by_year, comparison, projections):
    """A :class:`samarbeid.finance.services.Calculation` as ``services.calculate`` makes it, from
    the synthetic members (unsaved models: nothing is read from a database)."""
    from samarbeid.finance.members import Roster
    from samarbeid.finance.models import FeeModel
    from samarbeid.finance.services import Calculation
    from samarbeid.finance.spec import parse, to_data

    saved = tuple(
        FeeModel(slug=f"modell-{i + 1:02d}", name=s["navn"], spec=to_data(parse(s)), version=1,
                 assumed_members=[m.number for m in by_year[YEAR]], assumption="Syntetisk")
        for i, s in enumerate(spec_list)
    )  # fmt: skip
    years = sorted(y for y in by_year if y >= YEAR)
    rosters = {y: Roster(y, tuple(by_year[y]), True, "Syntetisk", y > 2026) for y in years}
    return Calculation(
        models=saved, year=YEAR, to_year=years[-1] if projections else None,
        roster=rosters[YEAR], comparison=comparison, last_year=True,
        projections=projections, rosters=rosters if projections else {YEAR: rosters[YEAR]},
        growth=GROWTH,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=20)
    parser.add_argument("--years", type=int, default=10, help="years ahead of 2024")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--file-runs", type=int, default=3, help="runs of the PDF and workbooks")
    parser.add_argument("--no-files", action="store_true", help="skip the PDF and the workbooks")
    parser.add_argument("--profile", action="store_true", help="cProfile compare + project")
    parser.add_argument("--out", type=Path, default=RESULTS / "finance.md")
    args = parser.parse_args(argv)

    machine = machine_info()
    configure_django(Path(tempfile.mkdtemp(prefix="samarbeid-bench-finance-")) / "var")
    from samarbeid.finance.compare import compare, project
    from samarbeid.finance.outputs import render
    from samarbeid.finance.spec import parse

    ahead = range(YEAR + 1, YEAR + 1 + args.years)
    start = time.perf_counter()
    by_year = members_by_year(range(YEAR, ahead.stop))
    numbers = [m.number for m in by_year[YEAR]]
    spec_list = specs(args.models, numbers, range(YEAR, ahead.stop), args.seed)
    models = [parse(s) for s in spec_list]
    prepare_s = time.perf_counter() - start
    this_year, last_year = by_year[YEAR], by_year[YEAR - 1]
    future = {y: by_year[y] for y in ahead}

    def comparison():
        return compare(models, this_year, YEAR, last_year)

    def projection():
        return tuple(project(m, future) for m in models)

    def both():
        return comparison(), projection()

    cases: dict[str, Callable[[], object]] = {
        "compare": comparison,
        "project": projection,
        "compare_project": both,
    }
    runs = {name: args.runs for name in cases}
    if not args.no_files:
        compared, projected = both()
        one_year = calculation(models, spec_list, by_year, compared, ())
        with_years = calculation(models, spec_list, by_year, compared, projected)
        cases.update(
            pdf=lambda: render(one_year, "pdf"),
            xlsx=lambda: render(one_year, "xlsx"),
            xlsx_projection=lambda: render(with_years, "xlsx"),
        )
        runs.update(pdf=args.file_runs, xlsx=args.file_runs, xlsx_projection=args.file_runs)
    results = {}
    sizes: dict[str, int] = {}
    counts: dict[str, int] = {}
    for name, func in cases.items():
        print(f"measuring {name} …", file=sys.stderr)
        value = func()  # warm-up (imports, templates, fonts)
        if name == "pdf":
            counts["pages of the PDF"] = pdf_pages(value[0])
        if isinstance(value, tuple) and value and isinstance(value[0], bytes):
            sizes[name] = len(value[0])
        # tracemalloc makes WeasyPrint many times slower: the PDF's memory is the process's RSS
        times, peak = measure(func, runs[name], memory=name != "pdf")
        results[name] = {
            "median_s": statistics.median(times),
            "p95_s": percentile(times, 95),
            "max_s": max(times),
            "peak_mib": peak,
            "runs": runs[name],
            "goal_s": GOALS_S.get(name),
        }
    profile = ""
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(both)
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(15)
        profile = buffer.getvalue()
        print(profile, file=sys.stderr)
    counts.update(
        {
            "members": len(this_year),
            "models": len(models),
            "years ahead": len(ahead),
            "payments computed (comparison + last year + projection)": len(this_year)
            * len(models)
            * (2 + len(ahead)),
        }
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    write(args, machine, counts, prepare_s, sizes, results, rss)
    return 0


def write(args, machine, counts, prepare_s, sizes, results, rss) -> None:
    lines = [
        "# Cost-sharing benchmark",
        "",
        f"Generated by `python benchmarks/bench_finance.py` ({args.models} models, "
        f"{args.years} years ahead, seed {args.seed}, {args.runs} runs per computation and "
        f"{args.file_runs} per file).",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in machine.items()],
        "",
        "## Data",
        "",
        *[f"- {k}: {v:,}".replace(",", " ") for k, v in counts.items()],
        f"- members and models prepared in {prepare_s:.1f} s (not a goal)",
        *[f"- {LABELS[k]}: {v / 1024:.0f} KiB" for k, v in sizes.items()],
        "",
        "## Results",
        "",
        "| measure | median | p95 | max | peak memory (tracemalloc) | goal | met |",
        "|---|---:|---:|---:|---:|---:|:-:|",
    ]
    for name, r in results.items():
        goal = r["goal_s"]
        met = "" if goal is None else ("yes" if r["median_s"] < goal else "NO")
        peak = "–" if r["peak_mib"] is None else f"{r['peak_mib']:.1f} MiB"
        lines.append(
            f"| {LABELS[name]} | {r['median_s'] * 1000:.0f} ms | {r['p95_s'] * 1000:.0f} ms | "
            f"{r['max_s'] * 1000:.0f} ms | {peak} | "
            f"{'' if goal is None else f'< {goal * 1000:.0f} ms'} | {met} |"
        )
    lines += ["", f"Peak RSS of the process: {rss:.0f} MiB.", "", NOTES]
    text = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps(
            {
                "counts": counts,
                "results": results,
                "sizes": sizes,
                "peak_rss_mib": rss,
                "machine": machine,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    print(text)


if __name__ == "__main__":
    raise SystemExit(main())
