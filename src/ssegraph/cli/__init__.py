"""The ``ssegraph`` command: a thin click layer over the library.

Subcommands live in modules of this package and are imported only when run (a lazy group, as
in click's "Lazily Loading Subcommands"), so ``ssegraph --help`` and ``ssegraph query`` do not
pay for networkx, pyvis or rdflib. Every library error becomes one ``Error: …`` line on stderr
with exit code 2; ``validate`` exits 1 on violations.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from dataclasses import dataclass, field
from typing import Any

import click

from ..errors import SsegraphError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: command name -> "module:function" (relative to this package), imported on first use.
COMMANDS: dict[str, str] = {
    "validate": "core:validate",
    "query": "core:query",
    "queries": "core:queries",
    "stats": "core:stats",
    "describe": "core:describe",
    "export": "export_cmd:export",
    "view": "view_cmd:view",
    "timeline": "view_cmd:timeline",
    "serve": "server_cmd:serve",
    "publish": "server_cmd:publish",
    "release": "release_cmd:release",
    "diff": "release_cmd:diff",
    "synth": "synth_cmd:synth",
    "docs": "docs_cmd:docs",
}


class CliError(click.ClickException):
    """A library error shown as one line, with the library's exit code."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when invoked or listed in help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._available(name)]

    def _available(self, name: str) -> bool:
        module = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(f"{__name__}.{module}") is not None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None or not self._available(name):
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SsegraphError as exc:
            raise CliError(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            click.echo("Aborted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `ssegraph query … | head`
            sys.stderr.close()
            ctx.exit(0)


@dataclass
class State:
    """What the group's options decide, shared with every subcommand through the context."""

    data: tuple[str, ...] = ()
    endpoint: str | None = None
    cache_dir: str | None = None
    verbosity: int = 0
    timeout: float = 30.0
    _kg: Any = field(default=None, repr=False)

    def kg(self):
        """The KnowledgeGraph, loaded once per command."""
        if self._kg is None:
            from ..graph import load

            self._kg = load(
                list(self.data) if self.data else None,
                cache_dir=self.cache_dir,
                endpoint=self.endpoint,
                timeout=self.timeout,
            )
        return self._kg


pass_state = click.make_pass_decorator(State, ensure=True)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.option("--data", "-d", multiple=True, metavar="PATH",
              help="Turtle file or folder to load (repeatable). Default: the bundled data and ontology.")
@click.option("--endpoint", metavar="URL", envvar="SSEGRAPH_ENDPOINT",
              help="Read from this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--cache-dir", metavar="DIR", envvar="SSEGRAPH_CACHE_DIR",
              help="Where the on-disk store is cached. Default: ~/.cache/ssegraph.")
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="Seconds to wait for a remote endpoint.")
@click.option("-v", "--verbose", count=True, help="Say more on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.version_option(package_name="ssegraph")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], endpoint: str | None, cache_dir: str | None,
        timeout: float, verbose: int, quiet: bool) -> None:
    """The open knowledge graph of the Social and Solidarity Economy.

    Organisations, policy milestones and events of the SSE as linked data: validate it, query
    it with SPARQL, export it to Gephi and Cytoscape, and explore it in offline HTML views.

    \b
    Examples:
      ssegraph validate
      ssegraph query --name untfsse-members
      ssegraph describe UNTFSSE
      ssegraph export graphml -o sse.graphml
    """
    if data and endpoint and ctx.get_parameter_source("endpoint") != click.core.ParameterSource.ENVIRONMENT:
        raise click.UsageError("--data and --endpoint exclude each other")
    if data:
        endpoint = None  # explicit local files win over $SSEGRAPH_ENDPOINT
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr, force=True)
    ctx.obj = State(data=data, endpoint=endpoint, cache_dir=cache_dir, verbosity=-1 if quiet else verbose,
                    timeout=timeout)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ssegraph")
