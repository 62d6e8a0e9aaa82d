"""One SPARQL tokenizer for every look inside a query: the parameter binder, the update and
``SERVICE`` checks, the query form.

Looking for ``WHERE {`` with a regular expression can be steered by the query text: a
``# … WHERE {`` comment moved the bound values into a comment (the parameter silently unbound),
and ``WHERE {`` inside a string literal let a value become query text. A tokenizer sees what
the engine sees: comments, string literals (all four quoting styles), IRIs and variables are
single tokens, so nothing inside them can look like a keyword or a brace.

What the binder produces is a plan per query text (where the ``VALUES`` block goes), computed
once and remembered, so a notebook or benchmark asking the same question again pays only for
joining strings. Local and ``--endpoint`` modes call the same :func:`bind_values`, so a query
answers the same in both.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from .errors import QueryError

__all__ = ["bind_values", "check_query", "query_form", "tokens", "uses_service"]

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
   |(?P<comment>\#[^\n\r]*)
   |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
   |(?P<str>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
            |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
   |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
   |(?P<word>[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(?::(?:[\w.:%\-\u00C0-\uFFFF]|\\.)*)?
            |:(?:[\w.:%\-\u00C0-\uFFFF]|\\.)*)
   |(?P<open>\{)
   |(?P<close>\})
   |(?P<lparen>\()
   |(?P<rparen>\))
   |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_VARNAME = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w\u00B7\u0300-\u036F\u203F-\u2040]*")
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


class Token(NamedTuple):
    """One token: its kind (iri, str, var, word, open, close, lparen, rparen, other) and span."""

    kind: str
    text: str
    start: int
    end: int


@functools.lru_cache(maxsize=256)
def tokens(sparql: str) -> tuple[Token, ...]:
    """The tokens of ``sparql`` without whitespace and comments (remembered per text).

    Examples
    --------
    >>> [t.text for t in tokens('ASK { ?s ?p "WHERE { #" } # SERVICE')]
    ['ASK', '{', '?s', '?p', '"WHERE { #"', '}']
    """
    return tuple(
        Token(m.lastgroup or "other", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(sparql)
        if m.lastgroup not in ("ws", "comment")
    )


def _keyword(tok: Token) -> str:
    return tok.text.upper() if tok.kind == "word" and ":" not in tok.text else ""


def query_form(sparql: str) -> str | None:
    """The query form (SELECT, CONSTRUCT, DESCRIBE, ASK) of ``sparql``, or None if none is found.

    Examples
    --------
    >>> query_form("PREFIX ex: <http://ex/> # SELECT in a comment\\nASK { ?s ?p ?o }")
    'ASK'
    """
    for t in tokens(sparql):
        if _keyword(t) in _FORMS:
            return _keyword(t)
    return None


def uses_service(sparql: str) -> bool:
    """Whether ``sparql`` has a ``SERVICE`` clause (a keyword token, not a word in a string).

    Examples
    --------
    >>> uses_service('SELECT * { SERVICE <http://ex/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s ?p "SERVICE <x> {}" } # SERVICE')
    False
    """
    return any(_keyword(t) == "SERVICE" for t in tokens(sparql))


SERVICE_REFUSED = ("SERVICE is refused: it makes the engine send HTTP requests to other servers "
                   "(pass --allow-service to allow it; see docs/security.md)")


@functools.lru_cache(maxsize=256)
def _check(sparql: str) -> str | None:
    for t in tokens(sparql):
        word = _keyword(t)
        if word in _FORMS:
            return None
        if word in _UPDATES:
            return word
    return None


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Refuse SPARQL updates (the graph is read-only) and, unless allowed, ``SERVICE``.

    Raises
    ------
    QueryError
        One line saying what was refused and why.
    """
    update = _check(sparql)
    if update:
        raise QueryError(
            f"{update} is a SPARQL update; the graph is read-only here "
            "(edit the Turtle files in data/ instead)"
        )
    if not allow_service and uses_service(sparql):
        raise QueryError(SERVICE_REFUSED)


