"""Benchmark the portfolio: a synthetic country of cooperation bodies in PostgreSQL (issue #12).

    python benchmarks/bench_portfolio.py [--bodies 80] [--requests 40] [--doc-runs 5]

A fresh PostgreSQL database (the project's scripts/postgres.sh server by default, ``--own-postgres
PORT`` for a private throwaway cluster, ``--postgres-url`` for another server) is migrated and
filled by benchmarks/make_portfolio.py (80 bodies × 10 yearly plans × 100 projects: 80 000
projects, about 300 000 milestones and 400 000 participation rows), then the pages are requested
in this process with Django's test ``Client``, the public page cache off and every request for
another body or plan: the body page, the plan page and the plan's JSON download (median and p95,
SQL queries per request), then the plan as PDF and as Word. Writes benchmarks/results/portfolio.md
(and .json) and prints the table. The database is dropped at the end (``--keep-db`` keeps it).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import math
import os
import platform
import pstats
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_intake import BenchError, Postgres, machine_info  # noqa: E402
from make_portfolio import AS_OF, FIRST_YEAR  # noqa: E402

REPO = HERE.parent
RESULTS = HERE / "results"
GOAL_PAGE_MS = 100.0
GOAL_PDF_S = 5.0
WARMUP = 3  # requests per endpoint before measuring (imports, template compilation)
CAPTURES = 3  # requests per endpoint whose queries are captured (not timed)

#: Cumulative time of these functions, per request, in the profile (file suffix, function).
PROFILE_GROUPS = {
    "SQL (cursor execute + fetch)": ("django/db/backends/utils.py", "_execute"),
    "model instances (from_db)": ("django/db/models/base.py", "from_db"),
    "SQL compilation (as_sql)": ("django/db/models/sql/compiler.py", "as_sql"),
    "prefetch_related_objects": ("django/db/models/query.py", "prefetch_related_objects"),
    "template rendering": ("django/template/base.py", "render"),
    "plan_data": ("samarbeid/portfolio/plan_data.py", "plan_data"),
    "plan_findings": ("samarbeid/portfolio/plan_data.py", "plan_findings"),
    "funding_comparison": ("samarbeid/portfolio/plan_data.py", "funding_comparison"),
    "participation matrix (_matrix)": ("samarbeid/portfolio/views/pages.py", "_matrix"),
    "participation_keys": ("samarbeid/portfolio/rules.py", "participation_keys"),
    "JSON encoding (as_json)": ("samarbeid/portfolio/cli.py", "as_json"),
    "plan_html": ("samarbeid/portfolio/render_doc.py", "plan_html"),
    "WeasyPrint layout (render)": ("weasyprint/__init__.py", "render"),
    "WeasyPrint write_pdf": ("weasyprint/document.py", "write_pdf"),
    "python-docx plan_docx": ("samarbeid/portfolio/render_docx.py", "plan_docx"),
}


@dataclass
class Endpoint:
    name: str
    goal_ms: float | None = None  # None: no goal (for information)
    goal_note: str = ""
    samples_ms: list[float] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    warmup_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)  # per captured request
    sql_ms: list[float] = field(default_factory=list)
    query_shapes: list[dict] = field(default_factory=list)  # of the first captured request
    bytes: list[int] = field(default_factory=list)
    gc_ms: list[float] = field(default_factory=list)  # garbage collection inside each sample
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def met(self) -> bool | None:
        return None if self.goal_ms is None else self.median < self.goal_ms


def percentile(values: list[float], p: float) -> float:
    """Nearest rank (as bench_web's Python load generator)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(len(ordered), rank) - 1]


def fmt_ms(x: float) -> str:
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}"


def shape(sql: str) -> str:
    """A query as Django sends it (parameters as ``%s``), with a long column list and the
    varying length of ``IN`` lists shortened: queries that differ only in ids count as one."""
    sql = re.sub(r"\((?:%s, )+%s\)", "(%s, …)", sql)
    sql = re.sub(r"\(\((?:%s\), )+\(%s\)\)", "((%s), …)", sql)
    select = re.match(r"SELECT (.*?) FROM ", sql)
    if select and len(select[1]) > 60:
        sql = "SELECT … FROM " + sql[select.end() :]
    return sql


def _origin() -> str:
    """The innermost frame of our code that led to a query (and whether a template ran it)."""
    frame = sys._getframe(2)
    in_template = False
    while frame is not None:
        name = frame.f_code.co_filename.replace(os.sep, "/")
        if "/django/template/" in name:
            in_template = True
        elif "/samarbeid/" in name and "/benchmarks/" not in name:
            where = name.split("/samarbeid/", 1)[1]
            label = f"{where}:{frame.f_lineno} {frame.f_code.co_name}"
            return label + (" (from the template)" if in_template else "")
        frame = frame.f_back
    return "?"


class QueryLog:
    """``connection.execute_wrapper``: every query with its time (execute + fetch: psycopg's
    client-side cursors fetch the rows in execute) and where in our code it came from."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.rows.append((sql, (time.perf_counter() - start) * 1000, _origin()))


def src_digest() -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO / "src").rglob("*.py")):
        with contextlib.suppress(OSError):
            digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


class GcClock:
    """Time spent in Python's garbage collector (``gc.callbacks``), to tell its pauses apart."""

    def __init__(self) -> None:
        self.ms = 0.0
        self._start = 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.ms += (time.perf_counter() - self._start) * 1000


