"""Atomic writes: a failed export never leaves a half-written file in place of a good one.

Only a regular file (or a path that does not exist yet) is replaced by renaming a temporary
file over it. A FIFO, a character device (``/dev/null``, a terminal), ``/dev/stdout`` and any
other special file is written in place, since renaming over it would replace the device or
pipe with a regular file (as root: ``/dev/full`` or a FIFO whose reader then got nothing). A
symlink is followed: its target is what gets written, and the link stays a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import ExportError


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    The temporary file lives in the same folder so that the final ``os.replace`` is atomic on
    POSIX and Windows. Any exception inside the block removes the temporary file and leaves
    whatever was at ``path`` untouched.

    Raises
    ------
    ExportError
        If the folder does not exist or cannot be written.
    """
    shown = Path(path)
    binary = "b" in mode
    try:
        st = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise ExportError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise ExportError(f"{shown}: is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield from _write_in_place(shown, mode, encoding)
        return
    # a symlink (even a dangling one) is followed: its target is replaced, the link stays
    target = Path(os.path.realpath(path)) if os.path.islink(path) else shown
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{shown}: folder {Path(path).parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"{shown}: cannot write in {folder}: {exc.strerror}") from None
    from .limits import forget, on_abort

    key = on_abort(lambda: os.unlink(tmp))  # a command stopped by its guard leaves no temp file
    try:
        # mkstemp creates the file readable by its owner only; give it the mode any new file
        # gets (0666 less the umask), or a shared view or export is unreadable to colleagues.
        # (os.fchmod does not exist on Windows, where the mode bits do not apply.)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~_umask())
        try:
            with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "") as fh:
                yield fh
        except OSError as exc:  # a full disk: one line naming the file
            raise ExportError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        forget(key)


def _write_in_place(shown: Path, mode: str, encoding: str | None) -> Iterator[IO]:
    """Write straight into a FIFO or device: nothing to rename, and nothing to leave half-done."""
    binary = "b" in mode
    try:
        with open(shown, mode, encoding=None if binary else encoding, newline=None if binary else "") as fh:
            yield fh
    except OSError as exc:  # /dev/full, a FIFO whose reader left
        raise ExportError(f"{shown}: cannot write: {exc.strerror or exc}") from None


def _umask() -> int:
    """The process umask (reading it means setting it; it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_folder_target(folder: Path, force: bool, shown: Path | None = None,
                        error: type[Exception] = ExportError) -> None:
    """Refuse a target folder that is a file, or a folder that is not empty without ``force``."""
    name = shown if shown is not None else folder
    if folder.exists() and not folder.is_dir():
        raise error(f"{name}: exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise error(f"{name}: folder is not empty (use --force to replace it)")


@contextlib.contextmanager
def folder_in_place(folder: str | os.PathLike[str], *, force: bool = False,
                    error: type[Exception] = ExportError) -> Iterator[Path]:
    """Yield a temporary folder beside ``folder``; on success it replaces ``folder`` as a whole.

    A folder of many files (a release, a site) is never seen half-written: it is built in a
    hidden sibling and renamed into place, the old one kept until the rename succeeded. A
    ``folder`` that exists and is not empty is refused unless ``force``. Any exception (Ctrl-C
    included) removes the temporary folder and leaves ``folder`` as it was.
    """
    import shutil

    shown = Path(folder)
    target = shown.resolve()  # "." or "site/": the folder itself, renamed within its real parent
    check_folder_target(target, force, shown, error)
    parent = target.parent
    if not parent.is_dir():
        raise error(f"{shown}: folder {parent} does not exist")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise error(f"{shown}: cannot write in {parent}: {exc.strerror}") from None
    from .limits import forget, on_abort

    key = on_abort(lambda: shutil.rmtree(tmp, ignore_errors=True))  # Ctrl-C or the time limit
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        check_folder_target(target, force, shown, error)  # again: someone may have written there meanwhile
        if target.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            old.rmdir()
            os.rename(target, old)
            try:
                os.rename(tmp, target)
            except BaseException:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        forget(key)
