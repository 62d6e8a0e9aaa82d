"""The exceptions the library raises; the CLI turns each into one ``Error: …`` line.

One base class, so that a caller (the CLI, a notebook) can catch everything ssegraph reports
about bad input with a single ``except SsegraphError`` and never a bare traceback.
"""

from __future__ import annotations


class SsegraphError(Exception):
    """Base class of every error ssegraph reports about input, usage or environment."""

    exit_code = 2


class LoadError(SsegraphError):
    """An input file is missing, unreadable or not valid RDF.

    ``str(err)`` is ``path:line:column: cause`` so that editors can jump to the spot.
    """

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column, self.message = path, line, column, message
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class QueryError(SsegraphError):
    """A SPARQL query is malformed, refused (an update) or lacks a parameter."""


class NotFoundError(SsegraphError):
    """A named entity, query or type does not exist; the message lists close matches."""


class ExportError(SsegraphError):
    """An export or view could not be written (unwritable path, empty selection, too large)."""


class EndpointError(SsegraphError):
    """A remote SPARQL endpoint is unreachable or answered with an error."""


class ServerError(SsegraphError):
    """The local SPARQL server could not start (port in use, binary missing)."""


class CacheError(SsegraphError):
    """The store cache folder cannot be made, read or written (a file, read-only, full, not ours)."""
