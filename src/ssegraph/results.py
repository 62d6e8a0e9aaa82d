"""Query results: rows for Python, W3C formats for files, a table for people.

A :class:`Result` wraps what pyoxigraph returns. The W3C formats (SPARQL JSON, XML, TSV and
the RDF syntaxes) are written by Oxigraph's own serializers; SPARQL CSV and the terminal table
are ours (pyoxigraph 0.5.13 leaves an IRI holding a comma unquoted in CSV). :meth:`Result.write`
is what ``ssegraph query`` calls. pyoxigraph results can be read once, so a Result keeps the
query and runs it again when a second consumer asks (cheap next to the cost of getting it wrong).
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from ._text import safe_terminal
from .errors import QueryError
from .namespaces import compact

#: --format names of SELECT/ASK results and of CONSTRUCT/DESCRIBE results.
SOLUTION_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("ttl", "nt", "jsonld", "rdfxml", "table")
#: Every --format name ``query`` accepts (``json``/``xml`` of a graph mean JSON-LD/RDF/XML).
FORMATS = tuple(dict.fromkeys((*SOLUTION_FORMATS, *GRAPH_FORMATS)))
#: What a SELECT-style name means for a graph result.
_GRAPH_ALIASES = {"json": "jsonld", "xml": "rdfxml"}


@dataclass(frozen=True)
class Written:
    """What :meth:`Result.write` wrote: the rows of the result and how many were shown.

    ``rows`` is None when the format streamed the rows without counting them.
    """

    rows: int | None
    shown: int | None

    @property
    def truncated(self) -> bool:
        return self.rows is not None and self.shown is not None and self.shown < self.rows

_XSD = "http://www.w3.org/2001/XMLSchema#"


def term_to_python(term: Any) -> Any:
    """Convert a pyoxigraph term to the Python value a notebook user expects.

    IRIs and blank nodes become strings; typed literals their natural Python type (dates stay
    ``datetime.date``; ``xsd:gYear`` and ``xsd:gYearMonth`` stay ISO strings, since Python has
    no partial date); language-tagged strings become ``str``.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> term_to_python(ox.Literal("2023-04-18", datatype=ox.NamedNode(_XSD + "date")))
    datetime.date(2023, 4, 18)
    >>> term_to_python(ox.Literal("50", datatype=ox.NamedNode(_XSD + "integer")))
    50
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        v = term.value
        try:
            if dt in (_XSD + "integer", _XSD + "int", _XSD + "long", _XSD + "nonNegativeInteger",
                      _XSD + "positiveInteger", _XSD + "short"):
                return int(v)
            if dt == _XSD + "decimal":
                import decimal  # here, not at the top: a one-shot query never needs it

                return decimal.Decimal(v)
            if dt in (_XSD + "double", _XSD + "float"):
                return float(v)
            if dt == _XSD + "boolean":
                return v in ("true", "1")
            if dt == _XSD + "date":
                return _dt.date.fromisoformat(v)
            if dt == _XSD + "dateTime":
                return _dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            return v
        return v
    return str(term)


