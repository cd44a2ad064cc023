"""Benchmark the web application under load: ``samarbeid serve`` against Datasette (issue #6).

    python benchmarks/bench_web.py [--duration 20] [--connections 50] [--threads 8 4 16]

The synthetic national mapping (benchmarks/make_national_mapping.py) is imported into a private,
throwaway PostgreSQL cluster; ``samarbeid serve`` (waitress) serves it on loopback. The same data
goes into an SQLite file published by Datasette (``datasette serve -i``) on the same machine in the
same run. A load generator on 127.0.0.1 (``wrk``, else a small asyncio client) keeps N
connections busy (closed loop) against each endpoint and reports requests/s and the latency
percentiles; every endpoint is warmed up first. Writes benchmarks/results/web.md (and .json) and
prints the table. Every process it starts (PostgreSQL, the servers) is stopped at the end.

Datasette is optional: ``pip install datasette`` into the same venv (a benchmark tool, not a
project dependency); without it the Datasette rows are skipped. ``apt-get install wrk`` for wrk.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import platform
import resource
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_intake import (  # noqa: E402  (the private PostgreSQL cluster is shared code)
    BenchError,
    Postgres,
    base_env,
    machine_info,
    samarbeid_cmd,
)

REPO = HERE.parent
RESULTS = HERE / "results"
MAPPING = "Nasjonal"
GOAL_P95_MS = 150.0
DATASETTE_DB = "db"  # the file db.sqlite is the database «db» in Datasette's URLs
#: For information: the API root (three reversed URLs, no database query) through waitress,
#: Django and DRF: the ceiling for a page served from a cache.
CEILING = ("API root (no database work; for information)", "/api/")
#: Random requests over many distinct URLs (every municipality page, every list and API page, 50
#: municipality filters): what readers browsing the site look like, cache hits and misses mixed.
MIXED = "Mixed: random over {n} distinct URLs"
INSTALL_DATASETTE = f"{Path(sys.executable).parent / 'pip'} install datasette"

# wrk: counts non-2xx responses itself (wrk's own "status" error counts only >= 400) and prints
# the percentiles we need (--latency prints 50/75/90/99 only) as one JSON line.
WRK_LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_s":%.6f,"bytes":%d,"non2xx":%d,"connect":%d,' ..
    '"read":%d,"write":%d,"status":%d,"timeout":%d,"mean_ms":%.3f,"stdev_ms":%.3f,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p95_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, summary.bytes, bad, e.connect, e.read, e.write,
    e.status, e.timeout, latency.mean / 1e3, latency.stdev / 1e3,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""

# Run in a fresh Django process against the benchmark database: per endpoint, the queries of one
# request (CaptureQueriesContext) and a cProfile of N requests through the test client.
PROFILE_CODE = r"""
import cProfile, io, json, os, pstats, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

urls = json.loads(sys.argv[1])
n = int(sys.argv[2])
client = Client()
out = {}
GROUPS = {
    "SQL (cursor execute + fetch, incl. psycopg)": ("django/db/backends/utils.py", "_execute"),
    "Django template rendering": ("django/template/base.py", "render"),
    "DRF serializer .data": ("rest_framework/serializers.py", "data"),
    "DRF JSON rendering": ("rest_framework/renderers.py", "render"),
    "Paginator count": ("django/core/paginator.py", "count"),
    "DRF paginate_queryset": ("rest_framework/pagination.py", "paginate_queryset"),
    "model instance creation (from_db)": ("django/db/models/base.py", "from_db"),
    "SQL compilation (as_sql)": ("django/db/models/sql/compiler.py", "as_sql"),
    "URL reverse": ("django/urls/base.py", "reverse"),
}
for name, url in urls.items():
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = [{"sql": q["sql"][:300], "ms": float(q["time"]) * 1000} for q in ctx.captured_queries]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(n):
        client.get(url)
    profiler.disable()
    wall = (time.perf_counter() - start) / n
    stats = pstats.Stats(profiler)
    groups = {}
    for label, (path, func) in GROUPS.items():
        best = 0.0
        for (filename, _line, fname), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            if fname == func and filename.replace(os.sep, "/").endswith(path):
                best = max(best, ct)
        groups[label] = best / n * 1000
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
    cum = io.StringIO()
    pstats.Stats(profiler, stream=cum).sort_stats("cumulative").print_stats(25)
    out[name] = {"url": url, "n": n, "wall_ms_per_request_profiled": wall * 1000,
                 "queries": len(queries), "sql_ms": sum(q["ms"] for q in queries),
                 "query_list": queries, "cumulative_ms_per_request": groups,
                 "bytes": len(response.content),
                 "top_tottime": text.getvalue(), "top_cumulative": cum.getvalue()}
    # The same without the profiler's overhead.
    start = time.perf_counter()
    for _ in range(n):
        client.get(url)
    out[name]["wall_ms_per_request"] = (time.perf_counter() - start) / n * 1000
