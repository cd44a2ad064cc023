"""Files the commands write: checked before any work, written whole or not at all.

:func:`check_target` says before anything is computed or stored whether a file can be written
where the user asked (not a folder, the folder exists and is writable). :func:`write_atomic` and
:func:`atomic_target` write to a temporary file beside the target and rename it into place only
when everything was written: a full disk, a lost permission or an error half-way leaves no
half-written file and never replaces a good one. Problems are :class:`OutputRefused` with a
message in bokmål; its English comes from the one catalogue (django.po, see :mod:`.i18n`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .i18n import Text, gettext_noop


class OutputRefused(Exception):
    """A file cannot be written where asked; ``message(lang)`` says why."""

    def __init__(self, path: Path, reason: Text) -> None:
        self.path = path
        self.reason = reason
        super().__init__(reason.text())

    def message(self, lang: str = "nb") -> str:
        return self.reason.text(lang)


def shown(path: Path | str) -> str:
    """A path as text that can always be printed and stored: bytes that are not UTF-8 (a file
    name from another system) become U+FFFD instead of lone surrogates."""
    return os.fsencode(path).decode("utf-8", "replace")


_REASONS = {
    errno.ENOSPC: gettext_noop("disken er full"),
    errno.EDQUOT: gettext_noop("diskkvoten er brukt opp"),
    errno.EACCES: gettext_noop("mangler skrivetilgang"),
    errno.EPERM: gettext_noop("mangler skrivetilgang"),
    errno.EROFS: gettext_noop("filsystemet er skrivebeskyttet"),
    errno.ENAMETOOLONG: gettext_noop("filnavnet er for langt"),
    errno.EISDIR: gettext_noop("det er en mappe"),
    errno.ENOENT: gettext_noop("mappen finnes ikke"),
    errno.ENOTDIR: gettext_noop("en del av stien er ikke en mappe"),
}


def _why(error: OSError) -> Text | str:
    """Why the system refused, in words; an error we do not know by the system's own words."""
    reason = _REASONS.get(error.errno or 0)
    return Text(reason) if reason else (error.strerror or str(error))


def refused(path: Path, error: OSError) -> OutputRefused:
    return OutputRefused(
        path,
        Text(
            gettext_noop("Kan ikke skrive {path}: {reason}."), path=shown(path), reason=_why(error)
        ),
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
            Text(
                gettext_noop("Kan ikke skrive {path}: det er ikke en vanlig fil."), path=shown(path)
            ),
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
            path, Text(gettext_noop("{path} finnes og er ikke en mappe."), path=shown(path))
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputRefused(
            path,
            Text(
                gettext_noop("Kan ikke opprette mappen {path}: {reason}."),
                path=shown(path),
                reason=_why(error),
            ),
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
