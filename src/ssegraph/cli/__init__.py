"""The ``ssegraph`` command: a thin click layer over the library.

Subcommands live in modules of this package and are imported only when run (a lazy group, as
in click's "Lazily Loading Subcommands"), so ``ssegraph --help`` and ``ssegraph query`` do not
pay for networkx, pyvis or rdflib. Every library error becomes one ``Error: …`` line on stderr
with exit code 2; ``validate`` exits 1 on violations.
"""

from __future__ import annotations

import importlib
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
    "site": "site_cmd:site",
    "synth": "synth_cmd:synth",
    "docs": "docs_cmd:docs",
}


class CliError(click.ClickException):
    """A library error shown as one line, with the library's exit code."""

    def __init__(self, message: str, exit_code: int = 2):
        from .._text import safe_terminal

        super().__init__(safe_terminal(message, keep_newlines=False))  # one line, no control characters
        self.exit_code = exit_code


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when invoked or listed in help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            value = super().invoke(ctx)
            try:
                sys.stdout.flush()  # a full disk or closed pipe is reported here, not at exit
            except OSError as exc:
                if isinstance(exc, BrokenPipeError):
                    raise
                _silence_stdout()
                raise CliError(f"stdout: cannot write: {exc.strerror or exc}") from None
            return value
        except SsegraphError as exc:
            raise CliError(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            click.echo("Aborted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `ssegraph query … | head`
            _silence_stdout()
            ctx.exit(0)
        except UnicodeDecodeError as exc:  # a --construct file or .rq saved in another encoding
            raise CliError(f"a file is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
                           f"{exc.start}); save it as UTF-8") from None
        except MemoryError:
            raise CliError("out of memory (a cross product or a large ORDER BY? see --max-memory)") from None
        except OSError as exc:  # full disk, unreadable file, read-only cache: one line, not a traceback
            raise CliError(os_error_text(exc)) from None


def os_error_text(exc: OSError) -> str:
    """``path: cause`` for an OS error, as one line."""
    import errno

    where = f"{exc.filename}: " if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        where += "cannot write: "
    return f"{where}{exc.strerror or exc}"


def _silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush of a closed pipe says nothing."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


@dataclass
class State:
    """What the group's options decide, shared with every subcommand through the context."""

    data: tuple[str, ...] = ()
    endpoint: str | None = None
    cache_dir: str | None = None
    verbosity: int = 0
    timeout: float | None = 60.0
    allow_service: bool = False
    queries: tuple[str, ...] = ()
    _kg: Any = field(default=None, repr=False)

    def kg(self, *, bounded: bool = True):
        """The KnowledgeGraph, loaded once per command.

        Once it is open (the cache built if need be), the command's time limit starts: a local
        query cannot be interrupted inside the engine, so the process guard stops the command
        (see :mod:`ssegraph.limits`). ``bounded=False`` for commands that run no SPARQL of the
        user's (``validate``). A remote endpoint's answers are bounded by the HTTP client.
        """
        if self._kg is None:
            from ..graph import load

            self._kg = load(
                list(self.data) if self.data else None,
                cache_dir=self.cache_dir,
                endpoint=self.endpoint,
                timeout=self.timeout,
                allow_service=self.allow_service,
                queries=self.queries,
            )
            from ..limits import current

            guard = current()
            if guard is not None and bounded and not self.endpoint:
                guard.arm(self.timeout, "the query")
        return self._kg


pass_state = click.make_pass_decorator(State, ensure=True)


def _check_timeout(ctx: click.Context, param: click.Parameter, value: float) -> float | None:
    if value != value or value < 0:  # NaN or negative
        raise click.BadParameter(
            f"{value:g} is not a time limit; give seconds above 0 (e.g. --timeout 120), or 0 for no limit")
    return None if value == 0 or value == float("inf") else value


def _check_memory(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and (value != value or value < 0):
        raise click.BadParameter(f"{value:g} is not a size; give megabytes above 0, or 0 for no limit")
    return value


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.option("--data", "-d", multiple=True, metavar="PATH",
              help="Turtle file or folder to load (repeatable). Default: the bundled data and ontology.")
@click.option("--endpoint", metavar="URL", envvar="SSEGRAPH_ENDPOINT",
              help="Read from this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--cache-dir", metavar="DIR", envvar="SSEGRAPH_CACHE_DIR",
              help="Where the on-disk store is cached. Default: ~/.cache/ssegraph.")
@click.option("--queries", "queries", multiple=True, metavar="DIR", type=click.Path(file_okay=False),
              help="A folder of your own named queries (.rq files; repeatable), listed and run beside the "
                   "bundled ones.")
@click.option("--timeout", type=float, default=60.0, show_default=True, metavar="S", callback=_check_timeout,
              help="Time limit in seconds for the command's queries, local or on --endpoint (connect to "
                   "last byte); 0 for none. A local query is stopped by ending the command (exit 2).")
@click.option("--max-memory", type=float, default=None, metavar="MB", callback=_check_memory,
              help="Stop the command (exit 2) if it holds more than MB megabytes of memory "
                   "(default: 80% of the memory available at start; 0: no limit).")
@click.option("--allow-service", is_flag=True,
              help="Let local queries use SERVICE, which makes this machine send HTTP requests to any "
                   "URL a query names (a risk with queries you did not write; see docs/security.md).")
@click.option("-v", "--verbose", count=True, help="Say more on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.version_option(package_name="ssegraph")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], endpoint: str | None, cache_dir: str | None,
        queries: tuple[str, ...], timeout: float | None, max_memory: float | None, allow_service: bool,
        verbose: int, quiet: bool) -> None:
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
    from ..limits import current

    guard = current()
    if guard is not None:
        guard.set_memory_limit(max_memory)
    ctx.obj = State(data=data, endpoint=endpoint, cache_dir=cache_dir, verbosity=-1 if quiet else verbose,
                    timeout=timeout, allow_service=allow_service, queries=queries)


def main() -> None:
    """Console-script entry point: the process guard first, so Ctrl-C works from the start."""
    from ..limits import install

    guard = install()
    try:
        cli(prog_name="ssegraph")
    finally:
        guard.stop()