def term_to_text(term: Any) -> str:
    """A short human form of a term for tables: compact IRIs, plain literal values."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


class Result:
    """The answer to one query: iterate it for rows (dicts), or serialise it.

    Parameters
    ----------
    run:
        Runs the query and returns a fresh pyoxigraph result.
    """

    def __init__(self, run: Callable[[], Any]):
        self._run = run
        self._raw = run()
        self._rows: list[dict[str, Any]] | None = None
        import pyoxigraph as ox

        if isinstance(self._raw, ox.QueryBoolean):
            self.kind = "ask"
        elif isinstance(self._raw, ox.QuerySolutions):
            self.kind = "select"
        else:
            self.kind = "graph"
        # Kept so that asking for the columns, or for the rows a second time (the table counts
        # them, then draws them), never runs the query again: on a big store that doubled the
        # cost of the default `--format table`.
        self._variables = [v.value for v in self._raw.variables] if self.kind == "select" else []
        self._term_cache: list[dict[str, Any]] | None = None

    # -- rows ---------------------------------------------------------------------------
    @property
    def variables(self) -> list[str]:
        """The SELECT variables, in order (empty for ASK and graph results)."""
        return list(self._variables)

    def _fresh(self):
        if self._raw is not None:
            raw, self._raw = self._raw, None
            return raw
        return self._run()

    def terms(self) -> Iterator[dict[str, Any]]:
        """Rows as dicts of pyoxigraph terms (unbound variables are absent)."""
        if self._term_cache is not None:
            yield from self._term_cache
            return
        if self.kind == "ask":
            yield {"result": bool(self._fresh())}
            return
        raw = self._fresh()
        if self.kind == "select":
            names = [v.value for v in raw.variables]
            for sol in raw:
                yield {n: sol[n] for n in names if sol[n] is not None}
        else:
            for t in raw:
                yield {"subject": t.subject, "predicate": t.predicate, "object": t.object}

    def _term_rows(self) -> list[dict[str, Any]]:
        """All rows as term dicts, computed once and kept (for the table and its row count)."""
        if self._term_cache is None:
            self._term_cache = list(self.terms())
        return self._term_cache

    def write(self, fmt: str, file: str | os.PathLike[str] | IO[bytes], max_rows: int | None = None) -> Written:
        """Write the result as ``fmt`` to ``file``: a path (written atomically) or a binary file.

        ``fmt`` is one of :data:`FORMATS`; for a CONSTRUCT/DESCRIBE result ``json`` and ``xml``
        mean JSON-LD and RDF/XML. ``max_rows`` limits the rows of ``table`` (None: all).
        Returns a :class:`Written` (rows in the result, rows shown), for a summary line.

        Raises
        ------
        QueryError
            If the format does not fit the kind of result (csv/tsv of a graph, ttl of a SELECT).
        """
        fmt = fmt.lower()
        if self.kind == "graph":
            fmt = _GRAPH_ALIASES.get(fmt, fmt)
        if isinstance(file, (str, os.PathLike)):
            from ._io import atomic_write

            self._check_format(fmt)
            with atomic_write(file, "wb") as fh:
                return self.write(fmt, fh, max_rows)
        if fmt == "table":
            rows = self._term_rows()
            file.write(self.to_table(max_rows=max_rows).encode("utf-8"))
            count = 1 if self.kind == "ask" else len(rows)
            return Written(count, count if max_rows is None else min(count, max_rows))
        self.to(fmt, file)
        return Written(None, None)

    def _check_format(self, fmt: str) -> None:
        allowed = SOLUTION_FORMATS if self.kind in ("select", "ask") else GRAPH_FORMATS
        if fmt not in allowed:
            what = self.kind.upper() if self.kind != "graph" else "CONSTRUCT/DESCRIBE"
            raise QueryError(f"format {fmt!r} does not fit a {what} result; use one of {', '.join(allowed)}")

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self._rows is None:
            self._rows = [
                {k: (v if isinstance(v, bool) else term_to_python(v)) for k, v in row.items()}
                for row in self.terms()
            ]
        return iter(self._rows)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        if self.kind == "ask":
            return next(iter(self))["result"]
        return len(self) > 0

    def __repr__(self) -> str:
        if self.kind == "ask":
            return f"<Result ask={bool(self)}>"
        return f"<Result {self.kind} rows={len(self)} variables={self.variables}>"

    def _repr_html_(self) -> str:  # Jupyter
        from html import escape

        rows = list(self)
        cols = self.variables or (["subject", "predicate", "object"] if self.kind == "graph" else ["result"])
        head = "".join(f"<th>{escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(r.get(c, '')))}</td>" for c in cols) + "</tr>" for r in rows[:200]
        )
        more = f"<p>{len(rows) - 200} more rows</p>" if len(rows) > 200 else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"

    # -- conversions --------------------------------------------------------------------
    def to_dataframe(self, *, compact_iris: bool = False):
        """A pandas DataFrame with typed columns (dates as datetime64, numbers as numbers).

        Column types are decided from the values themselves, before pandas sees any gap, so an
        integer column with unbound rows stays ``Int64`` (with ``<NA>``) instead of turning into
        floats. A column that mixes full dates with ``xsd:gYear``/``gYearMonth`` strings stays
        ``object``: forcing it to datetimes would invent a day. ``compact_iris=True`` writes
        IRIs as ``id:ilo`` instead of the full IRI.

        Needs the ``pandas`` extra: ``pip install 'ssegraph[pandas]'``.

        Examples
        --------
        >>> import ssegraph
        >>> df = ssegraph.load().named_query("founded-per-year").to_dataframe()
        >>> str(df["year"].dtype), str(df["organisations"].dtype)
        ('Int64', 'Int64')
        """
        import decimal

        try:
            import pandas as pd
        except ImportError:
            raise QueryError("to_dataframe() needs pandas: pip install 'ssegraph[pandas]'") from None
        term_rows = list(self.terms())
        cols = self.variables or (list(term_rows[0]) if term_rows else [])
        data: dict[str, list] = {c: [] for c in cols}
        iri_cols: set[str] = set()
        import pyoxigraph as ox

        for row in term_rows:
            for c in cols:
                term = row.get(c)
                if compact_iris and isinstance(term, ox.NamedNode):
                    data[c].append(compact(term.value))
                    iri_cols.add(c)
                else:
                    data[c].append(term if isinstance(term, bool) else term_to_python(term))
        columns = {}
        for c, values in data.items():
            present = [v for v in values if v is not None]
            if present and all(isinstance(v, _dt.date) and not isinstance(v, _dt.datetime) for v in present):
                columns[c] = pd.to_datetime(pd.Series(values, dtype="object"))
            elif present and all(isinstance(v, bool) for v in present):
                columns[c] = pd.Series(values, dtype="boolean")
            elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
                columns[c] = pd.Series(values, dtype="Int64")
            elif present and all(isinstance(v, (int, float, decimal.Decimal)) for v in present):
                columns[c] = pd.Series([None if v is None else float(v) for v in values], dtype="float64")
            else:
                columns[c] = pd.Series(values, dtype="object")
        return pd.DataFrame(columns, columns=cols)

    def to(self, fmt: str, output: io.IOBase | None = None) -> str | None:
        """Serialise as ``fmt``: csv, tsv, json, xml, table (SELECT/ASK); ttl, nt, jsonld, rdfxml.

        Returns the text, or writes bytes to ``output`` (a binary file) and returns None.

        Raises
        ------
        QueryError
            If the format does not fit the kind of result.
        """
        import pyoxigraph as ox

        fmt = fmt.lower()
        self._check_format(fmt if fmt != "turtle" else "ttl")
        if fmt == "table":
            text = self.to_table()
            if output is not None:
                output.write(text.encode())
                return None
            return text
        if self.kind in ("select", "ask"):
            formats = {
                "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            }
            if fmt not in formats:
                raise QueryError(f"format {fmt!r} does not fit a {self.kind.upper()} result; "
                                 f"use one of {', '.join(SOLUTION_FORMATS)}")
            if fmt == "csv" and self.kind == "select":
                # pyoxigraph 0.5.13 leaves an IRI holding a comma unquoted, which shifts every
                # later column; Python's csv module quotes what RFC 4180 asks it to.
                data = self._to_csv().encode("utf-8")
                if output is not None:
                    output.write(data)
                    return None
                return data.decode("utf-8")
            data = self._fresh().serialize(output, formats[fmt])
        else:
            formats = {
                "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML,
            }
            if fmt not in formats:
                raise QueryError(f"format {fmt!r} does not fit a CONSTRUCT/DESCRIBE result; "
                                 f"use one of {', '.join(GRAPH_FORMATS)}")
            from .namespaces import PREFIXES

            kwargs = {"prefixes": PREFIXES} if fmt in ("ttl", "turtle") else {}
            data = ox.serialize(self._fresh(), output, formats[fmt], **kwargs)
        return None if output is not None else data.decode("utf-8")

    def _to_csv(self) -> str:
        """SPARQL 1.1 CSV results: IRIs and literal values as text, blank nodes ``_:x``, CRLF."""
        import csv

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        cols = self.variables
        writer.writerow(cols)
        if self._term_cache is not None:
            for row in self._term_cache:
                writer.writerow([_csv_value(row.get(c)) for c in cols])
            return buf.getvalue()
        # Straight from the solutions, by position: building a dict of terms per row first (as
        # terms() does) cost a fifth more than Oxigraph's own serializer on a few thousand rows.
        import pyoxigraph as ox

        blank, positions, write = ox.BlankNode, range(len(cols)), writer.writerow
        for sol in self._fresh():
            row = []
            for i in positions:
                term = sol[i]
                row.append("" if term is None else f"_:{term.value}" if type(term) is blank else term.value)
            write(row)
        return buf.getvalue()

    def to_table(self, max_rows: int | None = None, width: int = 60) -> str:
        """A plain-text table with compact IRIs, for terminals."""
        rows = self._term_rows()
        if self.kind == "ask":
            return "true\n" if rows[0]["result"] else "false\n"
        cols = self.variables if self.kind == "select" else ["subject", "predicate", "object"]
        shown = rows if max_rows is None else rows[:max_rows]
        cells = [[_clip(safe_terminal(term_to_text(r.get(c))), width) for c in cols] for r in shown]
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
        line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()
        rule = "  ".join("-" * w for w in widths)
        body = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
        return "\n".join([line, rule, *body]) + "\n"


def _csv_value(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