GC = GcClock()


# --- setup ---------------------------------------------------------------------------------------


def configure_django(database_url: str, var_dir: Path) -> None:
    """Production-like settings in this process: PostgreSQL, no debug, no https redirect, the
    public page cache off; the test client's host allowed."""
    for name in ("SAMARBEID_DEBUG", "SAMARBEID_HTTPS", "SAMARBEID_SITE_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "SAMARBEID_VAR_DIR": str(var_dir),
            "SAMARBEID_PAGE_CACHE": "0",
            "SAMARBEID_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
            "SAMARBEID_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "samarbeid.settings",
        }
    )
    var_dir.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.conf import settings

    if getattr(settings, "PAGE_CACHE", False) or settings.DEBUG:
        raise BenchError("the page cache or DEBUG is on; the measurements would not be the views")
    # As `samarbeid serve` does before it serves: the pages name the hashed static files.
    from django.core.management import call_command

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)


#: The functions a view calls, timed one by one in :meth:`Bench.phases` (module, names as the
#: view module imports them).
PHASES = {
    "samarbeid.portfolio.views.pages": [
        "body_or_404",
        "plan_or_404",
        "_matrix",
        "participation_keys",
        "plan_findings",
        "body_findings",
        "funding_comparison",
        "_alerts",
        "render",
    ],
    "samarbeid.portfolio.views.downloads": ["body_or_404", "plan_or_404", "plan_data", "_render"],
}
PHASE_LABELS = {
    "render": "render (the template, with the querysets it runs)",
    "_render": "_render (JSON encoding / document rendering)",
}


class Phases:
    """Wall time, SQL time and queries inside each function of :data:`PHASES`, without a
    profiler: the functions are wrapped (replaced in the view's module) while it runs."""

    def __init__(self) -> None:
        self.sql_ms = 0.0
        self.queries = 0
        self.totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0])

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql_ms += (time.perf_counter() - start) * 1000
            self.queries += 1

    def wrap(self, name: str, func: Callable) -> Callable:
        def timed(*args, **kwargs):
            start, sql0, n0 = time.perf_counter(), self.sql_ms, self.queries
            try:
                return func(*args, **kwargs)
            finally:
                row = self.totals[name]
                row[0] += (time.perf_counter() - start) * 1000
                row[1] += self.sql_ms - sql0
                row[2] += self.queries - n0
                row[3] += 1

        return timed

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        import importlib

        from django.db import connection

        saved = []
        for module_name, names in PHASES.items():
            module = importlib.import_module(module_name)
            for name in names:
                if hasattr(module, name):
                    saved.append((module, name, getattr(module, name)))
                    setattr(module, name, self.wrap(name, getattr(module, name)))
        try:
            with connection.execute_wrapper(self):
                yield
        finally:
            for module, name, func in saved:
                setattr(module, name, func)


