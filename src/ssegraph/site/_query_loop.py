"""Run the query gallery's queries in one process of its own, so that a slow one can be stopped.

The one-shot worker of ``ssegraph.load(query_timeout=S)`` (:mod:`ssegraph._query_worker`) starts
a Python, imports pyoxigraph and opens the store for every query: about 0.1 s each, 2.5 s for
the catalogue, fifteen times what the queries cost in-process on the bundled data. This worker
opens the store once and answers query after query; the gallery kills it when one runs past its
time limit and starts a new one for the next (see :class:`ssegraph.site.gallery.LoopBackend`).

Usage: ``python -m ssegraph.site._query_loop STORE UNION``. Each request on stdin is an 8-byte
big-endian length and that many bytes of UTF-8 query text; each answer on stdout is an 8-byte
length and a payload whose first line is the kind (``select``, ``ask``, ``graph``, or ``error``
followed by a one-line message) and the rest the answer as SPARQL JSON results or N-Triples.
"""

from __future__ import annotations

import io
import struct
import sys

_LENGTH = struct.Struct(">Q")


def _read_exact(stream: io.BufferedReader, n: int) -> bytes | None:
    data = stream.read(n)
    return data if data is not None and len(data) == n else None


def answer(store, text: str, union: bool) -> bytes:
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
        return b"error\nSPARQL syntax error: " + " ".join(str(exc.msg or exc).split()).encode("utf-8")
    except (OSError, RuntimeError, ValueError) as exc:
        return b"error\nquery failed: " + " ".join(str(exc).split()).encode("utf-8")
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
