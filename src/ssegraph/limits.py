"""Bounds on a command-line run: a time limit, a memory limit, and Ctrl-C that always works.

pyoxigraph cannot be interrupted: it has no cancellation, and while it evaluates a query it
runs Rust code with the GIL released, so Python's own SIGINT handler (and anything a signal
handler could do) waits until the query ends, which for a cross product or a big ``ORDER BY``
may be never, or after all memory is gone. What still runs meanwhile is another thread: the
engine releases the GIL (measured: a watchdog thread ticks 100 times a second through a 1.6 s
query), and the C-level signal handler writes each signal number to the file descriptor given
to :func:`signal.set_wakeup_fd` even while the main thread is busy. :class:`Guard` is that
thread. It wakes on Ctrl-C, at the time limit, and every 50 ms to look at the process's
resident memory, and when a bound is crossed it removes the temporary files registered with
:func:`on_abort`, writes one line on stderr and ends the process with ``os._exit``.

Why a thread and not a worker process: a one-shot ``ssegraph query`` spends about 30 ms on a
small store, and starting a second interpreter that imports pyoxigraph and opens the store
costs as much again (the benchmark's target is 1.3× a minimal pyoxigraph script); forking
after the store is open is unsafe with RocksDB's threads, and Windows has no fork. The guard
costs a pipe and a sleeping thread (see ``benchmarks/run.py``, "time limit on the fast path").

Only the command line installs a guard (:func:`install`, from ``ssegraph.cli.main``): ending
the process is the right answer to Ctrl-C or a runaway query in a terminal, never in a
library, a notebook or a test runner. In Python, bound a query by running it in a process you
can stop (``multiprocessing``, ``subprocess``), or against ``ssegraph serve``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

__all__ = ["Guard", "current", "forget", "install", "on_abort"]

#: Seconds Python gets to end the command by itself after Ctrl-C (it can when the main thread
#: is in Python code: KeyboardInterrupt, finally blocks) before the guard ends the process.
GRACE = 0.5
#: How often the resident memory is read while a memory limit is set.
MEMORY_POLL = 0.05

_cleanups: dict[int, Callable[[], None]] = {}
_ids = itertools.count()
_current: Guard | None = None


def on_abort(fn: Callable[[], None]) -> int:
    """Run ``fn`` if the guard ends the process (remove a temp file, stop a child); a token."""
    key = next(_ids)
    _cleanups[key] = fn
    return key


def forget(key: int) -> None:
    """Drop a callable registered with :func:`on_abort` (its work is done)."""
    _cleanups.pop(key, None)


def current() -> Guard | None:
    """The guard of this process, if the command line installed one."""
    return _current


def install(*, max_memory_mb: float | None = None) -> Guard:
    """Start the guard of a command-line process (main thread only); Ctrl-C works from now on."""
    global _current
    if _current is None:
        _current = Guard(max_memory_mb=max_memory_mb)
        _current.start()
    return _current


def resident_bytes() -> int | None:
    """The process's resident memory now (Linux), or its peak elsewhere; None if unknown."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
    except (ImportError, OSError):
        return None


def resident_bytes_of(pid: int) -> int | None:
    """Another process's resident memory (Linux); None if unknown."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def default_memory_limit() -> int | None:
    """80% of the memory available when the command starts (Linux; within a container's cgroup
    limit when it has one), else of the physical memory."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    with contextlib.suppress(OSError, ValueError):
                        with open("/sys/fs/cgroup/memory.max") as cg:
                            available = min(available, int(cg.read().strip()))  # "max": no cgroup limit
                    return int(available * 0.8)
    with contextlib.suppress(ValueError, OSError, AttributeError):
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") * 0.8)
    return None


