"""The ``docs`` command: the ontology reference as an offline HTML page."""

from __future__ import annotations

import click

from . import State, pass_state


@click.command()
@click.option("--output", "-o", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False, writable=True),
              help="Folder to write index.html into (created if missing).")
@click.option("--ontology", "ontology_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False),
              help="Ontology folder to document (ssegraph.ttl, kos/*.ttl, shapes.ttl). Default: the bundled one.")
@pass_state
def docs(state: State, out_dir: str, ontology_dir: str | None) -> None:
    """Write the ontology reference (terms, SKOS lists, SHACL shapes) as one offline HTML page.

    Every class and property of ontology/ssegraph.ttl with its labels, definition, domain,
    range, alignments and examples; each concept scheme with its labels in en, fr and es; and
    what each SHACL shape checks. The page loads nothing from the network and runs no script,
    so it can be published as it is or opened from disk.

    \b
    Example:
      ssegraph docs -o site/ontology
      ssegraph docs -o /tmp/draft --ontology my-ontology/

    In Python: ssegraph.docs.build_docs("site/ontology")
    """
    from ..docs import read_reference, write_docs

    reference = read_reference(ontology_dir)
    path = write_docs(reference, out_dir)
    if state.verbosity >= 0:
        click.echo(f"wrote {path}: {len(reference.terms())} terms, {len(reference.schemes())} concept schemes, "
                   f"{len(reference.node_shapes())} shapes", err=True)
