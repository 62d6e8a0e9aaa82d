"""Run one SPARQL query on a store in a process of its own, so that it can be stopped.

``ssegraph.load(..., query_timeout=S)`` sends every query here (see
:class:`ssegraph.graph.WorkerBackend`): pyoxigraph cannot be interrupted, but a process can be
killed. Usage: ``python -m ssegraph._query_worker STORE UNION`` with the query on stdin. It
writes the kind of result on the first line of stdout (``select``, ``ask`` or ``graph``), then
the answer as SPARQL JSON results or N-Triples; a syntax error goes to stderr with exit code 2.
The parent watches the worker's resident memory and kills it above the limit (``RLIMIT_AS``
would count the address space RocksDB and the threads reserve, not what the query uses).
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    store_path, union = argv[0], argv[1] == "1"
    import pyoxigraph as ox

    text = sys.stdin.buffer.read().decode("utf-8")
    store = ox.Store.read_only(store_path)
    out = sys.stdout.buffer
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
        sys.stderr.write(" ".join(str(exc.msg or exc).split()) + "\n")
        return 2
    except (OSError, RuntimeError, ValueError) as exc:
        sys.stderr.write(" ".join(str(exc).split()) + "\n")
        return 3
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