def capture(client, url: str) -> tuple[int, float, list[dict], int]:
    """One request with its queries: count, SQL ms, the query shapes, response bytes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log = QueryLog()
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(log):
        response = client.get(url)
    if response.status_code != 200:
        raise BenchError(f"GET {url} answered {response.status_code}")
    if len(ctx.captured_queries) != len(log.rows):
        raise BenchError(
            f"{url}: {len(ctx.captured_queries)} queries captured, {len(log.rows)} seen"
        )
    shapes: dict[str, list[float]] = defaultdict(list)
    origins: dict[str, dict[str, int]] = defaultdict(dict)
    for sql, ms, origin in log.rows:
        key = shape(sql)
        shapes[key].append(ms)
        origins[key][origin] = origins[key].get(origin, 0) + 1
    rows = sorted(
        (
            {"sql": s, "count": len(t), "ms": sum(t), "origin": origins[s]}
            for s, t in shapes.items()
        ),
        key=lambda r: (-r["count"], -r["ms"]),
    )
    return len(log.rows), sum(ms for _, ms, _ in log.rows), rows, len(response.content)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.info: dict[str, object] = {}
        self.endpoints: dict[str, Endpoint] = {}
        self.profiles: dict[str, dict] = {}
        self.phase_results: dict[str, dict] = {}
        self.loads: dict[str, dict] = {}
        self.pg: Postgres | None = None
        self.dbname = f"samarbeid_portfolio_{os.getpid()}"
        self.work = Path(tempfile.mkdtemp(prefix="samarbeid-bench-portfolio-"))

    # -- the database

    def prepare(self) -> None:
        a = self.args
        self.pg = Postgres(a.postgres_url, a.own_postgres)
        self.info["postgres"] = f"{self.pg.version} ({self.pg.origin})"
        url = self.pg.create(self.dbname)
        self.info["database"] = self.dbname
        configure_django(url, self.work / "var")
        from django.db import connection

        from samarbeid.registry.bootstrap import ensure_database

        print(f"migrating {self.dbname} …", file=sys.stderr)
        start = time.perf_counter()
        ensure_database(verbose=False)
        self.info["migrate_s"] = round(time.perf_counter() - start, 1)

        import make_portfolio

        print(
            f"generating {a.bodies} bodies × {a.years} plans × {a.projects} projects …",
            file=sys.stderr,
        )
        start = time.perf_counter()
        counts = make_portfolio.generate(a.bodies, a.seed, a.years, a.projects)
        self.info["generate_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        with connection.cursor() as cursor:  # as autovacuum would soon after a bulk load
            cursor.execute("VACUUM ANALYZE")
        self.info["vacuum_analyze_s"] = round(time.perf_counter() - start, 1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            self.info["database_bytes"] = cursor.fetchone()[0]
            cursor.execute("SHOW shared_buffers")
            self.info["shared_buffers"] = cursor.fetchone()[0]
        self.info["counts"] = counts
        print(
            "generated in "
            f"{self.info['generate_s']} s: "
            + ", ".join(f"{name} {n:,}".replace(",", " ") for name, n in counts.items()),
            file=sys.stderr,
        )

    # -- measuring

    def endpoint(self, name: str, goal_ms: float | None, note: str = "") -> Endpoint:
        ep = self.endpoints.get(name)
        if ep is None:
            ep = self.endpoints[name] = Endpoint(name, goal_ms, note)
        return ep

    def timed(self, client, url: str, check: Callable | None = None) -> float:
        """One request: its wall time (ms); the response checked."""
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise BenchError(
                f"GET {url} answered {response.status_code}: {response.content[:300]!r}"
            )
        if check is not None:
            check(response)
        return elapsed

    def sample(self, ep: Endpoint, client, url: str, check: Callable | None = None) -> None:
        """One measured request of ``ep``."""
        gc0 = GC.ms
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        gc_ms = GC.ms - gc0
        if response.status_code != 200:
            raise BenchError(
                f"GET {url} answered {response.status_code}: {response.content[:300]!r}"
            )
        if check is not None:
            check(response)
        ep.samples_ms.append(elapsed)
        ep.gc_ms.append(gc_ms)
        ep.urls.append(url)
        ep.bytes.append(len(response.content))

    def check_json(self, response) -> None:
        data = json.loads(response.content)
        if len(data["prosjekter"]) != self.args.projects:
            raise BenchError(f"the JSON has {len(data['prosjekter'])} projects")

    def check_plan_page(self, response) -> None:
        if response.content.count(b'<section class="project"') != self.args.projects:
            raise BenchError("the plan page does not show every project")

    def run(self) -> None:
        from django.test import Client

        from samarbeid.portfolio.models import ActionPlan, CooperationBody

        a = self.args
        rng = random.Random(a.seed)
        bodies = list(CooperationBody.objects.order_by("id").values_list("id", flat=True))
        approved = list(
            ActionPlan.objects.filter(status="vedtatt")
            .order_by("body_id", "year")
            .values_list("body_id", "year")
        )
        drafts = list(
            ActionPlan.objects.filter(status="utkast")
            .order_by("body_id")
            .values_list("body_id", "year")
        )
        rng.shuffle(bodies)
        rng.shuffle(approved)
        rng.shuffle(drafts)
        plans = iter(approved)

        def take_plans(n: int) -> list[tuple[int, int]]:
            got = [p for _, p in zip(range(n), plans, strict=False)]
            if len(got) < n:
                raise BenchError(f"not enough approved plans for {n} distinct requests")
            return got

        def cycle(items: list, n: int, what: str) -> list:
            if n > len(items):
                print(
                    f"warning: {n} requests but {len(items)} {what}: some repeat", file=sys.stderr
                )
            return [items[i % len(items)] for i in range(n)]

        def plan_url(p: tuple[int, int], suffix: str = "") -> str:
            return f"/organer/{p[0]}/planer/{p[1]}/{suffix}"

        n = a.requests
        anon = Client()
        body_page = self.endpoint("Body page `/organer/<id>/`", GOAL_PAGE_MS)
        plan_page = self.endpoint(
            f"Plan page `/organer/<id>/planer/<år>/` ({a.projects} projects)", GOAL_PAGE_MS
        )
        plan_json = self.endpoint("Plan JSON `…/handlingsplan.json`", GOAL_PAGE_MS)
        # Distinct objects: warm-up, measured, captured never share a body (pages) or a plan.
        body_ids = cycle(bodies, WARMUP + n + CAPTURES, "bodies")
        urls: dict[str, list[str]] = {
            body_page.name: [f"/organer/{b}/" for b in body_ids],
            plan_page.name: [plan_url(p) for p in take_plans(WARMUP + n + CAPTURES)],
            plan_json.name: [
                plan_url(p, "handlingsplan.json") for p in take_plans(WARMUP + n + CAPTURES)
            ],
        }
        checks = {plan_page.name: self.check_plan_page, plan_json.name: self.check_json}
        order = [body_page, plan_page, plan_json]
        print(
            f"anonymous: {n} requests each, interleaved (page cache off) …",
            file=sys.stderr,
        )
        self.quiet("anonymous pages")
        gc.collect()
        for ep in order:  # warm-up: the first request of the process is in here
            for url in urls[ep.name][:WARMUP]:
                ep.warmup_ms.append(self.timed(anon, url, checks.get(ep.name)))
        for i in range(n):  # rounds: background load spreads over all endpoints alike
            for ep in order:
                url = urls[ep.name][WARMUP + i]
                self.sample(ep, anon, url, checks.get(ep.name))
        for ep in order:
            self.capture_queries(anon, ep, urls[ep.name][WARMUP + n :])

        if not a.no_signed_in:
            self.quiet("signed-in pages")
            gc.collect()
            self.signed_in(bodies, drafts)
        # The pages' analysis before the documents: WeasyPrint leaves a large heap behind,
        # which makes Python's full garbage collections slower for everything after it.
        self.quiet("analysis of the pages")
        gc.collect()
        self.phases(anon)
        self.profile_failing(anon, documents=False)
        self.quiet("documents")
        gc.collect()
        self.info["gc_objects_before_documents"] = len(gc.get_objects())
        self.documents(anon, take_plans, plan_url)
        self.info["gc_objects_after_documents"] = len(gc.get_objects())
        # For information: the same page in the same process once it has made documents (as
        # `samarbeid serve` does: the downloads run in the process that serves the pages).
        again = self.endpoint(
            f"Plan page ({a.projects} projects) again, after the PDF and Word runs",
            GOAL_PAGE_MS,
            "for information: the same process after making documents",
        )
        self.quiet("plan page after the documents")
        for p in take_plans(n):
            self.sample(again, anon, plan_url(p), self.check_plan_page)
        self.profile_failing(anon, documents=True)

    def quiet(self, part: str) -> None:
        """Wait while the machine is busy (1-minute load above --max-load, at most --max-wait
        seconds), as bench_web does; the load and the wait go into the report."""
        a = self.args
        start = time.monotonic()
        load = os.getloadavg()[0]
        if load > a.max_load:
            print(f"waiting for a quieter machine (load {load:.2f}) …", file=sys.stderr)
        while load > a.max_load and time.monotonic() - start < a.max_wait:
            time.sleep(5)
            load = os.getloadavg()[0]
        waited = time.monotonic() - start
        self.loads[part] = {"load": round(load, 2), "waited_s": round(waited)}

    def capture_queries(self, client, ep: Endpoint, urls: list[str]) -> None:
        for k, url in enumerate(urls):
            count, sql_ms, shapes, _ = capture(client, url)
            ep.queries.append(count)
            ep.sql_ms.append(sql_ms)
            if k == 0:
                ep.query_shapes = shapes

    def signed_in(self, bodies: list[int], drafts: list[tuple[int, int]]) -> None:
        """For information: the body's secretariat (signed in: never served from a page cache)
        on the body page and on its draft plan (the plan it works on)."""
        from django.contrib.auth import get_user_model
        from django.test import Client

        from samarbeid.portfolio.models import BodyRole

        a = self.args
        users = get_user_model().objects.bulk_create(
            [get_user_model()(username=f"sekretariat-{b}", password="!") for b in bodies]
        )
        BodyRole.objects.bulk_create(
            [BodyRole(user=u, body_id=b) for u, b in zip(users, bodies, strict=True)]
        )
        user_of = dict(zip(bodies, users, strict=True))
        n = min(a.requests, len(drafts) - WARMUP - 1)
        body_page = self.endpoint(
            "Body page, signed in as the body's secretariat",
            GOAL_PAGE_MS,
            "for information: not in the brief's goal",
        )
        plan_page = self.endpoint(
            f"Draft plan page ({a.projects} projects), signed in as the body's secretariat",
            GOAL_PAGE_MS,
            "for information: not in the brief's goal",
        )
        print(f"signed in as the secretariat: {n} requests each …", file=sys.stderr)

        def client_for(body_id: int):
            client = Client()
            client.force_login(user_of[body_id])
            return client

        def url_of(ep, p):
            return f"/organer/{p[0]}/" if ep is body_page else f"/organer/{p[0]}/planer/{p[1]}/"

        for i, p in enumerate(drafts[: WARMUP + n + 1]):
            for ep in (body_page, plan_page):
                client = client_for(p[0])
                url = url_of(ep, p)
                if i < WARMUP:
                    ep.warmup_ms.append(self.timed(client, url))
                elif i < WARMUP + n:
                    self.sample(ep, client, url)
                else:
                    self.capture_queries(client, ep, [url])

    def documents(self, client, take_plans, plan_url) -> None:
        """The plan as PDF and as Word: the download, end to end (plan_data + rendering)."""
        a = self.args
        pdf = self.endpoint(
            f"Plan PDF `…/handlingsplan.pdf` ({a.projects} projects)", GOAL_PDF_S * 1000
        )
        docx = self.endpoint(f"Plan Word `…/handlingsplan.docx` ({a.projects} projects)", None)
        print(f"documents: {a.doc_runs} runs each …", file=sys.stderr)
        found = {}
        for ep, fmt in ((pdf, "pdf"), (docx, "docx")):
            try:
                url = plan_url(take_plans(1)[0], f"handlingsplan.{fmt}")
                ep.warmup_ms.append(self.timed(client, url))
                found[fmt] = ep
            except (ImportError, AttributeError, ModuleNotFoundError) as error:
                ep.extra["missing"] = f"{type(error).__name__}: {error}"
                print(f"warning: {fmt} not measured: {error}", file=sys.stderr)
        for _ in range(a.doc_runs):
            for fmt, ep in found.items():
                self.sample(ep, client, plan_url(take_plans(1)[0], f"handlingsplan.{fmt}"))
        for fmt, ep in found.items():
            self.capture_queries(client, ep, [plan_url(take_plans(1)[0], f"handlingsplan.{fmt}")])
            ep.extra["breakdown_ms"] = self.breakdown(take_plans(1)[0], fmt)

    def breakdown(self, p: tuple[int, int], fmt: str) -> dict[str, float]:
        """Where one document's time goes (one run, for information)."""
        from samarbeid.portfolio import render_doc
        from samarbeid.portfolio.models import ActionPlan
        from samarbeid.portfolio.plan_data import plan_data

        out: dict[str, float] = {}
        start = time.perf_counter()
        plan = ActionPlan.objects.select_related("body", "approved_by").get(body_id=p[0], year=p[1])
        data = plan_data(plan)
        out["plan_data (the queries and the dict)"] = (time.perf_counter() - start) * 1000
        if fmt == "pdf":
            from weasyprint import HTML

            start = time.perf_counter()
            html = render_doc.plan_html(data)
            out["plan_html (Django template)"] = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            document = HTML(string=html, base_url=None).render()
            out["WeasyPrint layout (HTML(...).render())"] = (time.perf_counter() - start) * 1000
            out["pages"] = len(document.pages)
            start = time.perf_counter()
            document.write_pdf(io.BytesIO())
            out["WeasyPrint write_pdf"] = (time.perf_counter() - start) * 1000
        else:
            start = time.perf_counter()
            render_doc.plan_docx(data)
            out["plan_docx (python-docx)"] = (time.perf_counter() - start) * 1000
        return out

    def clients_for(self, client, ep: Endpoint, urls: list[str]) -> list:
        """The anonymous client, or for the secretariat rows one signed-in client per URL."""
        if "signed in" not in ep.name:
            return [client] * len(urls)
        from django.contrib.auth import get_user_model
        from django.test import Client

        clients = []
        for url in urls:
            user = get_user_model().objects.get(username=f"sekretariat-{url.split('/')[2]}")
            clients.append(Client())
            clients[-1].force_login(user)
        return clients

    def phases(self, client) -> None:
        """Where the time of a failing endpoint goes, without a profiler's overhead: each
        function the view calls timed on its own (wall, SQL, queries), the rest by difference."""
        a = self.args
        for ep in self.endpoints.values():
            if not ep.samples_ms or not (a.profile or ep.met is False):
                continue
            if ep.goal_ms is None or ep.goal_ms >= 1000:
                continue  # the documents have their own breakdown
            urls = ep.urls[: a.profile_requests]
            clients = self.clients_for(client, ep, urls)
            phases = Phases()
            walls = []
            with phases.installed():
                for c, url in zip(clients, urls, strict=True):
                    start = time.perf_counter()
                    response = c.get(url)
                    walls.append((time.perf_counter() - start) * 1000)
                    if response.status_code != 200:
                        raise BenchError(f"GET {url} answered {response.status_code}")
            n = len(urls)
            rows = {
                name: {
                    "calls": row[3] / n,
                    "ms": row[0] / n,
                    "sql_ms": row[1] / n,
                    "queries": row[2] / n,
                }
                for name, row in sorted(phases.totals.items(), key=lambda kv: -kv[1][0])
            }
            inside = sum(r["ms"] for r in rows.values())
            inside_sql = sum(r["sql_ms"] for r in rows.values())
            inside_q = sum(r["queries"] for r in rows.values())
            self.phase_results[ep.name] = {
                "requests": n,
                "wall_ms_per_request": statistics.fmean(walls),
                "sql_ms_per_request": phases.sql_ms / n,
                "queries_per_request": phases.queries / n,
                "functions": rows,
                "rest": {
                    "ms": statistics.fmean(walls) - inside,
                    "sql_ms": phases.sql_ms / n - inside_sql,
                    "queries": phases.queries / n - inside_q,
                },
            }
            if re.fullmatch(r"/organer/\d+/planer/\d+/", urls[0]):
                self.phase_results[ep.name]["template"] = self.template_split(clients[0], urls[0])

    def template_split(self, client, url: str) -> dict[str, float]:
        """The plan page's template rendered again from the view's own context, whole and
        without its parts (median of 5 each): what the project sections and the participation
        matrix cost."""
        from django.template.loader import render_to_string

        from samarbeid.portfolio.views import pages

        captured: dict = {}
        original = pages.render

        def capture(request, template_name, context=None, *args, **kwargs):
            captured.update(request=request, template=template_name, context=context)
            return original(request, template_name, context, *args, **kwargs)

        pages.render = capture
        try:
            client.get(url)
        finally:
            pages.render = original
        context, request = captured["context"], captured["request"]
        variants = {
            "whole template": context,
            "without the participation matrix": {**context, "matrix": [], "columns": []},
            "without the project sections": {**context, "groups": []},
            "without both": {**context, "matrix": [], "columns": [], "groups": []},
        }
        out = {}
        for name, ctx in variants.items():
            times = []
            for _ in range(5):
                start = time.perf_counter()
                render_to_string(captured["template"], ctx, request)
                times.append((time.perf_counter() - start) * 1000)
            out[name] = statistics.median(times)
        out["cells in the matrix"] = sum(len(cells) for _, cells in context["matrix"])
        return out

    def profile_failing(self, client, documents: bool) -> None:
        """cProfile of the endpoints that miss their goal (all with --profile), over requests
        for objects already measured (no cache of ours is on, so they are not faster)."""
        a = self.args
        for ep in self.endpoints.values():
            if not ep.samples_ms or not (a.profile or ep.met is False):
                continue
            if documents != (ep.goal_ms is None or ep.goal_ms >= 1000):
                continue
            runs = 2 if ep.goal_ms is None or ep.goal_ms >= 1000 else a.profile_requests
            urls = ep.urls[:runs]
            clients = self.clients_for(client, ep, urls)
            print(f"profiling {ep.name} ({len(urls)} requests) …", file=sys.stderr)
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            for c, url in zip(clients, urls, strict=True):
                c.get(url)
            profiler.disable()
            wall = (time.perf_counter() - start) / len(urls) * 1000
            stats = pstats.Stats(profiler)
            groups = {}
            for label, (path, func) in PROFILE_GROUPS.items():
                best = 0.0
                for (filename, _line, fname), (_cc, _nc, _tt, ct, _c) in stats.stats.items():
                    if fname == func and filename.replace(os.sep, "/").endswith(path):
                        best = max(best, ct)
                if best:
                    groups[label] = best / len(urls) * 1000
            own = io.StringIO()
            pstats.Stats(profiler, stream=own).sort_stats("tottime").print_stats(15)
            cum = io.StringIO()
            pstats.Stats(profiler, stream=cum).sort_stats("cumulative").print_stats(30)
            self.profiles[ep.name] = {
                "requests": len(urls),
                "wall_ms_per_request_profiled": wall,
                "cumulative_ms_per_request": groups,
                "top_tottime": strip_profile(own.getvalue()),
                "top_cumulative": strip_profile(cum.getvalue()),
            }

    def close(self) -> None:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if self.pg is not None:
            if self.args.keep_db:
                print(f"kept: {self.pg.url_for(self.dbname)}", file=sys.stderr)
            else:
                self.pg.drop(self.dbname)
            self.pg.close()
            self.pg = None
        shutil.rmtree(self.work, ignore_errors=True)


