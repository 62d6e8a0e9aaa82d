"""Run SPARQL queries on a store in a process of its own, so that a slow one can be stopped.

pyoxigraph cannot be interrupted, and Ctrl-C does not reach a query inside the engine; a process
can be killed. ``ssegraph.load(..., query_timeout=S)`` (:class:`ssegraph.graph.WorkerBackend`)
and the site's query gallery send their queries to one such process: it opens the store
read-only once and answers query after query (starting a Python and opening the store costs
about 0.1 s, fifteen times what a catalogue query costs). :class:`QueryWorker` kills it when a
query runs past the time limit or the worker's resident memory passes the limit (``RLIMIT_AS``
would count the address space RocksDB and its threads reserve, not what the query uses), and
starts a new one for the next query.

Usage: ``python -m ssegraph._query_worker STORE UNION``. Each request on stdin is an 8-byte
big-endian length and that many bytes of UTF-8 query text; each answer on stdout is an 8-byte
length and a payload whose first line is the kind (``select``, ``ask``, ``graph``, or
``error``/``syntax`` followed by a one-line message) and the rest the answer as SPARQL JSON
results or N-Triples.
"""

from __future__ import annotations

import contextlib
import io
import queue
import struct
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from .errors import QueryError

_LENGTH = struct.Struct(">Q")


class QueryTimeout(QueryError):
    """A query ran past the worker's time limit and was stopped."""


# -- the worker process ---------------------------------------------------------------------------
def _read_exact(stream: IO[bytes], n: int) -> bytes | None:
    data = stream.read(n)
    return data if data is not None and len(data) == n else None


def answer(store: Any, text: str, union: bool) -> bytes:
    """The payload for one query: kind line, then SPARQL JSON or N-Triples (or an error line)."""
    import pyoxigraph as ox

    out = io.BytesIO()
    try:
        result = store.query(text, use_default_graph_as_union=union)
        if isinstance(result, ox.QueryBoolean):
            out.write(b"ask\n")
            result.serialize(out, ox.QueryResultsFormat.JSON)
        elif isinstance(result, ox.QuerySolutions):
            out.write(b"select\n")
            result.serialize(out, ox.QueryResultsFormat.JSON)
        else:
            out.write(b"graph\n")
            ox.serialize(result, out, ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        return b"syntax\n" + " ".join(str(exc.msg or exc).split()).encode("utf-8")
    except (OSError, RuntimeError, ValueError) as exc:
        return b"error\n" + " ".join(str(exc).split()).encode("utf-8")
    return out.getvalue()


def main(argv: list[str]) -> int:
    import pyoxigraph as ox

    store = ox.Store.read_only(argv[0])
    union = argv[1] == "1"
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = _read_exact(stdin, _LENGTH.size)
        if head is None:
            return 0
        body = _read_exact(stdin, _LENGTH.unpack(head)[0])
        if body is None:
            return 0
        payload = answer(store, body.decode("utf-8"), union)
        stdout.write(_LENGTH.pack(len(payload)) + payload)
        stdout.flush()


# -- the client -----------------------------------------------------------------------------------
class QueryWorker:
    """One worker process over the store at ``path``, started on the first query and again after
    it was killed. ``timeout`` (seconds) and ``max_bytes`` (resident memory) bound each query;
    None or 0 means no bound."""

    def __init__(self, path: Path, *, union: bool = False, timeout: float | None = None,
                 max_bytes: int | None = None):
        self.path, self.union = path, union
        self.timeout = timeout if timeout and timeout > 0 else None
        self.max_bytes = max_bytes or 0
        self._proc: Any = None
        self._answers: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: Any = None

    def _start(self) -> Any:
        import subprocess
        import tempfile

        self._stderr = tempfile.TemporaryFile()
        cmd = [sys.executable, "-m", "ssegraph._query_worker", str(self.path), "1" if self.union else "0"]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr)
        answers: queue.Queue[bytes | None] = queue.Queue()

        def read() -> None:
            out = proc.stdout
            while out is not None:
                head = out.read(_LENGTH.size)
                if len(head) < _LENGTH.size:
                    break
                n = _LENGTH.unpack(head)[0]
                body = out.read(n)
                if len(body) < n:
                    break
                answers.put(body)
            answers.put(None)

        threading.Thread(target=read, name="ssegraph-query-worker", daemon=True).start()
        self._proc, self._answers = proc, answers
        return proc

    def close(self) -> None:
        """End the worker (it also ends by itself when this process does)."""
        import subprocess

        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            if proc.stdin:
                proc.stdin.close()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _kill(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        self.close()

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    def ask(self, text: str) -> tuple[str, bytes]:
        """Run ``text``; return the kind (``select``, ``ask``, ``graph``) and the answer's bytes.

        Raises
        ------
        QueryTimeout
            Past the time limit (the worker is killed; the next query starts a new one).
        QueryError
            A syntax error, a failed query, the memory limit, or a worker that ended; Ctrl-C
            kills the worker and propagates.
        """
        from .limits import resident_bytes_of

        proc = self._proc if self._proc is not None and self._proc.poll() is None else self._start()
        data = text.encode("utf-8")
        try:
            proc.stdin.write(_LENGTH.pack(len(data)) + data)
            proc.stdin.flush()
        except OSError:
            pass  # the worker is gone: the reader says so below
        deadline = time.monotonic() + self.timeout if self.timeout else None
        try:
            while True:
                try:
                    payload = self._answers.get(timeout=0.05)
                    break
                except queue.Empty:
                    pass
                if deadline is not None and time.monotonic() > deadline:
                    self._kill()
                    raise QueryTimeout(f"the query took longer than the time limit of {self.timeout:g} s")
                if self.max_bytes and (resident_bytes_of(proc.pid) or 0) > self.max_bytes:
                    self._kill()
                    raise QueryError(f"the query needed more than {self.max_bytes // (1024 * 1024)} MB of memory")
        except KeyboardInterrupt:
            self._kill()
            raise
        if payload is None:
            proc.wait()
            said = self._stderr_tail() or f"exit code {proc.returncode}"
            self.close()
            raise QueryError(f"the query process ended: {said}")
        kind, _, body = payload.partition(b"\n")
        if kind == b"syntax":
            raise QueryError("SPARQL syntax error: " + body.decode("utf-8", "replace"))
        if kind == b"error":
            raise QueryError("query failed: " + body.decode("utf-8", "replace"))
        return kind.decode("ascii"), body


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
