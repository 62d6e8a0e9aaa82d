"""The ``site`` command: a static, offline website of the graph."""

from __future__ import annotations

import click

from . import State, pass_state


@click.command()
@click.option("--output", "-o", type=click.Path(file_okay=False), required=True, metavar="DIR",
              help="Folder to write the site into (created; a non-empty one needs --force).")
@click.option("--force", is_flag=True, help="Replace DIR when it exists and is not empty.")
@click.option("--lang", default="en", show_default=True, metavar="LANG",
              help="Language labels are chosen in (every language still shows on entity pages).")
@click.option("--endpoint-link", "endpoint_link", metavar="URL",
              help="A SPARQL endpoint the query gallery links to, to run each query live.")
@pass_state
def site(state: State, output: str, force: bool, lang: str, endpoint_link: str | None) -> None:
    """Write a static website of the graph: a page per entity, faceted lists, search, queries.

    Each query of the gallery is stopped after the global --timeout (its page then says so).
    DIR/index.html opens from the file system with no server and makes no request outside DIR;
    the folder can also be served as it is. Entity pages live at DIR/id/SLUG.html for the IRI
    https://w3id.org/ssegraph/id/SLUG (see docs/site.md for the redirect rule).

    \b
    Examples:
      ssegraph site -o site/
      ssegraph site -o site/ --force --endpoint-link http://127.0.0.1:7878/query

    In Python: ssegraph.site.build_site(ssegraph.load(), "site/")
    """
    from ..site import build_site

    if state.endpoint:
        raise click.UsageError("site is built from local files, not from --endpoint")
    # Our own queries, unbounded as a whole (a site of a million triples takes minutes); each
    # query of the gallery gets the global --timeout.
    report = build_site(state.kg(bounded=False), output, force=force, lang=lang, endpoint=endpoint_link,
                        query_timeout=state.timeout)
    if state.verbosity >= 0:
        click.echo(report.to_text(), err=True)
