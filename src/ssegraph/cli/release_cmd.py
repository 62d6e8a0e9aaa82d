"""Release commands: release (a versioned, self-describing dump of the data) and diff (what changed)."""

from __future__ import annotations

import sys

import click

from . import State, pass_state


@click.command()
@click.option("--output", "-o", type=click.Path(file_okay=False), required=True, metavar="DIR",
              help="Folder to write the release into (created; a non-empty one needs --force).")
@click.option("--force", is_flag=True, help="Replace DIR when it exists and is not empty.")
@click.option("--version", "version", metavar="VERSION",
              help="Version in file names and metadata. Default: the package version.")
@click.option("--previous", metavar="REV",
              help="Git revision CHANGES.md compares with. Default: the latest v* tag other than this version.")
@click.option("--no-changes", is_flag=True, help="Compare with nothing: CHANGES.md says 'first release'.")
@pass_state
def release(state: State, output: str, force: bool, version: str | None, previous: str | None,
            no_changes: bool) -> None:
    """Write a versioned release: dumps, CSV tables, data dictionary, VoID/DCAT, citation, changelog.

    DIR receives ssegraph-VERSION.nt.gz (every triple, blank nodes skolemised), ssegraph-VERSION.nq.gz
    (one named graph per data file), tables/*.csv (milestones, organisations, memberships, posts,
    events, participations, sources), README.md (the data dictionary), LICENSE.txt (CC0-1.0),
    CITATION.cff, void.ttl, CHANGES.md (against the previous v* git tag) and SHA256SUMS. Everything
    is written to a temporary folder first and renamed into place.

    \b
    Examples:
      ssegraph release -o rel/
      ssegraph release -o rel/ --version 0.2.0 --previous v0.1.0 --force

    In Python: ssegraph.release.write_release(None, "rel/", version="0.2.0") (or a KnowledgeGraph)
    """
    from ..release import write_release

    if state.endpoint:
        raise click.UsageError("release works on local files, not on --endpoint")
    report = write_release(list(state.data) or None, output, version=version, force=force,
                           previous=None if no_changes else (previous or "auto"))
    if state.verbosity >= 0:
        click.echo(report.to_text(), err=True)


@click.command()
@click.argument("old", required=False, metavar="OLD")
@click.argument("new", required=False, metavar="NEW")
@click.option("--rev", metavar="OLD..NEW",
              help="Compare the data folder at two git revisions (OLD alone: against the working tree).")
@click.option("--repo", type=click.Path(file_okay=False, exists=True), metavar="DIR",
              help="The git checkout for --rev. Default: the one holding the working folder.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Plain text, Markdown (as in CHANGES.md) or JSON for scripts.")
def diff(old: str | None, new: str | None, rev: str | None, repo: str | None, fmt: str) -> None:
    """What changed between two versions of the data, entity by entity; exit 1 when they differ.

    OLD and NEW are data folders (or files). Entities are grouped by class: added, removed and
    changed ones, and for a changed one each fact with its old and new value (labels shown,
    blank nodes unfolded into paths). Exit code 0 when equal, 1 when not, 2 on an error.

    \b
    Examples:
      ssegraph diff old-data/ data/
      ssegraph diff --rev v0.1.0..HEAD
      ssegraph diff --rev v0.1.0 --format markdown > CHANGES.md

    In Python: ssegraph.diff.diff_paths(old, new) or diff_revisions("v0.1.0..HEAD")
    """
    from ..diff import diff_paths, diff_revisions

    if rev and (old or new):
        raise click.UsageError("give OLD NEW folders or --rev OLD..NEW, not both")
    if rev:
        result = diff_revisions(rev, repo=repo)
    elif old and new:
        result = diff_paths(old, new)
    else:
        raise click.UsageError("give two data folders OLD NEW, or --rev OLD..NEW")
    text = {"text": result.to_text, "markdown": result.to_markdown, "json": result.to_json}[fmt]()
    click.echo(text, nl=False)
    if not result.equal:
        sys.exit(1)
