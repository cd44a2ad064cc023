"""Benchmark the intake commands on a synthetic national mapping (see benchmarks/README.md).

    python benchmarks/bench_intake.py [--repeat 5] [--arrangements 5000] [--no-postgres]

For the .xlsx and the .csv variant of the same mapping it measures, in fresh subprocesses:
(a) a bare read of the file with the spreadsheet library alone, (b) ``samarbeid check``,
(c) ``samarbeid import`` into a fresh database (SQLite and PostgreSQL) and (d) a re-import of the
same file into the populated database (a no-op). Wall time (median, min, max), CPU time and peak RSS
per process (GNU ``/usr/bin/time``). Writes benchmarks/results/intake.md (and .json) and
prints the table.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
POSTGRES_SH = REPO / "scripts" / "postgres.sh"
MAPPING = "Bench"
GOAL_IMPORT_S = 10.0
GOAL_CHECK_RATIO = 3.0

BARE_XLSX = """
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True)
n = 0
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        n += 1
book.close()
print(n)
"""
BARE_CSV = """
import csv, sys
n = 0
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    for row in csv.reader(handle):
        n += 1
print(n)
"""
BARE_CODE = {"xlsx": BARE_XLSX, "csv": BARE_CSV}
BARE_NAMES = {"xlsx": "bare read (openpyxl read-only)", "csv": "bare read (stdlib csv)"}


@dataclass
class Sample:
    wall: float
    rss_kb: int
    cpu: float = 0.0  # user + system seconds of the process


@dataclass
class Step:
    fmt: str
    name: str
    samples: list[Sample] = field(default_factory=list)

    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.walls())

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def row(self) -> list[str]:
        walls, rss = self.walls(), [s.rss_kb / 1024 for s in self.samples]
        return [
            self.fmt,
            self.name,
            f"{self.median:.2f}",
            f"{min(walls):.2f}",
            f"{max(walls):.2f}",
            f"{self.cpu_median:.2f}",
            f"{statistics.median(rss):.0f}",
            f"{max(rss):.0f}",
        ]


class BenchError(RuntimeError):
    pass


GNU_TIME = Path("/usr/bin/time")


def run(
    cmd: list[str],
    env: dict[str, str] | None = None,
    log: Path | None = None,
    expect: str | None = None,
) -> Sample:
    """Run ``cmd`` in a fresh process: wall time, CPU time and peak RSS.

    Peak RSS and CPU come from GNU time (``/usr/bin/time -f "%e %U %S %M"``) wrapped around
    the command: its rusage is that of the command alone. (``os.wait4`` on a child of this
    process is not used when GNU time exists: Linux counts the RSS of the forking parent, up
    to the exec, in the child's ``ru_maxrss``, which inflates small commands.) Wall time is
    measured here with a monotonic clock.
    """
    stats = Path(tempfile.mkstemp(prefix="bench-time-")[1])
    wrapped = (
        [str(GNU_TIME), "-q", "-o", str(stats), "-f", "%e %U %S %M", *cmd]
        if GNU_TIME.exists()
        else cmd
    )
    out = log.open("w") if log else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        fields = stats.read_text().split("\n")[-2].split() if GNU_TIME.exists() else []
    finally:
        if log:
            out.close()
        stats.unlink(missing_ok=True)
    text = log.read_text(errors="replace") if log else ""
    if proc.returncode != 0 or (expect and expect not in text):
        raise BenchError(
            f"{' '.join(cmd)} exited {proc.returncode}"
            + (f" (expected «{expect}» in output)" if expect else "")
            + f"\n{text[-3000:]}"
        )
    if fields:
        return Sample(wall, int(fields[3]), float(fields[1]) + float(fields[2]))
    return Sample(wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)  # maxrss: KiB


def samarbeid_cmd() -> list[str]:
    script = Path(sys.executable).parent / "samarbeid"
    return [str(script)] if script.exists() else [sys.executable, "-m", "samarbeid"]


def base_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SAMARBEID_VAR_DIR", "DJANGO_SETTINGS_MODULE")
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# --- PostgreSQL -------------------------------------------------------------------------------


class Postgres:
    """An admin URL on a server and fresh databases on it.

    The server is ``--postgres-url``, or a throwaway cluster of our own (``--own-postgres``,
    same settings as scripts/postgres.sh), or else the project's scripts/postgres.sh cluster
    (started if it is not running, and then stopped again at the end).
    """

    def __init__(self, url: str | None, own_port: int | None) -> None:
        self.started_here = False
        self.own: Path | None = None
        self.origin = "given URL"
        if url is None and own_port:
            url, self.origin = (
                self._own_cluster(own_port),
                f"own throwaway cluster, port {own_port}",
            )
        elif url is None:
            url, self.origin = self._from_script(), "scripts/postgres.sh"
        self.url = url
        import psycopg

        self.psycopg = psycopg
        with psycopg.connect(self.url, autocommit=True) as conn:
            self.version = conn.execute("SHOW server_version").fetchone()[0]

    def _from_script(self) -> str:
        if not POSTGRES_SH.exists():
            raise BenchError(
                f"{POSTGRES_SH} not found; give --postgres-url, --own-postgres or --no-postgres"
            )
        status = subprocess.run(
            [str(POSTGRES_SH), "status"], capture_output=True, text=True, check=False
        )
        if status.returncode != 0:
            print("starting PostgreSQL with scripts/postgres.sh start …", file=sys.stderr)
            subprocess.run([str(POSTGRES_SH), "start"], check=True, timeout=600)
            self.started_here = True
        return subprocess.run(
            [str(POSTGRES_SH), "url"], capture_output=True, text=True, check=True
        ).stdout.strip()

    def _own_cluster(self, port: int) -> str:
        bins = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        )
        found = shutil.which("initdb")
        pgbin = bins[-1].parent if bins else Path(found).parent if found else None
        if pgbin is None:
            raise BenchError("no initdb found for --own-postgres")
        self.own = Path(tempfile.mkdtemp(prefix="samarbeid-bench-pg-"))
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            user = next(
                (
                    u
                    for u in ("samarbeid-pg", "postgres", "nobody")
                    if subprocess.run(["id", "-u", u], capture_output=True, check=False).returncode
                    == 0
                ),
                None,
            )
            if user is None:
                raise BenchError("running as root and no unprivileged user for PostgreSQL")
            shutil.chown(self.own, user)
            self.own.chmod(0o755)
            self.prefix = ["runuser", "-u", user, "--"]
        self.pgbin = pgbin
        data = self.own / "data"
        subprocess.run(
            [
                *self.prefix,
                str(pgbin / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--auth=trust",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            cwd="/",
        )
        options = (
            f"-p {port} -k {self.own} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal "
            "-c max_wal_senders=0 -c max_wal_size=1GB -c checkpoint_timeout=30min"
        )
        subprocess.run(
            [
                *self.prefix,
                str(pgbin / "pg_ctl"),
                "start",
                "-D",
                str(data),
                "-w",
                "-l",
                str(self.own / "postgres.log"),
                "-o",
                options,
            ],
            check=True,
            capture_output=True,
            cwd="/",
            timeout=120,
        )
        return f"postgres://postgres@127.0.0.1:{port}/postgres"

    def url_for(self, name: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + name

    def create(self, name: str) -> str:
        with self.psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop(self, name: str) -> None:
        try:
            with self.psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except self.psycopg.Error as error:
            print(f"warning: could not drop database {name}: {error}", file=sys.stderr)

    def close(self) -> None:
        if self.own is not None:
            subprocess.run(
                [
                    *self.prefix,
                    str(self.pgbin / "pg_ctl"),
                    "stop",
                    "-D",
                    str(self.own / "data"),
                    "-m",
                    "fast",
                    "-w",
                ],
                check=False,
                capture_output=True,
                cwd="/",
                timeout=120,
            )
            shutil.rmtree(self.own, ignore_errors=True)
        elif self.started_here:
            print("stopping the PostgreSQL server this benchmark started …", file=sys.stderr)
            result = subprocess.run([str(POSTGRES_SH), "stop"], check=False, timeout=300)
            if result.returncode:
                print("warning: scripts/postgres.sh stop failed; stop it by hand", file=sys.stderr)


# --- benchmark --------------------------------------------------------------------------------


def bench(args: argparse.Namespace) -> tuple[list[Step], dict[str, object]]:
    work = Path(args.workdir or tempfile.mkdtemp(prefix="samarbeid-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    env0 = base_env()
    sam = samarbeid_cmd()
    info: dict[str, object] = {"workdir": str(work)}

    files: dict[str, Path] = {}
    for fmt in args.formats:
        path = work / f"national.{fmt}"
        gen = run(
            [
                sys.executable,
                str(HERE / "make_national_mapping.py"),
                str(path),
                "--arrangements",
                str(args.arrangements),
                "--seed",
                str(args.seed),
            ],
            env0,
            logs / f"generate-{fmt}.log",
        )
        files[fmt] = path
        info[f"file_{fmt}"] = {"bytes": path.stat().st_size, "generate_s": round(gen.wall, 2)}
        info["dataset"] = (logs / f"generate-{fmt}.log").read_text().split("; ", 1)[-1].strip()

    pg = None
    if not args.no_postgres:
        pg = Postgres(args.postgres_url, args.own_postgres)
        info["postgres"] = f"{pg.version} ({pg.origin})"

    n = args.repeat
    backends = ["sqlite"] + (["postgresql"] if pg else [])
    # Repetitions are the outer loop (a round = every step once), so that load from other
    # processes on the machine spreads over all steps alike rather than hitting one of them.
    steps: dict[tuple[str, str], Step] = {}

    def record(fmt: str, name: str, sample: Sample) -> None:
        steps.setdefault((fmt, name), Step(fmt, name)).samples.append(sample)

    try:
        # Start-up baseline: check of a 1-arrangement file (Python, Django, gazetteer, scope).
        tiny = work / "tiny.csv"
        run(
            [
                sys.executable,
                str(HERE / "make_national_mapping.py"),
                str(tiny),
                "--arrangements",
                "1",
            ],
            env0,
            logs / "generate-tiny.log",
        )
        for i in range(n):
            print(f"round {i + 1}/{n}", file=sys.stderr)
            record(
                "csv",
                "check, 1-arrangement file (start-up baseline)",
                run(
                    [*sam, "check", str(tiny)],
                    env0,
                    logs / f"check-tiny-{i}.log",
                    expect=": 0 feil",
                ),
            )
            for fmt, path in files.items():
                record(
                    fmt,
                    BARE_NAMES[fmt],
                    run(
                        [sys.executable, "-c", BARE_CODE[fmt], str(path)],
                        env0,
                        logs / f"bare-{fmt}-{i}.log",
                    ),
                )
                record(
                    fmt,
                    "samarbeid check",
                    run(
                        [*sam, "check", str(path)],
                        env0,
                        logs / f"check-{fmt}-{i}.log",
                        expect=": 0 feil",
                    ),
                )
                for backend in backends:
                    first, again = import_twice(args, pg, backend, fmt, path, i, work, logs)
                    record(fmt, f"import, fresh DB ({backend})", first)
                    record(fmt, f"re-import, same file ({backend}, no-op)", again)
    finally:
        if pg is not None:
            pg.close()
    if not args.workdir and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        info["workdir"] = "(removed)"

    def position(step: Step) -> int:
        return -1 if step.name.startswith("check, 1-") else args.formats.index(step.fmt)

    return sorted(steps.values(), key=position), info  # stable: steps keep their order


def import_twice(
    args: argparse.Namespace,
    pg: Postgres | None,
    backend: str,
    fmt: str,
    path: Path,
    i: int,
    work: Path,
    logs: Path,
) -> tuple[Sample, Sample]:
    """Import into a fresh, migrated database (migrate not timed), then re-import."""
    sam = samarbeid_cmd()
    env = base_env()
    dbname = f"samarbeid_bench_{os.getpid()}_{fmt}_{i}"
    var = work / f"var-{fmt}-{i}"
    if backend == "sqlite":
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir()  # `samarbeid migrate` does not create it
        env["SAMARBEID_VAR_DIR"] = str(var)
    else:
        assert pg is not None
        env["DATABASE_URL"] = pg.create(dbname)
    cmd = [*sam, "import", str(path), "--mapping", MAPPING, "--stille"]
    try:
        run([*sam, "migrate"], env, logs / f"migrate-{backend}-{fmt}-{i}.log")
        first = run(
            cmd,
            env,
            logs / f"import-{backend}-{fmt}-{i}.log",
            expect=f": {args.arrangements} nye, 0 endrede",
        )
        again = run(
            cmd, env, logs / f"reimport-{backend}-{fmt}-{i}.log", expect=": 0 nye, 0 endrede"
        )
    finally:
        if backend == "sqlite":
            shutil.rmtree(var, ignore_errors=True)
        elif pg is not None:
            pg.drop(dbname)
    return first, again


# --- report -----------------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem = f"{kb / 1048576:.1f} GiB"
    versions = {}
    for module in ("django", "openpyxl", "psycopg"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = "-"
    digest = hashlib.sha256()
    for path in sorted((REPO / "src").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "source (sha256 of src/**/*.py, to tell runs apart)": digest.hexdigest()[:12],
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "load average (1, 5, 15 min) at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


def report(
    steps: list[Step], info: dict[str, object], machine: dict[str, str], args: argparse.Namespace
) -> str:
    lines = [
        "# Intake benchmark",
        "",
        f"Generated by `python benchmarks/bench_intake.py` (repeat N={args.repeat}, "
        f"{args.arrangements} arrangements, seed {args.seed}).",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in machine.items()]
    if "postgres" in info:
        lines.append(f"- PostgreSQL server: {info['postgres']}")
    lines += ["", "## Data", "", f"- {info.get('dataset', '')}"]
    for fmt in args.formats:
        meta = info.get(f"file_{fmt}")
        if isinstance(meta, dict):
            lines.append(
                f"- {fmt}: {meta['bytes'] / 1e6:.2f} MB (generated in {meta['generate_s']} s)"
            )
    lines += [
        "",
        "## Results",
        "",
        "Wall time of one fresh process (includes Python/Django start-up); CPU = user + "
        "system time of that process (PostgreSQL server time not included). "
        "Peak RSS = maximum resident set size of that process (GNU time `%M`).",
        "",
        "| format | step | wall median s | wall min s | wall max s | CPU median s | "
        "peak RSS MiB (median) | peak RSS MiB (max) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += ["| " + " | ".join(s.row()) + " |" for s in steps]
    lines += [
        "",
        "## Goals",
        "",
        "| format | measure | value | goal | met |",
        "|---|---|---:|---:|:-:|",
    ]
    by = {(s.fmt, s.name): s for s in steps}
    for fmt in args.formats:
        bare = next(s for s in steps if s.fmt == fmt and s.name.startswith("bare read"))
        check = by[(fmt, "samarbeid check")]
        ratio = check.median / bare.median
        lines.append(
            f"| {fmt} | check / bare read (wall, median) | {ratio:.2f}x | "
            f"≤ {GOAL_CHECK_RATIO:g}x | {'yes' if ratio <= GOAL_CHECK_RATIO else 'NO'} |"
        )
        base = next((s for s in steps if s.name.startswith("check, 1-")), None)
        if base is not None:
            extra = (check.median - base.median) / bare.median
            lines.append(
                f"| {fmt} | (check − start-up baseline) / bare read (wall, median; "
                f"for information) | {extra:.2f}x | | |"
            )
        cpu_ratio = check.cpu_median / bare.cpu_median
        lines.append(
            f"| {fmt} | check / bare read (CPU, median) | {cpu_ratio:.2f}x | "
            f"≤ {GOAL_CHECK_RATIO:g}x | "
            f"{'yes' if cpu_ratio <= GOAL_CHECK_RATIO else 'NO'} |"
        )
        for s in steps:
            if s.fmt == fmt and s.name.startswith("import"):
                worst = max(s.walls())
                lines.append(
                    f"| {fmt} | {s.name}, median (max) | {s.median:.2f} s "
                    f"({worst:.2f} s) | < {GOAL_IMPORT_S:g} s | "
                    f"{'yes' if s.median < GOAL_IMPORT_S else 'NO'} |"
                )
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per step (default 5)")
    parser.add_argument("--arrangements", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", nargs="+", choices=["xlsx", "csv"], default=["xlsx", "csv"])
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--postgres-url",
        default=None,
        help="admin URL of a server where the user may CREATE DATABASE "
        "(default: scripts/postgres.sh, started if needed)",
    )
    parser.add_argument(
        "--own-postgres",
        type=int,
        metavar="PORT",
        default=None,
        help="run a throwaway cluster of our own on this port (e.g. 55499) "
        "instead of the shared scripts/postgres.sh one",
    )
    parser.add_argument("--workdir", default=None, help="keep generated files and logs here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workdir")
    parser.add_argument("--out", type=Path, default=RESULTS / "intake.md")
    args = parser.parse_args(argv)

    machine = machine_info()
    started = time.perf_counter()
    try:
        steps, info = bench(args)
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    info["total_s"] = round(time.perf_counter() - started, 1)
    text = report(steps, info, machine, args) + f"\nTotal benchmark time: {info['total_s']} s.\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    raw = {
        "machine": machine,
        "info": info,
        "repeat": args.repeat,
        "steps": [
            {
                "format": s.fmt,
                "step": s.name,
                "wall_s": [round(x.wall, 3) for x in s.samples],
                "cpu_s": [round(x.cpu, 3) for x in s.samples],
                "rss_kib": [x.rss_kb for x in s.samples],
            }
            for s in steps
        ],
    }
    args.out.with_suffix(".json").write_text(
        json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