print("PROFJSON " + json.dumps(out))
"""


@dataclass
class Measurement:
    server: str  # "samarbeid (8 threads)", "Datasette"
    endpoint: str
    url: str
    connections: int = 0
    bytes: int = 0
    requests: int = 0
    duration_s: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    mean_ms: float = 0.0
    non2xx: int = 0
    socket_errors: int = 0
    load_before: float = 0.0
    waited_s: float = 0.0
    server_cpu_ms_per_req: float | None = None
    postgres_cpu_ms_per_req: float | None = None
    generator_cpu_s: float = 0.0
    started: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.non2xx == 0 and self.socket_errors == 0 and self.requests > 0


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process we started (and only that one is stopped, by its PID)."""

    def __init__(
        self, name: str, cmd: list[str], env: dict[str, str], log: Path, port: int
    ) -> None:
        self.name, self.port, self.log = name, port, log
        self.handle = log.open("w")
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            start_new_session=True,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(
                    f"{self.name} exited {self.proc.returncode}:\n"
                    + self.log.read_text(errors="replace")[-3000:]
                )
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(self.base + path, timeout=5) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.5)
        raise BenchError(f"{self.name} did not answer {path} within {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        return process_cpu(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        self.handle.close()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (with its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def postgres_cpu(pg: Postgres) -> float:
    """CPU seconds of our cluster: the postmaster, its live children (backends, workers) and
    the children that have exited (the postmaster's cutime + cstime)."""
    if pg.own is None:
        return 0.0
    try:
        master = int((pg.own / "data" / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{master}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return 0.0
    total = sum(int(x) for x in fields[11:15]) / CLOCK_TICKS
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def get(url: str, timeout: float = 60.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_json(url: str) -> dict:
    status, body = get(url)
    if status != 200:
        raise BenchError(f"GET {url} answered {status}: {body[:500]!r}")
    return json.loads(body)


# --- load generators -----------------------------------------------------------------------------


def run_wrk(
    url: str, connections: int, threads: int, duration: float, lua: Path, timeout: float
) -> tuple[dict, float]:
    cmd = [
        "wrk",
        "-c",
        str(connections),
        "-t",
        str(threads),
        "-d",
        f"{duration:g}s",
        "--latency",
        "--timeout",
        f"{timeout:g}s",
        "-s",
        str(lua),
        url,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=duration + timeout + 60,
        check=False,
    )
    out = proc.stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk is the only child reaped here
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({proc.returncode}):\n{out[-2000:]}")
    return json.loads(line.split(" ", 1)[1]), cpu


async def _client(
    host: str,
    port: int,
    path: str,
    until: float,
    latencies: list[float],
    counts: Counter,
    max_requests: int,
) -> None:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n"
        "Connection: keep-alive\r\n\r\n"
    ).encode()
    reader = writer = None
    while time.perf_counter() < until and counts["requests"] < max_requests:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (x.partition(":") for x in lines[1:] if x)
            }
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                body = b""
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    body += await reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                body = await reader.read()
                writer.close()
                writer = None
            latencies.append(time.perf_counter() - start)
            counts["requests"] += 1
            counts["bytes"] += len(head) + len(body)
            if not 200 <= status <= 299:
                counts["non2xx"] += 1
            if headers.get("connection", "").lower() == "close" and writer is not None:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            counts["errors"] += 1
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


def run_python_generator(
    url: str, connections: int, duration: float, max_requests: int
) -> tuple[dict, float]:
    """Closed loop like wrk: ``connections`` keep-alive clients, bounded time and count."""
    rest = url.split("://", 1)[1]
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.partition(":")
    latencies: list[float] = []
    counts: Counter = Counter()
    before = os.times()
    start = time.perf_counter()

    async def main() -> None:
        until = time.perf_counter() + duration
        await asyncio.gather(
            *(
                _client(host, int(port), "/" + path, until, latencies, counts, max_requests)
                for _ in range(connections)
            )
        )

    asyncio.run(main())
    elapsed = time.perf_counter() - start
    after = os.times()
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        rank = max(1, math.ceil(p / 100 * len(ordered)))  # nearest rank
        return ordered[min(len(ordered), rank) - 1] * 1e3

    result = {
        "requests": counts["requests"],
        "duration_s": elapsed,
        "bytes": counts["bytes"],
        "non2xx": counts["non2xx"],
        "connect": 0,
        "read": counts["errors"],
        "write": 0,
        "status": 0,
        "timeout": 0,
        "mean_ms": statistics.fmean(ordered) * 1e3,
        "stdev_ms": 0.0,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": ordered[-1] * 1e3,
    }
    cpu = (after.user - before.user) + (after.system - before.system)
    return result, cpu


# --- the benchmark -------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(args.workdir or tempfile.mkdtemp(prefix="samarbeid-bench-web-"))
        self.work.mkdir(parents=True, exist_ok=True)
        self.logs = self.work / "logs"
        self.logs.mkdir(exist_ok=True)
        self.info: dict[str, object] = {"workdir": str(self.work)}
        self.results: list[Measurement] = []
        self.servers: list[Server] = []
        self.pg: Postgres | None = None
        self.lua = self.work / "report.lua"
        self.lua.write_text(WRK_LUA)
        self.generator = "wrk" if shutil.which("wrk") and not args.python_generator else "python"
        self.started_code: list[dict[str, str]] = []

    # -- setup

    def env(self) -> dict[str, str]:
        env = base_env()
        env["SAMARBEID_VAR_DIR"] = str(self.work / "var")
        env["SAMARBEID_SECRET_KEY"] = self.secret
        if self.pg is not None:
            env["DATABASE_URL"] = self.database_url
        return env

    def prepare(self) -> None:
        args = self.args
        self.secret = secrets.token_urlsafe(50)
        data = self.work / "national.csv"
        log = self.logs / "generate.log"
        with log.open("w") as out:
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "make_national_mapping.py"),
                    str(data),
                    "--arrangements",
                    str(args.arrangements),
                    "--seed",
                    str(args.seed),
                ],
                check=True,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=REPO,
            )
        self.info["dataset"] = log.read_text().strip().split("; ", 1)[-1]
        port = args.own_postgres or free_port()
        print(f"starting a private PostgreSQL cluster on 127.0.0.1:{port} …", file=sys.stderr)
        self.pg = Postgres(None, port)
        self.info["postgres"] = f"{self.pg.version} ({self.pg.origin})"
        self.database_url = self.pg.create("samarbeid_web")
        (self.work / "var").mkdir(exist_ok=True)
        print(f"importing {data.name} …", file=sys.stderr)
        start = time.perf_counter()
        result = subprocess.run(
            [*samarbeid_cmd(), "import", str(data), "--mapping", MAPPING, "--stille"],
            env=self.env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        (self.logs / "import.log").write_text(result.stdout + result.stderr)
        if (
            result.returncode != 0
            or f": {args.arrangements} nye" not in result.stdout + result.stderr
        ):
            raise BenchError(
                f"import failed ({result.returncode}):\n" + (result.stdout + result.stderr)[-3000:]
            )
        self.info["import_s"] = round(time.perf_counter() - start, 1)
        # A new mapping is a draft (public pages answer 404); publish it for the benchmark.
        result = subprocess.run(
            [*samarbeid_cmd(), "status", MAPPING, "--sett", "kontroll", "--kilde", "ytelsesmåling"],
            env=self.env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BenchError(f"samarbeid status failed:\n{result.stdout}{result.stderr}")
        # ANALYZE after the bulk load, as autovacuum would do soon after (fair plans).
        with self.pg.psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute("ANALYZE")

    def page_cache_setting(self) -> str:
        """``settings.PAGE_CACHE`` of the code under test: "True", "False" or "absent"."""
        code = (
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'samarbeid.settings'); django.setup(); from django.conf import settings; "
            "print(getattr(settings, 'PAGE_CACHE', 'absent'))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            env=self.env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        return (result.stdout.strip().splitlines() or ["absent"])[-1]

    def label(self, threads: int, cache: bool | None = None) -> str:
        if self.info.get("page_cache") != "True":  # no page cache in this code (or it is off)
            return f"samarbeid ({threads} threads)"
        return f"samarbeid ({threads} threads, {'no ' if cache is False else ''}page cache)"

    def start_samarbeid(self, threads: int, cache: bool | None = None) -> Server:
        port = free_port()
        cmd = [
            *samarbeid_cmd(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--threads",
            str(threads),
        ]
        env = self.env()
        if cache is False:
            env["SAMARBEID_PAGE_CACHE"] = "0"
        name = self.label(threads, cache)
        server = Server(name, cmd, env, self.logs / f"serve-{threads}-{cache}.log", port)
        self.servers.append(server)
        server.wait_ready("/api/kartlegginger/")
        self.started_code.append({"server": name, "src": src_digest(), "head": git_head()})
        return server

    def discover(self, server: Server) -> None:
        """The mapping's id, the municipality with the most arrangements, the page size."""
        listing = get_json(server.base + "/api/kartlegginger/")
        found = [m for m in listing["results"] if m["navn"] == MAPPING]
        if not found:
            raise BenchError(f"mapping {MAPPING} not found in /api/kartlegginger/")
        self.mapping_id = found[0]["id"]
        export = get_json(f"{server.base}/api/kartlegginger/{self.mapping_id}/eksport.json")
        self.export = export
        per_municipality: Counter = Counter()
        for number, _ref in {
            (d.get("kommunenummer"), d["ordning_id"])
            for d in export["deltakere"]
            if d.get("kommunenummer")
        }:
            per_municipality[number] += 1
        if self.args.municipality:
            self.municipality = self.args.municipality
        else:
            self.municipality = per_municipality.most_common(1)[0][0]
        self.info["municipality"] = {
            "number": self.municipality,
            "arrangements": per_municipality[self.municipality],
            "median over municipalities": statistics.median(per_municipality.values()),
        }
        first = get_json(f"{server.base}/api/kartlegginger/{self.mapping_id}/ordninger/")
        self.page_size = len(first["results"])
        m, pages = self.mapping_id, -(-first["count"] // len(first["results"]))
        self.mixed_paths = (
            [f"/kartlegginger/{m}/kommuner/{n}/" for n in sorted(per_municipality)]
            + [f"/kartlegginger/{m}/ordninger/?side={i}" for i in range(1, pages + 1)]
            + [f"/api/kartlegginger/{m}/ordninger/?page={i}" for i in range(1, pages + 1)]
            + [f"/kartlegginger/{m}/ordninger/?kommune={n}" for n in sorted(per_municipality)[:50]]
        )
        self.info["mixed_urls"] = len(self.mixed_paths)
        self.info["api_page_size"] = self.page_size
        self.info["arrangements_in_registry"] = first["count"]
        self.info["memberships_in_registry"] = len(export["deltakere"])

    def our_endpoints(self) -> list[tuple[str, str]]:
        m = self.mapping_id
        return [
            ("API list, page 1 (JSON)", f"/api/kartlegginger/{m}/ordninger/"),
            ("HTML arrangement list, page 1", f"/kartlegginger/{m}/ordninger/"),
            (
                f"HTML municipality page ({self.municipality})",
                f"/kartlegginger/{m}/kommuner/{self.municipality}/",
            ),
        ]

    def datasette_endpoints(self) -> list[tuple[str, str]]:
        size = self.page_size
        return [
            ("Datasette table JSON (default)", f"/{DATASETTE_DB}/ordninger.json?_size={size}"),
            (
                "Datasette table JSON, objects, no facet suggestions",
                f"/{DATASETTE_DB}/ordninger.json?_size={size}&_shape=objects&_nosuggest=1",
            ),
        ]

    def build_sqlite(self, server: Server) -> Path:
        """The registry's data as Datasette would publish it: ``ordninger`` (the API list items,
        flattened, in file order) and ``deltakere`` (the export's participant rows)."""
        items: list[dict] = []
        url: str | None = (
            f"{server.base}/api/kartlegginger/{self.mapping_id}/ordninger/?page_size=500"
        )
        while url:
            page = get_json(url)
            items.extend(page["results"])
            url = page["next"]
        path = self.work / f"{DATASETTE_DB}.sqlite"
        path.unlink(missing_ok=True)
        db = sqlite3.connect(path)
        columns = [
            "id",
            "navn",
            "forkortelse",
            "status",
            "juridisk_form",
            "sektor",
            "etablert",
            "vertskommune_status",
            "vertskommune_kommunenummer",
            "vertskommune_navn",
            "arsverk",
            "antall_deltakere",
            "url",
        ]
        db.execute(
            "CREATE TABLE ordninger (id TEXT NOT NULL UNIQUE, navn TEXT, forkortelse TEXT, "
            "status TEXT, juridisk_form TEXT, sektor TEXT, etablert TEXT, "
            "vertskommune_status TEXT, vertskommune_kommunenummer TEXT, "
            "vertskommune_navn TEXT, arsverk REAL, antall_deltakere INTEGER, url TEXT)"
        )
        rows = []
        for item in items:
            host = item.get("vertskommune") or {}
            rows.append(
                [
                    item["id"],
                    item["navn"],
                    item["forkortelse"],
                    item["status"],
                    item["juridisk_form"],
                    item["sektor"],
                    item["etablert"],
                    host.get("status"),
                    host.get("kommunenummer"),
                    host.get("navn"),
                    item["arsverk"],
                    item["antall_deltakere"],
                    item["url"],
                ]
            )
        db.executemany(
            f"INSERT INTO ordninger ({', '.join(columns)}) VALUES "
            f"({', '.join('?' for _ in columns)})",
            rows,
        )
        members = self.export["deltakere"]
        keys = list(members[0].keys()) if members else ["ordning_id"]
        db.execute(f"CREATE TABLE deltakere ({', '.join(f'{k} TEXT' for k in keys)})")
        db.executemany(
            f"INSERT INTO deltakere VALUES ({', '.join('?' for _ in keys)})",
            [[None if m.get(k) is None else str(m.get(k)) for k in keys] for m in members],
        )
        db.execute("CREATE INDEX deltakere_ordning ON deltakere (ordning_id)")
        db.execute("CREATE INDEX deltakere_kommune ON deltakere (kommunenummer)")
        db.commit()
        db.execute("ANALYZE")
        db.commit()
        db.close()
        self.info["sqlite"] = {
            "ordninger": len(rows),
            "deltakere": len(members),
            "ordninger_columns": columns,
            "deltakere_columns": keys,
            "bytes": path.stat().st_size,
        }
        return path

    def start_datasette(self, db: Path) -> Server | None:
        exe = Path(sys.executable).parent / "datasette"
        if not exe.exists() and shutil.which("datasette") is None:
            print(
                f"Datasette not installed: skipping it. Install with: {INSTALL_DATASETTE}",
                file=sys.stderr,
            )
            self.info["datasette"] = f"not installed ({INSTALL_DATASETTE})"
            return None
        port = free_port()
        mode = ["-i", str(db)] if not self.args.datasette_mutable else [str(db)]
        cmd = [
            str(exe) if exe.exists() else "datasette",
            "serve",
            *mode,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        server = Server("datasette", cmd, base_env(), self.logs / "datasette.log", port)
        self.servers.append(server)
        server.wait_ready(f"/{DATASETTE_DB}/ordninger.json?_size=1")
        self.info["datasette_command"] = (
            "datasette serve "
            + " ".join(["-i", "db.sqlite"] if not self.args.datasette_mutable else ["db.sqlite"])
            + " --host 127.0.0.1 --port PORT (default settings)"
        )
        return server

    # -- measuring

    def wait_for_quiet(self) -> tuple[float, float]:
        start = time.monotonic()
        load = os.getloadavg()[0]
        while load > self.args.max_load and time.monotonic() - start < self.args.max_wait:
            time.sleep(5)
            load = os.getloadavg()[0]
        return load, time.monotonic() - start

    def check(self, server: Server, name: str, path: str) -> int:
        status, body = get(server.base + path)
        if status != 200:
            raise BenchError(f"{name}: GET {path} answered {status}: {body[:300]!r}")
        if (".json" in path or path.startswith("/api/")) and path != CEILING[1]:
            data = json.loads(body)
            rows = data.get("results", data.get("rows"))
            if rows is None or not rows:
                raise BenchError(f"{name}: no rows in {path}")
        return len(body)

    def mixed_lua(self) -> Path:
        """wrk script: each request a random path of ``mixed_paths`` (fixed seed per thread)."""
        lua = self.work / "mixed.lua"
        paths = ",\n".join(json.dumps(p) for p in self.mixed_paths)
        lua.write_text(
            WRK_LUA + "\nlocal paths = {\n" + paths + "\n}\n"
            "local seeded = false\n"
            "function request()\n"
            "  if not seeded then math.randomseed(1); seeded = true end\n"
            "  return wrk.format('GET', paths[math.random(#paths)])\n"
            "end\n"
        )
        return lua

    def load(
        self, url: str, duration: float, connections: int, lua: Path | None = None
    ) -> tuple[dict, float]:
        a = self.args
        if self.generator == "wrk":
            threads = min(a.wrk_threads, connections)
            return run_wrk(url, connections, threads, duration, lua or self.lua, a.timeout)
        return run_python_generator(url, connections, duration, a.max_requests)

    def wait_idle(self, server: Server, limit: float = 120.0) -> float:
        """Until the server (and our PostgreSQL) stop working off requests a client gave up on
        (a load run ends with up to N requests still queued in the server)."""
        start = time.monotonic()

        def cpu() -> float:
            return server.cpu_seconds() + (postgres_cpu(self.pg) if self.pg else 0.0)

        last = cpu()
        while time.monotonic() - start < limit:
            time.sleep(0.5)
            now = cpu()
            if now - last < 0.03:
                break
            last = now
        return time.monotonic() - start

    def measure(
        self,
        server: Server,
        label: str,
        name: str,
        path: str,
        connections: int | None = None,
        duration: float | None = None,
    ) -> Measurement:
        connections = connections or self.args.connections
        duration = duration or self.args.duration
        mixed = name.startswith("Mixed")
        lua = self.mixed_lua() if mixed else None
        size = self.check(server, name, path)
        url = server.base + path
        self.wait_idle(server)
        load, waited = self.wait_for_quiet()
        print(
            f"{label}: {name}, {connections} connections (load {load:.2f}"
            + (f", waited {waited:.0f} s" if waited >= 1 else "")
            + ") …",
            file=sys.stderr,
        )
        if not mixed:  # a mixed run starts cold: its first visit of each URL is a miss
            self.load(url, self.args.warmup, connections)
        self.wait_idle(server)
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        cpu0, pg0 = server.cpu_seconds(), postgres_cpu(self.pg) if self.pg else 0.0
        result, gen_cpu = self.load(url, duration, connections, lua)
        cpu1, pg1 = server.cpu_seconds(), postgres_cpu(self.pg) if self.pg else 0.0
        n = max(result["requests"], 1)
        ours = label.startswith("samarbeid")
        m = Measurement(
            server=label,
            endpoint=name,
            url=path,
            bytes=size,
            requests=result["requests"],
            duration_s=result["duration_s"],
            rps=result["requests"] / result["duration_s"],
            p50_ms=result["p50_ms"],
            p90_ms=result["p90_ms"],
            p95_ms=result["p95_ms"],
            p99_ms=result["p99_ms"],
            max_ms=result["max_ms"],
            mean_ms=result["mean_ms"],
            non2xx=result["non2xx"],
            socket_errors=sum(result[k] for k in ("connect", "read", "write", "timeout")),
            load_before=load,
            waited_s=waited,
            server_cpu_ms_per_req=(cpu1 - cpu0) / n * 1000,
            postgres_cpu_ms_per_req=(pg1 - pg0) / n * 1000 if ours else None,
            generator_cpu_s=gen_cpu,
            started=started,
            connections=connections,
        )
        print(
            f"  {m.rps:.1f} req/s, p50 {m.p50_ms:.0f} ms, p95 {m.p95_ms:.0f} ms, "
            f"p99 {m.p99_ms:.0f} ms, non-2xx {m.non2xx}, errors {m.socket_errors}",
            file=sys.stderr,
        )
        self.results.append(m)
        return m

    def profile(self, endpoints: list[tuple[str, str]]) -> dict:
        env = self.env()
        hosts = os.environ.get("SAMARBEID_ALLOWED_HOSTS", "localhost,127.0.0.1")
        env["SAMARBEID_ALLOWED_HOSTS"] = hosts + ",testserver"
        env["SAMARBEID_PAGE_CACHE"] = "0"  # the views, not the cache
        env["DJANGO_SETTINGS_MODULE"] = "samarbeid.settings"
        urls = dict(endpoints)
        print("profiling our endpoints (cProfile + captured queries) …", file=sys.stderr)
        result = subprocess.run(
            [sys.executable, "-c", PROFILE_CODE, json.dumps(urls), str(self.args.profile_requests)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        (self.logs / "profile.log").write_text(result.stdout + result.stderr)
        line = next((x for x in result.stdout.splitlines() if x.startswith("PROFJSON ")), None)
        if result.returncode != 0 or line is None:
            print(f"warning: profiling failed:\n{result.stderr[-3000:]}", file=sys.stderr)
            return {}
        return json.loads(line.split(" ", 1)[1])

    def run(self) -> None:
        a = self.args
        self.prepare()
        self.info["page_cache"] = self.page_cache_setting()
        main_threads = a.threads[0]
        ours = self.start_samarbeid(main_threads)
        self.discover(ours)
        datasette = None
        if not a.no_datasette:
            datasette = self.start_datasette(self.build_sqlite(ours))
        label = self.info["main_label"] = self.label(main_threads)
        endpoints = self.our_endpoints()
        ds_endpoints = self.datasette_endpoints() if datasette else []
        # The comparable pair first, back to back, so both see the same background load.
        self.measure(ours, label, *endpoints[0])
        for name, path in ds_endpoints:
            assert datasette is not None
            self.measure(datasette, "Datasette", name, path)
        for name, path in endpoints[1:]:
            self.measure(ours, label, name, path)
        if not a.no_ceiling:  # the stack without database work: what a cached page could reach
            self.measure(ours, label, CEILING[0], CEILING[1])
        mixed = (MIXED.format(n=len(self.mixed_paths)), self.mixed_paths[0])
        ours.stop()  # a fresh server: the mixed run starts with an empty page cache
        self.servers.remove(ours)
        ours = self.start_samarbeid(main_threads)
        self.measure(ours, label, *mixed)
        if a.baseline_duration > 0:  # service time without queueing: one client
            for name, path in endpoints:
                self.measure(ours, label, name, path, 1, a.baseline_duration)
            for name, path in ds_endpoints[:1]:
                assert datasette is not None
                self.measure(datasette, "Datasette", name, path, 1, a.baseline_duration)
        ours.stop()
        self.servers.remove(ours)
        # The views themselves: the page cache turned off (first view, after every change, and
        # for every signed-in user).
        if self.info["page_cache"] == "True" and not a.no_uncached:
            off = self.start_samarbeid(main_threads, cache=False)
            self.info["uncached_label"] = off.name
            try:
                for name, path in endpoints:
                    self.measure(off, off.name, name, path)
                self.measure(off, off.name, *mixed)
                if a.baseline_duration > 0:
                    for name, path in endpoints:
                        self.measure(off, off.name, name, path, 1, a.baseline_duration)
            finally:
                off.stop()
                self.servers.remove(off)
        # Other thread counts: a fresh server each.
        for threads in a.threads[1:]:
            other = self.start_samarbeid(threads)
            try:
                for name, path in endpoints:
                    self.measure(other, other.name, name, path)
            finally:
                other.stop()
                self.servers.remove(other)
        if a.profile or not self.goals_met(label):
            self.info["profile"] = self.profile(endpoints)

    def goals_met(self, label: str) -> bool:
        main = [
            m
            for m in self.results
            if m.connections == self.args.connections and m.endpoint != CEILING[0]
        ]
        ours = [m for m in main if m.server == label]
        ds = next((m for m in main if m.server == "Datasette"), None)
        api = next((m for m in ours if m.endpoint.startswith("API list")), None)
        p95 = all(m.p95_ms < GOAL_P95_MS for m in ours)
        return p95 and (ds is None or (api is not None and api.rps >= ds.rps))

    def close(self) -> None:
        self.info["code_per_server"] = self.started_code
        for server in self.servers:
            with contextlib.suppress(Exception):
                server.stop()
        self.servers.clear()
        if self.pg is not None:
            self.pg.close()
            self.pg = None
        if not self.args.workdir and not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)
            self.info["workdir"] = "(removed)"


# --- report -------------------------------------------------------------------------------------


def src_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((REPO / "src").rglob("*.py")):
        with contextlib.suppress(OSError):
            digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def git_head() -> str:
    result = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "?"


def versions() -> dict[str, str]:
    out = {}
    for module in ("waitress", "whitenoise", "rest_framework", "datasette", "uvicorn"):
        try:
            out[module] = __import__(module).__version__
        except (ImportError, AttributeError):
            with contextlib.suppress(Exception):
                from importlib.metadata import version

                out[module] = version(module)
            out.setdefault(module, "-")
    out["sqlite (Python's)"] = sqlite3.sqlite_version
    wrk = shutil.which("wrk")
    if wrk:
        text = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False).stdout
        out["wrk"] = text.split("\n")[0].split(" [")[0].replace("wrk ", "")
    return out


def fmt_ms(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}"


def report(
    bench: Bench, machine: dict[str, str], tool_versions: dict[str, str] | None = None
) -> str:
    a, info, results = bench.args, bench.info, bench.results
    gen = (
        f"wrk {a.connections} connections, {a.wrk_threads} threads"
        if bench.generator == "wrk"
        else f"Python asyncio client, {a.connections} connections"
    )
    lines = [
        "# Web benchmark",
        "",
        f"Generated by `python benchmarks/bench_web.py` ({a.arrangements} arrangements, "
        f"seed {a.seed}; {a.duration:g} s per endpoint after {a.warmup:g} s warm-up; "
        f"load generator: {gen}, closed loop, keep-alive, on 127.0.0.1).",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in machine.items()]
    lines += [f"- {k}: {v}" for k, v in (tool_versions or versions()).items()]
    lines += [
        f"- PostgreSQL server: {info.get('postgres')}",
        "- The servers, PostgreSQL and the load generator share the machine's cores.",
        "",
        "## Data",
        "",
        f"- {info.get('dataset', '')}",
        f"- imported with `samarbeid import FILE --mapping {MAPPING}` in "
        f"{info.get('import_s')} s; then `ANALYZE`",
        f"- registry: {info.get('arrangements_in_registry')} arrangements, "
        f"{info.get('memberships_in_registry')} memberships; API page size "
        f"{info.get('api_page_size')} (the default)",
    ]
    muni = info.get("municipality")
    if isinstance(muni, dict):
        lines.append(
            f"- municipality page: {muni['number']}, the municipality in the most "
            f"arrangements ({muni['arrangements']}; median over municipalities "
            f"{muni['median over municipalities']:g})"
        )
    sq = info.get("sqlite")
    if isinstance(sq, dict):
        lines.append(
            f"- Datasette: `{info.get('datasette_command')}`; `db.sqlite` "
            f"({sq['bytes'] / 1e6:.1f} MB) with `ordninger` ({sq['ordninger']} rows, "
            f"the API list items flattened: {', '.join(sq['ordninger_columns'])}) and "
            f"`deltakere` ({sq['deltakere']} rows from the API's eksport.json, indexed "
            "on ordning_id and kommunenummer)"
        )
    elif info.get("datasette"):
        lines.append(f"- Datasette: {info['datasette']}")
    cache = info.get("page_cache")
    if cache == "True":
        lines.append(
            "- the code has the public page cache (`SAMARBEID_PAGE_CACHE`, on by "
            "default): the «page cache» rows are `samarbeid serve` as configured by "
            "default; every request of a run asks for the same URL, so after the first "
            "one they are cache hits (best case). The «no page cache» rows "
            "(`SAMARBEID_PAGE_CACHE=0`) measure the views themselves: the first view of "
            "a page, every view after a change to the registry, signed-in users."
        )
        if info.get("mixed_urls"):
            lines.append(
                f"- «Mixed» rows: each request a random one of {info['mixed_urls']} "
                "distinct URLs (every municipality page, every page of the HTML list "
                "and of the API list, 50 municipality filters), from a freshly started "
                "server without warm-up: with the page cache every URL's first visit "
                "is a miss, later ones hits; without it every request runs the view."
            )
    elif cache is not None:
        lines.append(f"- page cache setting of the code: {cache}")
    code = info.get("code_per_server")
    if isinstance(code, list) and code:
        digests = {c["src"] for c in code}
        heads = ", ".join(dict.fromkeys(c["head"] for c in code))
        start = machine.get("source (sha256 of src/**/*.py, to tell runs apart)")
        if len(digests) == 1 and (start is None or start == code[0]["src"]):
            lines.append(
                f"- code under test: src digest {code[0]['src']}, the same for every "
                f"server started (git HEAD {heads})"
            )
        else:
            lines.append(
                "- **WARNING: src/ changed during the run**; code per server: "
                + "; ".join(f"{c['server']}: HEAD {c['head']}, src {c['src']}" for c in code)
            )
    lines += [
        "",
        "## Results",
        "",
        "req/s over the measured interval; latency percentiles of all requests in it. "
        "CPU ms/req: CPU time of the server process (and of our PostgreSQL cluster) "
        "divided by the requests served. Load = 1-min load average before the "
        "measurement (other sessions may be using the machine).",
        "",
        "| server | endpoint | clients | bytes | req/s | p50 ms | p95 ms | p99 ms | "
        "max ms | non-2xx / errors | server CPU ms/req | PG CPU ms/req | load before |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        pgc = "" if m.postgres_cpu_ms_per_req is None else f"{m.postgres_cpu_ms_per_req:.1f}"
        srv = "" if m.server_cpu_ms_per_req is None else f"{m.server_cpu_ms_per_req:.1f}"
        wait = f" (waited {m.waited_s:.0f} s)" if m.waited_s >= 1 else ""
        if m.requests == 0:
            timing = f"0 | no request completed in {m.duration_s:.0f} s | | | "
        else:
            timing = (
                f"{m.rps:.1f} | {fmt_ms(m.p50_ms)} | {fmt_ms(m.p95_ms)} | "
                f"{fmt_ms(m.p99_ms)} | {fmt_ms(m.max_ms)}"
            )
        lines.append(
            f"| {m.server} | {m.endpoint} | {m.connections} | {m.bytes} | {timing} | "
            f"{m.non2xx} / {m.socket_errors} | {srv} | {pgc} | "
            f"{m.load_before:.2f}{wait} |"
        )
    lines += ["", "URLs:", ""]
    seen = set()
    for m in results:
        if (m.server.split(" (")[0], m.endpoint) not in seen:
            seen.add((m.server.split(" (")[0], m.endpoint))
            lines.append(f"- {m.endpoint}: `{m.url}`")
    lines += ["", "## Goals", "", "| measure | value | goal | met |", "|---|---:|---:|:-:|"]
    main_label = str(info.get("main_label", f"samarbeid ({a.threads[0]} threads)"))
    loaded = [m for m in results if m.connections == a.connections]
    ds = next((m for m in loaded if m.server == "Datasette"), None)
    labels = [main_label] + ([str(info["uncached_label"])] if info.get("uncached_label") else [])
    for label in labels:
        ours = [m for m in loaded if m.server == label and m.endpoint != CEILING[0]]
        note = "" if label == main_label else " (for information)"
        for m in ours:
            met = m.p95_ms < GOAL_P95_MS and m.requests > 0
            lines.append(
                f"| {m.endpoint}: p95 ({label}, {a.connections} clients){note} | "
                f"{fmt_ms(m.p95_ms)} ms | < {GOAL_P95_MS:g} ms | "
                f"{'yes' if met else 'NO'} |"
            )
        api = next((m for m in ours if m.endpoint.startswith("API list")), None)
        if api and ds:
            ratio = api.rps / ds.rps
            lines.append(
                f"| API list req/s ({label}) / Datasette table JSON req/s "
                f"(`{ds.url}`){note} | {api.rps:.1f} / {ds.rps:.1f} = {ratio:.2f} | "
                f"≥ 1 | {'yes' if ratio >= 1 else 'NO'} |"
            )
    bad = [m for m in results if not m.ok]
    lines.append(
        f"| non-2xx responses and socket errors, all measurements | "
        f"{sum(m.non2xx + m.socket_errors for m in results)} | 0 | "
        f"{'yes' if not bad else 'NO'} |"
    )
    lines += [
        "",
        "With a closed loop of N connections, mean latency ≈ N / throughput (Little's "
        f"law): p95 < {GOAL_P95_MS:g} ms at {a.connections} connections needs roughly "
        f"{a.connections / (GOAL_P95_MS / 1000):.0f}+ req/s, i.e. under "
        f"{1000 / (a.connections / (GOAL_P95_MS / 1000)):.1f} ms of server time per "
        "request when requests are served one after another.",
    ]
    prof = info.get("profile")
    if isinstance(prof, dict) and prof:
        lines += [
            "",
            "## Profile (one Django process, test client, no HTTP server)",
            "",
            "Queries of one request (CaptureQueriesContext); per-request times from "
            f"{a.profile_requests} requests (cProfile; 'wall' without the profiler). "
            "Cumulative times overlap (SQL runs inside template rendering for lazy "
            "querysets).",
            "",
            "| endpoint | wall ms/req | queries | SQL ms (1 req) | "
            + " | ".join(next(iter(prof.values()))["cumulative_ms_per_request"])
            + " |",
            "|---|---:|---:|---:|"
            + "---:|" * len(next(iter(prof.values()))["cumulative_ms_per_request"]),
        ]
        for name, p in prof.items():
            lines.append(
                f"| {name} | {p['wall_ms_per_request']:.1f} | {p['queries']} | "
                f"{p['sql_ms']:.1f} | "
                + " | ".join(f"{v:.1f}" for v in p["cumulative_ms_per_request"].values())
                + " |"
            )
        for name, p in prof.items():
            lines += ["", f"### {name}: queries", ""]
            lines += [
                f"{i + 1}. {q['ms']:.1f} ms `{q['sql'][:200]}`"
                for i, q in enumerate(p["query_list"])
            ]
            lines += [
                "",
                f"### {name}: top functions by own time",
                "",
                "```",
                strip_profile(p["top_tottime"]),
                "```",
            ]
    if a.notes:
        lines += ["", a.notes.read_text(encoding="utf-8").strip()]
    lines.append("")
    return "\n".join(lines)


def strip_profile(text: str) -> str:
    """pstats output without its header lines and with shortened paths."""
    keep = []
    started = False
    for line in text.splitlines():
        if line.strip().startswith("ncalls"):
            started = True
        if started and line.strip():
            keep.append(
                line.replace(str(REPO) + "/", "").replace(
                    str(Path(sys.prefix)) + "/lib/python3.11/site-packages/", ""
                )
            )
    return "\n".join(keep)


def rerender(args: argparse.Namespace) -> int:
    raw = json.loads(args.out.with_suffix(".json").read_text(encoding="utf-8"))
    old = argparse.Namespace(**raw["args"])
    old.notes, old.out = args.notes, args.out
    bench = Bench.__new__(Bench)
    bench.args, bench.info, bench.generator = old, raw["info"], raw["generator"]
    bench.results = [Measurement(**m) for m in raw["results"]]
    text = (
        report(bench, raw["machine"], raw.get("versions"))
        + f"\nTotal benchmark time: {bench.info['total_s']} s.\n"
    )
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arrangements", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per endpoint (20)")
    parser.add_argument("--warmup", type=float, default=5.0, help="warm-up seconds (5)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30.0, help="wrk request timeout (30 s)")
    parser.add_argument(
        "--baseline-duration",
        type=float,
        default=10.0,
        help="seconds of a 1-connection run per endpoint (service time without queueing; 0: none)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        nargs="+",
        default=[8],
        help="waitress thread counts; the first (default 8, serve's default) is "
        "the main one compared with Datasette, e.g. --threads 8 4 16",
    )
    parser.add_argument(
        "--municipality",
        default=None,
        help="municipality number for the page (default: the one in most arrangements)",
    )
    parser.add_argument(
        "--own-postgres",
        type=int,
        metavar="PORT",
        default=None,
        help="port of the private PostgreSQL cluster (default: a free one)",
    )
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument(
        "--no-uncached",
        action="store_true",
        help="skip the measurements with the page cache off (SAMARBEID_PAGE_CACHE=0)",
    )
    parser.add_argument(
        "--no-ceiling", action="store_true", help="skip the informational /api/ root measurement"
    )
    parser.add_argument(
        "--datasette-mutable",
        action="store_true",
        help="serve the SQLite file mutable (default: immutable, -i)",
    )
    parser.add_argument(
        "--python-generator",
        action="store_true",
        help="use the asyncio load generator even if wrk is installed",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=200_000,
        help="cap per measurement for the Python generator",
    )
    parser.add_argument(
        "--max-load",
        type=float,
        default=1.5,
        help="wait before a measurement while the 1-min load is above this",
    )
    parser.add_argument("--max-wait", type=float, default=120.0, help="… at most this long (s)")
    parser.add_argument(
        "--profile", action="store_true", help="profile our endpoints even if the goals are met"
    )
    parser.add_argument("--profile-requests", type=int, default=30)
    parser.add_argument("--workdir", default=None, help="keep generated files and logs here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workdir")
    parser.add_argument("--out", type=Path, default=RESULTS / "web.md")
    parser.add_argument(
        "--notes",
        type=Path,
        default=None,
        help="a Markdown file appended to the report (e.g. an analysis)",
    )
    parser.add_argument(
        "--rerender",
        action="store_true",
        help="write the report again from OUT's .json (no measuring), e.g. with --notes",
    )
    args = parser.parse_args(argv)
    if args.rerender:
        return rerender(args)

    machine = machine_info()
    bench = Bench(args)
    started = time.perf_counter()
    try:
        bench.run()
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        bench.close()
    bench.info["total_s"] = round(time.perf_counter() - started, 1)
    machine["load average (1, 5, 15 min) at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    tool_versions = versions()
    text = (
        report(bench, machine, tool_versions)
        + f"\nTotal benchmark time: {bench.info['total_s']} s.\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    raw = {
        "machine": machine,
        "versions": tool_versions,
        "info": bench.info,
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "generator": bench.generator,
        "results": [asdict(m) for m in bench.results],
        "python": platform.python_version(),
    }
    args.out.with_suffix(".json").write_text(
        json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
