"""View commands: ``view`` (an interactive network page) and ``timeline`` (milestones in time).

Both write one self-contained file that opens offline in any browser; the work is done by
:func:`ssegraph.view.view` and :func:`ssegraph.timeline.timeline`, and these commands only parse
options, report one summary line on stderr and, with ``--open``, hand the file to the browser.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import State, pass_state
from .options import selection_kwargs, selection_options


def _summary(state: State, text: str) -> None:
    if state.verbosity >= 0:
        click.echo(text, err=True)


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{max(1, round(n / 1000))} kB"


def _open(path: Path) -> None:
    import webbrowser

    webbrowser.open(path.resolve().as_uri())


@click.command()
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), metavar="FILE.html|.png|.svg",
              help="Write here: .html (interactive, offline: loads nothing from the network) or .png/.svg "
                   "(a figure of the same layout; needs matplotlib, the `plot` extra).")
@selection_options
@click.option("--max-nodes", type=click.IntRange(1), default=2000, show_default=True,
              help="Refuse a selection with more nodes than this (a bigger page is slow and unreadable).")
@click.option("--title", metavar="TEXT", help="The page heading (default: what the selection shows).")
@click.option("--open", "open_", is_flag=True, help="Open the page in the default web browser afterwards.")
@pass_state
def view(state: State, output: str, types: str | None, focus: str | None, depth: int, construct: str | None,
         lang: str, max_nodes: int, title: str | None, open_: bool) -> None:
    """Write an interactive network view: one offline HTML page, or a PNG/SVG figure.

    Nodes are coloured by kind and sized by their number of distinct linked entities; links
    are coloured by relation family (membership, policy lineage, organising, participation,
    place). The most important nodes are labelled by acronym or symbol, places and meetings
    when you zoom in. Click a node for its links with roles, dates and sources; filter by
    kind, relation family or period; search names, acronyms and symbols. The selection,
    filters and zoom live in the URL, so a link shares what you see; "Download PNG" saves it.

    \b
    Examples:
      ssegraph view -o sse.html --open
      ssegraph view --focus UNTFSSE --depth 2 -o untfsse.html
      ssegraph view --types organisations,milestones -o policy-actors.html
      ssegraph view --focus UNTFSSE -o untfsse.png

    In Python: ssegraph.load().view("sse.html", focus="UNTFSSE", depth=2)
    """
    selection = selection_kwargs(types, focus, depth, construct, lang)
    result = state.kg().view(output, max_nodes=max_nodes, title=title, **selection)
    path = Path(output)
    _summary(state, f"wrote {output}: {result.nodes:,} nodes, {result.edges:,} links ({_size(path)})")
    if open_:
        _open(path)


@click.command()
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), metavar="FILE.html|.png|.svg",
              help="Write here: .html (interactive, offline) or .png/.svg (a figure; needs matplotlib).")
@click.option("--lanes", type=click.Choice(["body", "jurisdiction", "region"]), default="body", show_default=True,
              help="One lane per adopting body (national ones with their country), per jurisdiction, or per "
                   "world region (the jurisdiction's skos:broader chain).")
@click.option("--since", type=int, metavar="YEAR", help="Only items from this year on.")
@click.option("--until", type=int, metavar="YEAR", help="Only items up to this year (inclusive).")
@click.option("--lang", default="en", show_default=True, help="Preferred language of titles (falls back to en).")
@click.option("--title", metavar="TEXT", help="The heading (default: SSE policy timeline).")
@click.option("--width", type=click.IntRange(400), metavar="PX", help="Width of the HTML drawing in pixels.")
@click.option("--open", "open_", is_flag=True, help="Open the file in the default web browser afterwards.")
@pass_state
def timeline(state: State, output: str, lanes: str, since: int | None, until: int | None, lang: str,
             title: str | None, width: int | None, open_: bool) -> None:
    """Write the policy milestones and events on a time axis.

    x is the date; each lane is an adopting body (or, with --lanes jurisdiction/region, a
    jurisdiction or a world region); curves join milestones that cite, follow up or implement
    one another. The page opens on the densest recent years (or --since/--until), keeps the
    lane names and the year axis in view while it scrolls, and zooms with its buttons or
    Ctrl + wheel.
    Milestones known only to the month or year are drawn hollow, with a bar over the period.
    .html is interactive and offline; .png and .svg are figures for papers (the `plot` extra:
    pip install 'ssegraph[plot]').

    \b
    Examples:
      ssegraph timeline -o timeline.html --open
      ssegraph timeline --since 2015 --lanes jurisdiction -o policy.svg

    In Python: ssegraph.load().timeline("timeline.html", since=2015)
    """
    result = state.kg().timeline(output, lang=lang, lanes=lanes, since=since, until=until, title=title, width=width)
    path = Path(output)
    lanes_n = len(result.data.lanes)
    _summary(state, f"wrote {output}: {result.nodes:,} items in {lanes_n} lanes, {result.edges:,} links "
                    f"({_size(path)})")
    if open_:
        _open(path)
