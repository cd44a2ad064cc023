"""Run several ``samarbeid`` commands in one process, one after the other (the bad-file corpus,
tests/intake/test_bad_files.py).

Each command goes through the real entry point (``samarbeid.cli.main``) with the settings and the
database of this process's environment; its standard output and error are kept apart from the
others'. An exception that escapes is written as the interpreter would (``Traceback …``) with exit
code 1. Starting Python and Django once per batch instead of once per file is what keeps ~200 runs
cheap.

    python tests/intake/cli_batch.py < commands.json > results.json

Input: a JSON list of argument lists. Output: a JSON list of ``{"returncode", "output"}``, in order.
"""

from __future__ import annotations

import io
import json
import sys
import traceback


def run_one(args: list[str]) -> dict[str, object]:
    from samarbeid.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(args)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except Exception:
        err.write(traceback.format_exc())
        code = 1
    finally:
        sys.stdout, sys.stderr = saved
    output = out.buffer.getvalue().decode("utf-8") + "\n" + err.buffer.getvalue().decode("utf-8")
    return {"returncode": code, "output": output}


def main() -> None:
    commands = json.load(sys.stdin)
    json.dump([run_one(args) for args in commands], sys.stdout)


if __name__ == "__main__":
    main()
