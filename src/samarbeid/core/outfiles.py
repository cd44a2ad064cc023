"""Files the commands write: checked before any work, written whole or not at all.

:func:`check_target` says before anything is computed or stored whether a file can be written
where the user asked (not a folder, the folder exists and is writable). :func:`write_atomic` and
:func:`atomic_target` write to a temporary file beside the target and rename it into place only
when everything was written: a full disk, a lost permission or an error half-way leaves no
half-written file and never replaces a good one. Problems are :class:`OutputRefused` with a
message in Norwegian and English.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputRefused(Exception):
    """A file cannot be written where asked; ``message(lang)`` says why."""

    def __init__(self, path: Path, nb: str, en: str) -> None:
        self.path = path
        self.nb = nb
        self.en = en
        super().__init__(nb)

    def message(self, lang: str = "nb") -> str:
        return self.en if lang == "en" else self.nb


def shown(path: Path | str) -> str:
    """A path as text that can always be printed and stored: bytes that are not UTF-8 (a file
    name from another system) become U+FFFD instead of lone surrogates."""
    return os.fsencode(path).decode("utf-8", "replace")


def _why(error: OSError) -> tuple[str, str]:
    reasons = {
        errno.ENOSPC: ("disken er full", "the disk is full"),
        errno.EDQUOT: ("diskkvoten er brukt opp", "the disk quota is used up"),
        errno.EACCES: ("mangler skrivetilgang", "no permission to write"),
        errno.EPERM: ("mangler skrivetilgang", "no permission to write"),
        errno.EROFS: ("filsystemet er skrivebeskyttet", "the file system is read-only"),
        errno.ENAMETOOLONG: ("filnavnet er for langt", "the file name is too long"),
        errno.EISDIR: ("det er en mappe", "it is a folder"),
        errno.ENOENT: ("mappen finnes ikke", "the folder does not exist"),
        errno.ENOTDIR: ("en del av stien er ikke en mappe", "part of the path is not a folder"),
    }
    return reasons.get(error.errno or 0, (error.strerror or str(error),) * 2)


def refused(path: Path, error: OSError) -> OutputRefused:
    nb, en = _why(error)
    return OutputRefused(
        path, f"Kan ikke skrive {shown(path)}: {nb}.", f"Cannot write {shown(path)}: {en}."
    )


def check_target(path: Path | str) -> Path:
    """The file ``path`` can be created or replaced: raise :class:`OutputRefused` if not."""
    path = Path(path)
    try:
        return _check_target(path)
    except OSError as error:  # stat itself failed: a name too long, a loop of links, …
        raise refused(path, error) from None


def _check_target(path: Path) -> Path:
    if len(os.fsencode(path.name)) > 255:
        raise OSError(errno.ENAMETOOLONG, "name too long")
    if path.is_dir():
        raise OSError(errno.EISDIR, "is a directory")
    if path.exists() and not path.is_file():
        # A device, a pipe or a socket: never replaced by a file of ours (/dev/full, /dev/null).
        raise OutputRefused(
            path,
            f"Kan ikke skrive {shown(path)}: det er ikke en vanlig fil.",
            f"Cannot write {shown(path)}: it is not a regular file.",
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise OSError(errno.ENOENT, "no such directory")
    if not folder.is_dir():
        raise OSError(errno.ENOTDIR, "not a directory")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OSError(errno.EACCES, "permission denied")
    return path


def check_folder(path: Path | str) -> Path:
    """The folder ``path`` exists or can be created, and files can be written in it."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputRefused(
            path,
            f"{shown(path)} finnes og er ikke en mappe.",
            f"{shown(path)} exists and is not a folder.",
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        nb, en = _why(error)
        raise OutputRefused(
            path,
            f"Kan ikke opprette mappen {shown(path)}: {nb}.",
            f"Cannot create the folder {shown(path)}: {en}.",
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise refused(path, OSError(errno.EACCES, "permission denied"))
    return path


@contextlib.contextmanager
def atomic_target(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffix) to write to; renamed to ``path`` when the
    block ends without an error, removed otherwise."""
    path = check_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{path.stem[:50]}.", suffix=path.suffix, dir=folder
        )
    except OSError as error:
        raise refused(path, error) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise refused(path, error) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all."""
    path = Path(path)
    with atomic_target(path) as temporary:
        temporary.write_bytes(data)
    return path


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once at import (os.umask can only be read by setting it): new files get the usual mode.
_UMASK = _read_umask()
