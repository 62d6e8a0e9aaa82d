"""ssegraph: the open knowledge graph of the Social and Solidarity Economy.

>>> import ssegraph
>>> kg = ssegraph.load()                      # the bundled data, cached on disk
>>> rows = kg.named_query("untfsse-members")  # a question from the catalogue

Importing this package is cheap: pyoxigraph, rdflib, networkx and pyvis are imported only by
the functions that need them.
"""

from .errors import (
    EndpointError,
    ExportError,
    LoadError,
    NotFoundError,
    QueryError,
    ServerError,
    SsegraphError,
)
from .graph import KnowledgeGraph, load

__all__ = [
    "EndpointError",
    "ExportError",
    "KnowledgeGraph",
    "LoadError",
    "NotFoundError",
    "QueryError",
    "ServerError",
    "SsegraphError",
    "load",
]
__version__ = "0.1.0"
