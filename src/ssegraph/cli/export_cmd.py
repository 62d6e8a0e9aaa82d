"""The ``export`` command: the projected network in any format of :data:`ssegraph.export.FORMATS`.

A thin layer over :meth:`ssegraph.KnowledgeGraph.to_networkx` and :mod:`ssegraph.export`:
the command parses the options, projects, writes, and reports one summary line on stderr. The
formats, their flavours and the "nothing to export" check are the library's.
"""

from __future__ import annotations

import sys

import click

from ..export import FORMATS
from . import State, pass_state
from .options import selection_kwargs, selection_options

_FLAVOURS = tuple(dict.fromkeys(f for spec in FORMATS.values() for f in spec.flavours))


_HELP = """Export the network for Gephi, Cytoscape, yEd or networkx.

Nodes are the organisations, people, policy milestones, events and places; memberships and
participations are edges that carry their role, dates and sources. Every attribute is a plain
string (empty when not known), so each tool reads one typed column per name.

\b
Formats:
""" + "\n".join(f"  {spec.name:<8} {spec.description} ({', '.join(spec.suffixes)})"
                for spec in FORMATS.values()) + """

\b
Examples:
  ssegraph export graphml -o sse.graphml
  ssegraph export gexf --types organisations,milestones -o policy.gexf
  ssegraph export json --flavour cytoscape --focus UNTFSSE --depth 2 -o untfsse.cyjs
  ssegraph export csv -o tables/          # tables/nodes.csv, tables/edges.csv

In Python: G = ssegraph.load().to_networkx(focus="UNTFSSE"); ssegraph.export.export(G, "graphml", "sse.graphml")
"""


@click.command(help=_HELP)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(FORMATS), case_sensitive=False))
@click.option("--output", "-o", required=True, metavar="FILE",
              help="Write here ('-' for stdout, not with a multi-file format). For csv: a folder "
                   "(nodes.csv, edges.csv inside) or a prefix (PREFIX-nodes.csv, PREFIX-edges.csv).")
@click.option("--flavour", "--flavor", "flavour", type=click.Choice(_FLAVOURS),
              help="A variant of the format: " + "; ".join(
                  f"{spec.name}: {', '.join(spec.flavours)} (default {spec.flavours[0]})"
                  for spec in FORMATS.values() if spec.flavours) + ".")
@click.option("--csv-formulas", is_flag=True,
              help="With csv: keep cells starting with = + - @ as they are. By default they get a leading ' "
                   "so that a spreadsheet shows them as text instead of running them as formulas.")
@selection_options
@pass_state
def export(state: State, fmt: str, output: str, flavour: str | None, csv_formulas: bool, types: str | None,
           focus: str | None, depth: int, construct: str | None, lang: str) -> None:
    # help: _HELP above, built from the format registry
    from ..export import export as write
    from ..export import export_format, generate, output_paths

    spec = export_format(fmt)
    flavour = spec.check_flavour(flavour)
    options = spec.check_options({"formulas": True} if csv_formulas else {})
    if output != "-":
        output_paths(spec.name, output)  # a missing folder fails now, not after the projection
    elif spec.multi_file:
        generate(None, spec.name)  # raises the library's error (a multi-file format) before projecting
    G = state.kg().to_networkx(**selection_kwargs(types, focus, depth, construct, lang))
    if output == "-":
        out = sys.stdout
        for chunk in generate(G, spec.name, flavour=flavour):
            out.write(chunk)
        out.flush()
        where = "stdout"
    else:
        where = " and ".join(str(p) for p in write(G, spec.name, output, flavour=flavour, **options))
    if state.verbosity >= 0:
        n, m = G.number_of_nodes(), G.number_of_edges()
        click.echo(f"wrote {n:,} node{'s' * (n != 1)}, {m:,} edge{'s' * (m != 1)} to {where}", err=True)