def strip_profile(text: str) -> str:
    keep, started = [], False
    site = str(Path(sys.prefix)) + f"/lib/python{sys.version_info[0]}.{sys.version_info[1]}/"
    for line in text.splitlines():
        if line.strip().startswith("ncalls"):
            started = True
        if started and line.strip():
            keep.append(
                line.replace(site + "site-packages/", "")
                .replace(site, "")
                .replace(str(REPO) + "/", "")
            )
    return "\n".join(keep)


# --- report --------------------------------------------------------------------------------------


def result_rows(endpoints: dict[str, Endpoint]) -> Iterator[list[str]]:
    for ep in endpoints.values():
        if not ep.samples_ms:
            yield [ep.name, "not measured: " + ep.extra.get("missing", "?")] + [""] * 9
            continue
        queries = (
            ""
            if not ep.queries
            else str(ep.queries[0])
            if len(set(ep.queries)) == 1
            else f"{min(ep.queries)}–{max(ep.queries)}"
        )
        yield [
            ep.name,
            str(len(ep.samples_ms)),
            fmt_ms(ep.median),
            fmt_ms(ep.p95),
            fmt_ms(min(ep.samples_ms)),
            fmt_ms(max(ep.samples_ms)),
            fmt_ms(statistics.median(ep.warmup_ms)) if ep.warmup_ms else "",
            queries,
            fmt_ms(statistics.median(ep.sql_ms)) if ep.sql_ms else "",
            fmt_ms(statistics.fmean(ep.gc_ms)) if ep.gc_ms else "",
            f"{statistics.median(ep.bytes) / 1000:.0f}",
        ]


