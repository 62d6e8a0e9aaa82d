"""Core commands: validate, query, queries, stats, describe."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._text import safe_terminal
from ..results import FORMATS as RESULT_FORMATS
from . import CliError, State, pass_state


@click.command()
@click.option("--engine", type=click.Choice(["store", "pyshacl"]), default=None,
              help="store: the shapes run as SPARQL on the store, pySHACL judges the nodes they flag (default); "
                   "pyshacl: pySHACL over an in-memory copy of the whole graph (slow; the reference). Same report.")
@pass_state
def validate(state: State, engine: str | None) -> None:
    """Parse every file and check the SHACL shapes; exit 1 on violations.

    The report groups findings by shape and focus node, and names the file that defines each
    node.

    \b
    Example:
      ssegraph validate
      ssegraph --data my-additions.ttl --data data/ validate

    In Python: ssegraph.load().validate(engine=None)
    """
    kg = state.kg(bounded=False)  # validation, not a query of the user's: no time limit
    report = kg.validate(engine=engine)
    click.echo(safe_terminal(report.to_text()), nl=False)  # messages quote the data
    if not report.conforms:
        sys.exit(1)


@click.command()
@click.argument("sparql", required=False, metavar="SPARQL|FILE.rq|-")
@click.option("--name", "-n", "name", metavar="NAME",
              help="Run a named query from the catalogue (see `ssegraph queries`).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter by value (repeatable); never pasted into the query text.")
@click.option("--format", "-f", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True,
              help="Result format: W3C SPARQL results (csv, tsv, json, xml) or RDF for CONSTRUCT/DESCRIBE.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of stdout.")
@click.option("--max-rows", type=int, default=1000, show_default=True, help="Rows shown by --format table (0: all).")
@pass_state
def query(state: State, sparql: str | None, name: str | None, params: tuple[str, ...], fmt: str,
          output: str | None, max_rows: int) -> None:
    """Run a SPARQL query: inline, from a .rq file, from stdin (-) or by --name.

    The project prefixes (id:, org:, eli:, schema:, skos:, prov: …) are predeclared. Updates
    are refused: the graph is read-only here.

    \b
    Examples:
      ssegraph query 'SELECT ?o ?l WHERE { ?o sse:observerOf id:untfsse ; skos:prefLabel ?l }'
      ssegraph query --name untfsse-members --format csv
      ssegraph query --name milestones-between -p from=2020-01-01 -p to=2023-12-31

    In Python: kg.query(sparql, **params) or kg.named_query(name, params)
    """
    if bool(sparql) == bool(name):
        raise click.UsageError("give a SPARQL query (text, .rq file or -) or --name NAME, not both")
    bindings = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        bindings[key.strip()] = value
    kg = state.kg()
    result = kg.named_query(name, bindings) if name else kg.query(_read_query(sparql), bindings)
    limit = None if max_rows <= 0 else max_rows
    written = result.write(fmt, output or sys.stdout.buffer, max_rows=limit)
    if not output:
        sys.stdout.buffer.flush()
    if written.truncated:
        click.echo(f"truncated: showing {written.shown} of {written.rows} rows (use --max-rows 0 or --format csv)",
                   err=True)
    elif written.rows is not None and state.verbosity >= 0 and result.kind != "ask":
        click.echo(f"{written.rows} rows", err=True)


def _read_query(arg: str) -> str:
    if arg == "-":
        return _decode(sys.stdin.buffer.read(), "stdin")
    p = Path(arg)
    if arg.endswith((".rq", ".sparql")) or (len(arg) < 256 and "\n" not in arg and p.is_file()):
        if not p.is_file():
            raise CliError(f"{arg}: no such query file")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise CliError(f"{arg}: {exc.strerror or exc}") from None
        return _decode(data, arg)
    return arg.removeprefix("\ufeff")


def _decode(data: bytes, where: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or a one-line error naming the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CliError(f"{where}:{line}:{col}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                       "save the query as UTF-8") from None


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Plain text for people, or JSON for scripts.")
@pass_state
def queries(state: State, fmt: str) -> None:
    """List the named queries with their descriptions and parameters.

    \b
    Example:
      ssegraph queries
      ssegraph --queries my-queries/ queries     # yours beside the bundled ones
      ssegraph query --name untfsse-members

    In Python: ssegraph.catalog.list_queries(queries=["my-queries/"]) or kg.list_queries()
    """
    from ..catalog import QUERY_DIR, list_queries

    items = list_queries(queries=state.queries)
    if fmt == "json":
        import json

        click.echo(json.dumps([
            {"name": q.name, "title": q.title, "description": q.description,
             "source": "bundled" if q.path is None or q.path.parent == QUERY_DIR else str(q.path),
             "params": [{"name": p.name, "type": p.type, "default": p.default, "help": p.help} for p in q.params]}
            for q in items], indent=2, ensure_ascii=False))
        return
    for q in items:
        mine = "" if q.path is None or q.path.parent == QUERY_DIR else f"  [{q.path}]"
        click.echo(f"{q.name}{mine}\n  {q.title}")
        if q.description:
            click.echo(f"  {q.description}")
        for p in q.params:
            default = f" (default {p.default})" if p.default else " (required)"
            click.echo(f"  --param {p.name}=<{p.type}>{default}  {p.help}")
        click.echo("")


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Plain text for people, or JSON for scripts.")
@pass_state
def stats(state: State, fmt: str) -> None:
    """Counts: triples, entities by class, milestones by year and adopting body.

    \b
    Example:
      ssegraph stats

    In Python: ssegraph.load().stats()
    """
    from ..stats import format_stats

    s = state.kg().stats()
    if fmt == "json":
        import json

        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
    else:
        click.echo(safe_terminal(format_stats(s)), nl=False)


@click.command()
@click.argument("name", metavar="NAME|IRI")
@click.option("--lang", default="en", show_default=True, help="Preferred label language (falls back to en, then any).")
@pass_state
def describe(state: State, name: str, lang: str) -> None:
    """Everything about one entity, found by IRI, prefixed name, label or acronym, with its sources.

    \b
    Examples:
      ssegraph describe UNTFSSE
      ssegraph describe id:a-res-77-281
      ssegraph describe "Diesis Network"

    In Python: ssegraph.load().describe("UNTFSSE")
    """
    click.echo(state.kg().describe(name, lang).to_text(), nl=False)