class Guard:
    """The watchdog thread of one command-line process (see the module docstring)."""

    def __init__(self, *, max_memory_mb: float | None = None):
        self.max_memory = int(max_memory_mb * 1024 * 1024) if max_memory_mb else None
        self.explicit_memory = max_memory_mb is not None
        self.grace = GRACE
        self.deadline: float | None = None
        self.limit: float | None = None
        self._interrupted: float | None = None
        self._stopped = False
        self._changed = threading.Event()
        self._thread: threading.Thread | None = None
        self._read_fd: int | None = None
        self._sockets: tuple = ()

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> None:
        """Route signals to the wake-up descriptor and start the thread."""
        if threading.current_thread() is not threading.main_thread():
            return
        if os.name == "nt":  # Windows: set_wakeup_fd needs a socket
            import socket

            r, w = socket.socketpair()
            r.setblocking(False)
            w.setblocking(False)
            self._sockets = (r, w)
            read_fd, write_fd = r.fileno(), w.fileno()
        else:
            read_fd, write_fd = os.pipe()
            os.set_blocking(write_fd, False)
        try:
            signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
        except (ValueError, OSError):
            return
        self._read_fd = read_fd
        self._thread = threading.Thread(target=self._watch, name="ssegraph-guard", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """The command is ending by itself: the guard says nothing more."""
        self._stopped = True
        self._changed.set()

    def arm(self, seconds: float | None, what: str = "the query") -> None:
        """Start the time limit now: ``seconds`` from now the command is stopped (None: no limit)."""
        self.limit = seconds if seconds and seconds > 0 else None
        self.what = what
        self.deadline = time.monotonic() + self.limit if self.limit else None
        self._changed.set()

    def disarm(self) -> None:
        """No time limit from now on."""
        self.deadline = self.limit = None
        self._changed.set()

    def set_memory_limit(self, mb: float | None) -> None:
        """Change the memory limit (None: the default, 0: none)."""
        if mb is None:
            return
        self.explicit_memory = True
        self.max_memory = int(mb * 1024 * 1024) if mb > 0 else None
        self._changed.set()

    # -- the thread ------------------------------------------------------------------------
    def _watch(self) -> None:
        import select

        if not self.explicit_memory:
            self.max_memory = default_memory_limit()
        fd = self._read_fd
        while not self._stopped:
            now = time.monotonic()
            waits = [1.0]
            if self.max_memory:
                waits.append(MEMORY_POLL)
            if self.deadline is not None:
                waits.append(max(0.0, self.deadline - now))
            if self._interrupted is not None:
                waits.append(max(0.0, self._interrupted + self.grace - now))
            self._changed.clear()
            try:
                ready, _, _ = select.select([fd], [], [], min(waits))
            except (OSError, ValueError):
                return
            if ready:
                try:
                    data = os.read(fd, 64) if os.name != "nt" else self._sockets[0].recv(64)
                except (BlockingIOError, OSError):
                    data = b""
                if signal.SIGINT in data and self._interrupted is None:
                    self._interrupted = time.monotonic()
            if self._stopped:
                return
            now = time.monotonic()
            if self._interrupted is not None and now >= self._interrupted + self.grace:
                self._abort(130, "Aborted.")
            if self.deadline is not None and now >= self.deadline:
                self._abort(2, f"Error: {self.what} took longer than the time limit of {self.limit:g} s "
                               "(raise it with --timeout S, or --timeout 0 for none)")
            if self.max_memory:
                rss = resident_bytes()
                if rss is not None and rss > self.max_memory:
                    mb = self.max_memory // (1024 * 1024)
                    self._abort(2, f"Error: the command needed more than {mb} MB of memory and was stopped "
                                   "(a cross product or a large ORDER BY? raise the limit with --max-memory MB)")

    def _abort(self, code: int, message: str) -> None:
        if self._stopped:
            return
        for fn in list(_cleanups.values()):
            with contextlib.suppress(Exception):
                fn()
        with contextlib.suppress(OSError):
            os.write(2, (message + "\n").encode("utf-8", "replace"))
        os._exit(code)
