"""Server commands: serve (a read-only SPARQL endpoint) and publish (push to a SPARQL 1.1 store).

Both work on the local files (``--data``, default the bundled data), never on the global
``--endpoint``: that option means "read from", and serving or publishing what a remote store
already holds is never what is meant. When ``--endpoint`` is given before one of these
commands on the command line, the command stops with a message saying where the option
belongs; an ``SSEGRAPH_ENDPOINT`` in the environment is ignored here.
"""

from __future__ import annotations

import click

from . import State, pass_state


def _refuse_global_endpoint(ctx: click.Context, command: str) -> None:
    """Stop ``ssegraph --endpoint URL serve|publish``: the global option means "read from"."""
    parent = ctx.parent
    if parent is None or not parent.params.get("endpoint"):
        return
    source = parent.get_parameter_source("endpoint")
    if source is click.core.ParameterSource.COMMANDLINE:
        where = ("give the store to publish to after the command: publish --endpoint URL"
                 if command == "publish" else "a remote store is already its own endpoint")
        raise click.UsageError(
            f"{command} works on the local files; the --endpoint before the command means "
            f"'read from a remote store' ({where})"
        )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="HOST",
              help="Address to listen on. Anything but loopback makes the endpoint reachable from other machines.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--timeout", "time_limit", type=click.IntRange(min=0), default=30, show_default=True, metavar="S",
              help="Query time limit in seconds; a slower query is cut off with an error (0: no limit).")
@click.option("--cors", is_flag=True,
              help="Allow cross-origin requests, from any origin (for web pages on other sites).")
@click.option("--allow-service", "allow_service", is_flag=True,
              help="Let clients' queries use SERVICE, which makes this machine send HTTP requests to any URL "
                   "a client names (server-side request forgery). Refused by default; see docs/security.md.")
@pass_state
@click.pass_context
def serve(ctx: click.Context, state: State, host: str, port: int, time_limit: int, cors: bool,
          allow_service: bool) -> None:
    """Serve the graph as a read-only SPARQL endpoint, with a query page, until Ctrl-C.

    Runs the Oxigraph server over the same cached store as every other command (built first if
    the data changed), behind a small proxy. Queries see every data file, merged in the default
    graph, exactly as `ssegraph query` does. Updates and SERVICE are refused; the time limit
    covers the whole answer, streamed or not. The query page and the SPARQL endpoint URLs are
    printed on stdout.

    \b
    Examples:
      ssegraph serve
      ssegraph serve --port 8000 --timeout 10
      ssegraph --data data/ --data my-additions.ttl serve
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7878/query

    In Python: ssegraph.server.serve(paths, port=7878) or start_server(...) for a handle
    """
    from ..limits import current
    from ..server import serve as run

    _refuse_global_endpoint(ctx, "serve")
    guard = current()
    if guard is not None:
        guard.disarm()
        guard.grace = 15.0  # Ctrl-C stops the server cleanly (proxy, then Oxigraph) by itself

    def ready(server) -> None:
        click.echo(f"query page:      {server.url}")
        click.echo(f"SPARQL endpoint: {server.query_url}")
        limit = f"{server.timeout} s time limit" if server.timeout else "no time limit"
        extra = ", CORS open to any origin" if cors else ""
        extra += ", SERVICE allowed" if allow_service or state.allow_service else ""
        if state.verbosity >= 0:
            click.echo(f"read-only, {limit}{extra}; press Ctrl-C to stop", err=True)

    try:
        run(list(state.data) or None, host=host, port=port, timeout=time_limit or None, cors=cors,
            cache_dir=state.cache_dir, on_ready=ready, allow_service=allow_service or state.allow_service)
    except KeyboardInterrupt:
        if state.verbosity >= 0:
            click.echo("stopped", err=True)


@click.command()
@click.option("--endpoint", "--to", "target", metavar="URL",
              help="Graph Store Protocol URL of the store: Oxigraph …/store, Fuseki …/DATASET/data "
                   "(see docs/scale.md).")
@click.option("--graph", metavar="IRI", default="https://w3id.org/ssegraph/graph/main", show_default=True,
              help="Named graph to replace with the local graph.")
@click.option("--user", metavar="NAME", envvar="SSEGRAPH_USER",
              help="User name for the store (HTTP Basic, or Digest when asked); the password is read from "
                   "$SSEGRAPH_PASSWORD, never from the command line. Also $SSEGRAPH_AUTH=user:password.")
@click.option("--auth", "auth_arg", hidden=True, metavar="USER:PASSWORD",
              help="Refused: a password on the command line is seen by ps and kept in shell history.")
@click.option("--timeout", "net_timeout", type=click.FloatRange(min=1), default=300, show_default=True, metavar="S",
              help="Seconds to wait for the store while it loads the graph.")
@pass_state
@click.pass_context
def publish(ctx: click.Context, state: State, target: str | None, graph: str, user: str | None,
            auth_arg: str | None, net_timeout: float) -> None:
    """Push the local graph into a SPARQL 1.1 store, replacing one named graph (Graph Store Protocol).

    Sends all the data files, merged, as N-Triples in one HTTP PUT to URL?graph=IRI. The PUT
    replaces the graph as one operation: publishing twice does not duplicate, and a push that
    fails half-way leaves the previous graph in place. Prints what was sent on stderr. Read it
    back with `ssegraph --endpoint QUERY-URL …` (the store's query URL, not this one).

    \b
    Examples:
      ssegraph publish --endpoint http://localhost:7878/store
      SSEGRAPH_PASSWORD=pw ssegraph publish --endpoint http://localhost:3030/sse/data --user admin
      SSEGRAPH_AUTH=dba:secret ssegraph publish --to http://host:8890/sparql-graph-crud-auth
      ssegraph --endpoint http://localhost:7878/query stats

    In Python: ssegraph.server.publish(ssegraph.load(), url, graph=IRI, auth="user:pw")
    """
    from ..graph import load
    from ..server import publish as push

    _refuse_global_endpoint(ctx, "publish")
    if not target:
        raise click.UsageError("publish needs the store's Graph Store URL: publish --endpoint URL")
    auth = _credentials(target, user, auth_arg)
    kg = load(list(state.data) or None, cache_dir=state.cache_dir)
    report = push(kg, target, graph=graph, auth=auth, timeout=net_timeout)
    click.echo(report.to_text(), err=True)


def _credentials(target: str, user: str | None, auth_arg: str | None) -> str | None:
    """``user:password`` for publish: the user from --user, the password from the environment only.

    A password given as an argument is visible to every user of the machine (``ps``) and stays
    in the shell history, so ``--auth USER:PASSWORD`` and ``http://user:password@…`` are refused.
    """
    import os
    import urllib.parse

    hint = "give --user NAME and the password in $SSEGRAPH_PASSWORD (or $SSEGRAPH_AUTH=user:password)"
    if auth_arg is not None:
        raise click.UsageError(f"a password is never taken from the command line: {hint}")
    if urllib.parse.urlsplit(target).password:
        raise click.UsageError(f"the URL carries a password, which the command line would expose: {hint}")
    if user:
        password = os.environ.get("SSEGRAPH_PASSWORD")
        if password is None:
            raise click.UsageError(f"--user {user} needs the password in $SSEGRAPH_PASSWORD")
        return f"{user}:{password}"
    return os.environ.get("SSEGRAPH_AUTH") or None