def _matching(toks: tuple[Token, ...], i: int) -> int:
    """Index of the ``}`` closing the ``{`` at ``toks[i]``."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].kind == "open":
            depth += 1
        elif toks[j].kind == "close":
            depth -= 1
            if depth == 0:
                return j
    raise QueryError("SPARQL syntax error: unbalanced braces")


class _Plan(NamedTuple):
    """Where the block goes: ``kind`` is insert, subselect, construct-where or describe."""

    kind: str
    a: int
    b: int = 0
    c: int = 0
    d: int = 0


@functools.lru_cache(maxsize=256)
def _plan(sparql: str) -> _Plan:
    toks = tokens(sparql)
    form_at = next((i for i, t in enumerate(toks) if _keyword(t) in _FORMS), None)
    if form_at is None:
        raise QueryError("not a SPARQL query: no SELECT, CONSTRUCT, DESCRIBE or ASK")
    form = _keyword(toks[form_at])
    i = form_at + 1
    if form == "CONSTRUCT":
        if i < len(toks) and toks[i].kind == "open":  # CONSTRUCT { template } … WHERE { … }
            i = _matching(toks, i) + 1
        elif i < len(toks) and _keyword(toks[i]) == "WHERE":  # CONSTRUCT WHERE { P }
            g = next((j for j in range(i, len(toks)) if toks[j].kind == "open"), None)
            if g is None:
                raise QueryError("SPARQL syntax error: CONSTRUCT WHERE without a group")
            end = _matching(toks, g)
            return _Plan("construct-where", toks[i].start, toks[g].start, toks[end].end, toks[g].end)
    parens = 0
    for j in range(i, len(toks)):
        t = toks[j]
        if t.kind == "lparen":  # (EXISTS { … } AS ?x) in a projection is not the WHERE group
            parens += 1
        elif t.kind == "rparen":
            parens = max(0, parens - 1)
        elif t.kind == "open" and parens == 0:
            after = toks[j + 1] if j + 1 < len(toks) else None
            if after is not None and _keyword(after) == "SELECT":
                end = _matching(toks, j)  # WHERE { SELECT … }: a sub-select must be alone in its group
                return _Plan("subselect", toks[j].end, toks[end].start)
            return _Plan("insert", toks[j].end)
    if form == "DESCRIBE":  # DESCRIBE ?x with no WHERE: give it one
        mods = ("ORDER", "LIMIT", "OFFSET", "VALUES")
        at = next((t.start for t in toks[i:] if _keyword(t) in mods), len(sparql))
        return _Plan("describe", at)
    raise QueryError("SPARQL syntax error: the query has no WHERE group")


def _term_text(name: str, term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)  # N-Triples syntax, escaped by Oxigraph; valid in a SPARQL VALUES block
    kind = type(term).__name__
    raise QueryError(f"parameter ?{name} is a {kind}; only IRIs and literals can be bound")


def bind_values(sparql: str, substitutions: Mapping[str, Any] | None) -> str:
    """Bind variables by value: insert a ``VALUES`` block at the start of the outer ``WHERE``.

    At the start of the group the block is joined before the group's patterns, ``OPTIONAL``\\ s
    and ``FILTER``\\ s are evaluated, so ``FILTER(?x = ?name)`` sees ``?name`` bound, as with
    Oxigraph's own substitutions; a trailing ``VALUES`` after the query would join only after
    ``GROUP BY`` and filters, and give other answers. ``CONSTRUCT WHERE { P }`` is expanded to
    ``CONSTRUCT { P } WHERE { VALUES … P }``; a ``WHERE`` made of a sub-select is wrapped;
    ``DESCRIBE ?x`` without a ``WHERE`` gets one. The values are pyoxigraph terms written in their
    N-Triples form (which escapes quotes, newlines and angle brackets): user text is only ever a
    term.

    Parameters
    ----------
    sparql:
        The query text.
    substitutions:
        Variable name (without ``?``) to a pyoxigraph ``NamedNode`` or ``Literal``.

    Raises
    ------
    QueryError
        For a bad variable name, a blank node value or a query with no place for the block.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> bind_values('SELECT ?l WHERE { ?s rdfs:label ?l }', {"s": ox.NamedNode("http://ex/a")})
    'SELECT ?l WHERE { VALUES (?s) { (<http://ex/a>) } ?s rdfs:label ?l }'
    >>> bind_values('ASK { ?s ?p ?o FILTER(?o = ?v) }', {"v": ox.Literal('say "hi"', language="en")})
    'ASK { VALUES (?v) { ("say \\\\"hi\\\\""@en) } ?s ?p ?o FILTER(?o = ?v) }'
    """
    if not substitutions:
        return sparql
    names, values = [], []
    for name, term in substitutions.items():
        if not isinstance(name, str) or not _VARNAME.fullmatch(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
        names.append(f"?{name}")
        values.append(_term_text(name, term))
    block = f"VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }}"
    plan = _plan(sparql)
    if plan.kind == "insert":
        return sparql[:plan.a] + f" {block}" + sparql[plan.a:]
    if plan.kind == "subselect":
        return sparql[:plan.a] + f" {block} {{" + sparql[plan.a:plan.b] + "} " + sparql[plan.b:]
    if plan.kind == "construct-where":
        where, g_start, g_end, inner = plan.a, plan.b, plan.c, plan.d
        group = sparql[g_start:g_end]
        return sparql[:where] + group + " WHERE { " + block + sparql[inner:g_end - 1] + "}" + sparql[g_end:]
    return sparql[:plan.a].rstrip() + f" WHERE {{ {block} }} " + sparql[plan.a:]