def report(bench: Bench, machine: dict[str, str], src_end: str) -> str:
    a, info, eps = bench.args, bench.info, bench.endpoints
    counts = info.get("counts", {})
    assert isinstance(counts, dict)
    lines = [
        "# Portfolio benchmark",
        "",
        f"Generated by `python benchmarks/bench_portfolio.py` ({a.bodies} bodies, {a.years} "
        f"plans each from {FIRST_YEAR}, {a.projects} projects per plan, seed {a.seed}; "
        f"{a.requests} requests per page, {a.doc_runs} per document).",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in machine.items()]
    lines.append(
        f"- PostgreSQL server: {info.get('postgres')}, shared_buffers {info.get('shared_buffers')}"
    )
    start_src = machine.get("source (sha256 of src/**/*.py, to tell runs apart)")
    if start_src and start_src != src_end:
        lines.append(
            f"- **WARNING: src/ changed during the run** (src digest {start_src} at the start, "
            f"{src_end} at the end)"
        )
    if bench.loads:
        lines.append(
            "- 1-minute load average before each part (after waiting up to "
            f"{a.max_wait:g} s for ≤ {a.max_load:g}): "
            + "; ".join(
                f"{part} {x['load']:.2f}"
                + (f" (waited {x['waited_s']} s)" if x["waited_s"] else "")
                for part, x in bench.loads.items()
            )
        )
    lines += [
        "- Django, the test client and PostgreSQL share the machine's cores.",
        "",
        "## Data",
        "",
        f"Made by `benchmarks/make_portfolio.py` (seeded, `bulk_create`) in a fresh database, "
        f"migrated first in {info.get('migrate_s')} s (with the reference data: the "
        f"municipalities). Generation took **{info.get('generate_s')} s** (not a goal); "
        f"then `VACUUM ANALYZE` {info.get('vacuum_analyze_s')} s. Database size "
        f"{int(info.get('database_bytes', 0)) / 1e6:.0f} MB.",
        "",
        "| model | rows | per |",
        "|---|---:|---|",
    ]
    n_bodies = counts.get("CooperationBody", 0) or 1
    n_projects = counts.get("Project", 0) or 1
    n_plans = counts.get("ActionPlan", 0) or 1
    per = {
        "BodyMember": ("body", n_bodies),
        "GoverningBody": ("body", n_bodies),
        "GoverningMember": ("body", n_bodies),
        "ActionPlan": ("body", n_bodies),
        "Decision": ("body", n_bodies),
        "Project": ("plan", n_plans),
        "PlanProject": ("plan", n_plans),
        "Milestone": ("project", n_projects),
        "Participation": ("project", n_projects),
        "FundingApplication": ("project", n_projects),
        "Agreement": ("body", n_bodies),
        "AgreementVersion": ("body", n_bodies),
    }
    for model, rows in counts.items():
        unit, denominator = per.get(model, ("", 0))
        ratio = f"{rows / denominator:.2f} per {unit}" if denominator else ""
        lines.append(f"| {model} | {rows:,} | {ratio} |".replace(",", " "))
    lines += [
        "",
        f"Plans {FIRST_YEAR}–{FIRST_YEAR + a.years - 1}; the last year's plan is a draft (the "
        "public sees the approved ones). Milestones due before "
        f"{AS_OF.isoformat()} are 85 % done; the plan's findings (overdue milestones) are "
        "computed on the day of the run, so their number grows with the date.",
        "",
        "## Method",
        "",
        "One Python process: Django set up against the database (`CONN_MAX_AGE` 60, "
        "`DEBUG` off), requests through `django.test.Client` (no HTTP server, no network), "
        "anonymous unless said otherwise. The public page cache is off "
        "(`SAMARBEID_PAGE_CACHE=0`, checked in `settings.PAGE_CACHE`), and every request asks "
        "for another body or plan: nothing is served from a cache of ours (PostgreSQL's "
        f"buffers are warm). {WARMUP} warm-up requests per endpoint first (other objects; "
        "their median is the «warm-up» column, the process's first request included). The "
        "three pages are measured in rounds (body, plan, JSON, body, …) so that load from "
        "other processes hits them alike. Time: wall time of `client.get()` (the whole "
        "request: middleware, view, queries, template or JSON). Queries: counted "
        "with `CaptureQueriesContext` (and timed with `connection.execute_wrapper`) on "
        f"{CAPTURES} further requests (other objects), "
        "not timed; «SQL ms» = the time spent in the driver's execute (incl. the fetch) for "
        "them, summed (median over those requests). «GC ms» = Python's garbage collector "
        "inside the measured requests (`gc.callbacks`), mean per request. p95 = nearest "
        "rank.",
        "",
        "## Results",
        "",
        "| endpoint | requests | median ms | p95 ms | min ms | max ms | warm-up ms | "
        "queries / request | SQL ms / request | GC ms / request | kB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in result_rows(eps)]
    if info.get("gc_objects_after_documents"):
        lines += [
            "",
            "Objects tracked by Python's garbage collector in the process: "
            f"{info['gc_objects_before_documents']:_} before the documents, "
            f"{info['gc_objects_after_documents']:_} after them.".replace("_", " "),
        ]
    lines += ["", "## Goals", "", "| measure | value | goal | met |", "|---|---:|---:|:-:|"]
    for ep in eps.values():
        if ep.goal_ms is None:
            continue
        note = f" ({ep.goal_note})" if ep.goal_note else ""
        if not ep.samples_ms:
            lines.append(f"| {ep.name}, median{note} | not measured | | NO |")
            continue
        if ep.goal_ms >= 1000:
            value, goal = f"{ep.median / 1000:.2f} s", f"< {ep.goal_ms / 1000:g} s"
        else:
            value, goal = f"{fmt_ms(ep.median)} ms", f"< {ep.goal_ms:g} ms"
        lines.append(
            f"| {ep.name}, median{note} | {value} | {goal} | {'yes' if ep.met else 'NO'} |"
        )
    lines += ["", "## Queries of one request", ""]
    lines.append(
        "Per endpoint: the distinct queries (as Django sends them: parameters as `%s`, "
        "column lists and `IN` lists shortened), how often each ran in one request, their "
        "time (ms, execute + fetch, measured with `connection.execute_wrapper`) and the line "
        "of our code that ran them."
    )
    for ep in eps.values():
        if not ep.query_shapes:
            continue
        lines += ["", f"### {ep.name}: {ep.queries[0]} queries", ""]
        lines += ["| × | ms | query | from |", "|---:|---:|---|---|"]
        for q in ep.query_shapes:
            sql = q["sql"].replace("|", "\\|")
            sql = sql if len(sql) <= 200 else sql[:200] + " …"
            origin = "; ".join(
                f"`{o}`" + (f" ×{k}" if len(q["origin"]) > 1 else "")
                for o, k in q["origin"].items()
            )
            lines.append(f"| {q['count']} | {q['ms']:.1f} | `{sql}` | {origin} |")
    breakdowns = [
        (ep.name, ep.extra["breakdown_ms"]) for ep in eps.values() if ep.extra.get("breakdown_ms")
    ]
    if breakdowns:
        lines += ["", "## Where a document's time goes (one run each, for information)", ""]
        for name, parts in breakdowns:
            lines.append(
                f"- {name}: "
                + "; ".join(
                    f"{k} {v:.0f}" if k == "pages" else f"{k} {v:.0f} ms" for k, v in parts.items()
                )
            )
    if bench.phase_results:
        lines += [
            "",
            "## Where the time goes (endpoints that miss 100 ms; no profiler)",
            "",
            "Further requests (the measured objects again; no cache of ours is on). Each "
            "function the view calls is wrapped in its module while they run: its wall time per "
            "request, the SQL time and queries inside it; «rest» = the request's wall time "
            "minus these (the view's own code: loading the plan's entries with their "
            "prefetches, building the rows; the middleware).",
        ]
        for name, res in bench.phase_results.items():
            lines += [
                "",
                f"### {name}",
                "",
                f"{res['requests']} requests: {res['wall_ms_per_request']:.0f} ms per request "
                f"(mean), {res['queries_per_request']:.0f} queries, "
                f"{res['sql_ms_per_request']:.0f} ms in SQL.",
                "",
                "| function (as the view calls it) | calls / request | ms / request | "
                "SQL ms | queries |",
                "|---|---:|---:|---:|---:|",
            ]
            for fname, r in res["functions"].items():
                lines.append(
                    f"| `{fname}` {PHASE_LABELS.get(fname, '')} | {r['calls']:g} | "
                    f"{r['ms']:.1f} | {r['sql_ms']:.1f} | {r['queries']:.0f} |"
                )
            rest = res["rest"]
            lines.append(
                f"| rest of the request | | {rest['ms']:.1f} | {rest['sql_ms']:.1f} | "
                f"{rest['queries']:.0f} |"
            )
            split = res.get("template")
            if split:
                whole = split["whole template"]
                sections = whole - split["without the project sections"]
                matrix = whole - split["without the participation matrix"]
                lines += [
                    "",
                    "The template again from the view's own context (median of 5 renderings "
                    f"each): whole {whole:.1f} ms; the {a.projects} project sections "
                    f"≈ {sections:.1f} ms (whole − without them); the participation matrix "
                    f"({split['cells in the matrix']} cells) ≈ {matrix:.1f} ms (whole − "
                    f"without it); the rest of the page {split['without both']:.1f} ms.",
                ]
    if bench.profiles:
        lines += [
            "",
            "## Profile",
            "",
            "cProfile of further requests (the measured objects again) of the endpoints that "
            "miss their goal (or all, with `--profile`); the profiler roughly doubles the "
            "time. Cumulative times overlap (SQL runs inside the template for lazy "
            "querysets, plan_findings inside plan_data …).",
        ]
        for name, prof in bench.profiles.items():
            lines += [
                "",
                f"### {name}",
                "",
                f"{prof['requests']} requests, {prof['wall_ms_per_request_profiled']:.0f} ms "
                "per request under the profiler. Cumulative ms per request: "
                + "; ".join(f"{k} {v:.1f}" for k, v in prof["cumulative_ms_per_request"].items())
                + ".",
                "",
                "Top functions by own time:",
                "",
                "```",
                prof["top_tottime"],
                "```",
                "",
                "Top functions by cumulative time:",
                "",
                "```",
                prof["top_cumulative"],
                "```",
            ]
    if a.notes:
        lines += ["", a.notes.read_text(encoding="utf-8").strip()]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=80)
    parser.add_argument("--years", type=int, default=10, help="plans per body, from 2016 (10)")
    parser.add_argument("--projects", type=int, default=100, help="projects per plan (100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=40, help="measured requests per page (40)")
    parser.add_argument("--doc-runs", type=int, default=5, help="runs per document (5)")
    parser.add_argument(
        "--no-signed-in",
        action="store_true",
        help="skip the pages as the body's secretariat (for information)",
    )
    parser.add_argument(
        "--postgres-url",
        default=None,
        help="admin URL of a server where the user may CREATE DATABASE "
        "(default: scripts/postgres.sh, started if needed and then stopped again)",
    )
    parser.add_argument(
        "--own-postgres",
        type=int,
        metavar="PORT",
        default=None,
        help="run a throwaway cluster of our own on this port (e.g. 55499) "
        "instead of the shared scripts/postgres.sh one",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile every endpoint, not only failing ones"
    )
    parser.add_argument("--profile-requests", type=int, default=10)
    parser.add_argument(
        "--max-load",
        type=float,
        default=1.5,
        help="before each part, wait while the 1-minute load is above this (1.5)",
    )
    parser.add_argument("--max-wait", type=float, default=180.0, help="… at most this long (s)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--out", type=Path, default=RESULTS / "portfolio.md")
    parser.add_argument(
        "--notes", type=Path, default=None, help="a Markdown file appended to the report"
    )
    args = parser.parse_args(argv)
    if args.requests < 30:
        print("note: fewer than 30 requests per page", file=sys.stderr)

    machine = machine_info()
    bench = Bench(args)
    started = time.perf_counter()
    try:
        bench.prepare()
        bench.run()
    except (BenchError, subprocess.CalledProcessError, RuntimeError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        bench.close()
    bench.info["total_s"] = round(time.perf_counter() - started, 1)
    machine["load average (1, 5, 15 min) at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    src_end = src_digest()
    text = report(bench, machine, src_end) + f"\nTotal benchmark time: {bench.info['total_s']} s.\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    raw = {
        "machine": machine,
        "src_at_end": src_end,
        "python": platform.python_version(),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "info": bench.info,
        "goals": {"page_median_ms": GOAL_PAGE_MS, "pdf_median_s": GOAL_PDF_S},
        "endpoints": [
            {
                **asdict(ep),
                "median_ms": ep.median if ep.samples_ms else None,
                "p95_ms": ep.p95 if ep.samples_ms else None,
                "goal_met": ep.met if ep.samples_ms else None,
            }
            for ep in bench.endpoints.values()
        ],
        "load_before": bench.loads,
        "phases": bench.phase_results,
        "profiles": bench.profiles,
    }
    args.out.with_suffix(".json").write_text(
        json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
