"""Output files: checked before any work, written whole or not at all."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from samarbeid.core import outfiles
from samarbeid.core.outfiles import (
    OutputRefused,
    atomic_target,
    check_folder,
    check_target,
    write_atomic,
)


def test_write_atomic_writes_whole_file(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "a.csv", b"x" * 10_000)
    assert target.read_bytes() == b"x" * 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d, "det er en mappe"),
        (lambda d: d / "mangler" / "a.csv", "mappen finnes ikke"),
        (
            lambda d: (
                ((d / "fil.txt").write_text("") and d / "fil.txt" / "a.csv")
                or d / "fil.txt" / "a.csv"
            ),
            "en del av stien er ikke en mappe",
        ),
        (lambda d: d / ("x" * 300 + ".csv"), "filnavnet er for langt"),
        (lambda d: Path("/dev/null"), "det er ikke en vanlig fil"),
    ],
)
def test_refused_before_any_work(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path)
    with pytest.raises(OutputRefused) as caught:
        check_target(path)
    assert message in caught.value.message("nb")
    assert caught.value.message("en") != caught.value.message("nb")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "rapport.xlsx"
    target.write_bytes(b"old")

    def full_disk(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outfiles.os, "replace", full_disk)
    with pytest.raises(OutputRefused) as caught:
        write_atomic(target, b"new")
    assert caught.value.message() == f"Kan ikke skrive {target}: disken er full."
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.xlsx"]


def test_an_error_inside_the_block_removes_the_temporary(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), atomic_target(tmp_path / "a.xlsx") as partial:
        partial.write_bytes(b"half")
        assert partial.suffix == ".xlsx" and partial.parent == tmp_path
        1 / 0  # noqa: B018
    assert list(tmp_path.iterdir()) == []


def test_check_folder(tmp_path: Path) -> None:
    assert check_folder(tmp_path / "ny" / "mappe").is_dir()
    (tmp_path / "fil").write_text("")
    with pytest.raises(OutputRefused, match="finnes og er ikke en mappe"):
        check_folder(tmp_path / "fil")


def test_shown_never_fails_on_foreign_bytes(tmp_path: Path) -> None:
    name = os.fsdecode(b"kartlegging-\xff.csv")
    assert outfiles.shown(tmp_path / name).endswith("kartlegging-\ufffd.csv")
