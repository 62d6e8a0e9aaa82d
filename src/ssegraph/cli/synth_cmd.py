"""The synth command: synthetic SSE-shaped Turtle for benchmarks."""

from __future__ import annotations

import time

import click

from . import State, pass_state


class TripleCount(click.ParamType):
    """A triple count written as 10000, 10k or 1M."""

    name = "N"

    def convert(self, value, param, ctx):
        from ..synth import SynthError, parse_count

        if isinstance(value, int):
            return value
        try:
            n = parse_count(value)
        except SynthError as exc:
            self.fail(str(exc), param, ctx)
        if n <= 0:
            self.fail(f"{value!r}: ask for at least 1 triple", param, ctx)
        return n


@click.command()
@click.option("--triples", "-n", type=TripleCount(), required=True,
              help="How many triples to write, at least: 10000, 10k, 100k, 1M.")
@click.option("--output", "-o", type=click.Path(file_okay=False), required=True, metavar="DIR",
              help="Folder to write synth-*.ttl into (created if missing; other files are left alone).")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed writes the same bytes.")
@pass_state
def synth(state: State, triples: int, output: str, seed: int) -> None:
    """Write synthetic SSE-shaped Turtle of about N triples, for benchmarks.

    Organisations of every type with sites and places, memberships with roles and dates, people
    and posts, milestones that cite each other, events with partners and participations, and
    the source records of all of them, in the proportions of a national SSE registry and
    conforming to the SHACL shapes. Every IRI is id:synth-…, so the files never collide with
    real data. Deterministic for a seed; a million triples take seconds.

    \b
    Examples:
      ssegraph synth --triples 100k -o /tmp/synth
      ssegraph --data /tmp/synth query --name untfsse-members -p org=id:synth-org-0

    In Python: ssegraph.synth.write_synth(folder, triples, seed=0)
    """
    from ..synth import write_synth

    start = time.perf_counter()
    summary = write_synth(output, triples, seed=seed)  # a SynthError becomes one Error: line
    if state.verbosity >= 0:
        click.echo(f"wrote {summary} to {summary.folder} in {time.perf_counter() - start:.1f} s", err=True)
