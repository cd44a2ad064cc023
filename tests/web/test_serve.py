"""``serve`` as a user runs it: a real process with waitress, a fresh SQLite database it migrates
itself, static files collected and served by WhiteNoise with hashed names and cache headers."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAMARBEID_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)  # never the developer's or CI's PostgreSQL: a throwaway SQLite
    env["SAMARBEID_VAR_DIR"] = str(var_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _serve(var_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "samarbeid", "manage", "serve", *args],
        env=_env(var_dir),
        cwd=var_dir.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl+C must reach the server even when the test run itself ignores it (background job).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for_url(process: subprocess.Popen, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                pytest.fail(f"serve stopped: {process.returncode}\n{process.stderr.read()}")
            continue
        match = re.search(r"(http://\S+/) ", line)
        if match:
            return match.group(1)
    pytest.fail("serve printed no URL")


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()
    process.stderr.close()


def test_serve_runs_the_site(tmp_path):
    var_dir = tmp_path / "var"
    process = _serve(var_dir, "--host", "127.0.0.1", "--port", "0")
    try:
        url = _wait_for_url(process)
        assert url.startswith("http://127.0.0.1:")
        status, headers, body = _get(url)
        assert status == 200
        html = body.decode()
        assert '<html lang="nb">' in html and "ingen kartlegginger" in html  # migrated, empty
        assert headers["Server"] == "samarbeid"
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # not without SAMARBEID_HTTPS=1

        css = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', html)
        assert css, "the stylesheet link has no hashed name"
        status, headers, body = _get(url.rstrip("/") + css.group(1))
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "immutable" in headers["Cache-Control"]
        assert b".skip-link" in body
        assert (var_dir / "static" / "staticfiles.json").exists()

        status, _, body = _get(url + "kartlegginger/1/")
        assert status == 404 and "Fant ikke siden" in body.decode()
    finally:
        _stop(process)


def test_serve_rejects_a_bad_port(tmp_path):
    process = _serve(tmp_path / "var", "--port", "70000")
    try:
        assert process.wait(timeout=60) == 1
        assert "Ugyldig port 70000" in process.stderr.read()
    finally:
        _stop(process)


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    process = _serve(tmp_path / "var", "--port", "0")
    try:
        _wait_for_url(process)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "Stoppet." in process.stdout.read()
    finally:
        _stop(process)


def test_serving_keeps_the_collector_off_loaded_objects():
    import gc

    from samarbeid.web.wsgi import GC_YOUNG_THRESHOLD, tune_garbage_collection

    before = gc.get_threshold()
    try:
        tune_garbage_collection()
        assert gc.get_freeze_count() > 10_000  # Django, pandas, the reference data
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *before[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
