"""The ``export`` command: the projected network as GraphML, GEXF, JSON or CSV.

A thin layer over :meth:`ssegraph.KnowledgeGraph.to_networkx` and :mod:`ssegraph.export`:
the command parses the options, projects, writes, and reports one summary line on stderr.
"""

from __future__ import annotations

import sys

import click

from . import State, pass_state
from .options import selection_kwargs, selection_options

FORMATS = ("graphml", "gexf", "json", "csv")
FLAVOURS = ("node-link", "cytoscape")


@click.command()
@click.argument("fmt", type=click.Choice(FORMATS, case_sensitive=False))
@click.option("--output", "-o", required=True, metavar="FILE",
              help="Write here ('-' for stdout, not with csv). For csv: a folder (nodes.csv, "
                   "edges.csv inside) or a prefix (PREFIX-nodes.csv, PREFIX-edges.csv).")
@click.option("--flavour", "--flavor", "flavour", type=click.Choice(FLAVOURS),
              help="With json: networkx node-link (default) or Cytoscape.js elements.")
@click.option("--csv-formulas", is_flag=True,
              help="With csv: keep cells starting with = + - @ as they are. By default they get a leading ' "
                   "so that a spreadsheet shows them as text instead of running them as formulas.")
@selection_options
@pass_state
def export(state: State, fmt: str, output: str, flavour: str | None, csv_formulas: bool, types: str | None,
           focus: str | None, depth: int, construct: str | None, lang: str) -> None:
    """Export the network for Gephi, Cytoscape, yEd or networkx: graphml, gexf, json or csv.

    Nodes are the organisations, people, policy milestones, events and places; memberships
    and participations are edges that carry their role, dates and sources. Every attribute is
    a plain string (empty when not known), so each tool reads one typed column per name.
    GEXF adds a timeline (milestones and events in time) and colours by type.

    \b
    Examples:
      ssegraph export graphml -o sse.graphml
      ssegraph export gexf --types organisations,milestones -o policy.gexf
      ssegraph export json --flavour cytoscape --focus UNTFSSE --depth 2 -o untfsse.cyjs
      ssegraph export csv -o tables/          # tables/nodes.csv, tables/edges.csv

    In Python: G = ssegraph.load().to_networkx(focus="UNTFSSE"); ssegraph.export.write_graphml(G, "sse.graphml")
    """
    from ..errors import ExportError
    from ..export import export as write
    from ..export import generate_gexf, generate_graphml, generate_json, output_paths

    fmt = fmt.lower()
    if flavour is not None and fmt != "json":
        raise ExportError(f"--flavour applies to json only, not {fmt}")
    if output != "-":
        output_paths(fmt, output)  # a missing folder fails now, not after the projection
    elif fmt == "csv":
        raise ExportError("csv writes two files: give -o a folder or a file prefix, not '-'")
    selection = selection_kwargs(types, focus, depth, construct, lang)
    G = state.kg().to_networkx(**selection)
    if G.number_of_nodes() == 0:
        raise ExportError(f"nothing to export: no entity matches {_describe(selection)}")
    if output == "-":
        chunks = {"graphml": lambda: generate_graphml(G), "gexf": lambda: generate_gexf(G),
                  "json": lambda: generate_json(G, flavour or "node-link")}[fmt]
        out = sys.stdout
        for chunk in chunks():
            out.write(chunk)
        out.flush()
        where = "stdout"
    else:
        paths = write(G, fmt, output, flavour=flavour, formulas=csv_formulas)
        where = " and ".join(str(p) for p in paths)
    if state.verbosity >= 0:
        n, m = G.number_of_nodes(), G.number_of_edges()
        click.echo(f"wrote {n:,} node{'s' * (n != 1)}, {m:,} edge{'s' * (m != 1)} to {where}", err=True)


def _describe(selection: dict) -> str:
    parts = []
    if selection.get("types"):
        parts.append("types " + ",".join(selection["types"]))
    if selection.get("focus"):
        parts.append(f"focus {selection['focus']!r} at depth {selection.get('depth', 1)}")
    if selection.get("construct"):
        parts.append("the --construct query")
    return "; ".join(parts) or "the whole graph"
