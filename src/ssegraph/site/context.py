"""What every page of the site shares: the entity index, page paths, links and rendering.

Each section module (:mod:`.entities`, :mod:`.lists`, :mod:`.gallery`, :mod:`.home`,
:mod:`.views`) receives one :class:`SiteContext` and writes its pages through
:meth:`SiteContext.write_page`, so that the path of an entity's page, the label it is shown by,
the page chrome and the Content-Security-Policy are decided here once.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import model
from ..namespaces import PREFIXES, compact

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def page_path(iri: str) -> str:
    """The site path of an entity's page, derived from its IRI.

    An IRI in a namespace of the project's prefix table becomes ``{prefix}/{local}.html``: the
    project's own ``https://w3id.org/ssegraph/id/ilo`` is ``id/ilo.html`` (so a deployment can
    redirect ``/ssegraph/id/(.*)`` to ``…/id/$1.html``), the EU authority's
    ``…/country/FRA`` is ``country/FRA.html``. Characters outside ``A-Za-z0-9._-`` and IRIs in
    no known namespace are replaced by a digest, so a path never leaves its folder.

    Examples
    --------
    >>> page_path("https://w3id.org/ssegraph/id/ilo")
    'id/ilo.html'
    >>> page_path("http://publications.europa.eu/resource/authority/country/FRA")
    'country/FRA.html'
    >>> page_path("urn:x:1")
    'ext/8a526707155a6875.html'
    """
    short = compact(iri)
    prefix, sep, local = short.partition(":")
    if sep and prefix in PREFIXES and local and not _SAFE.search(local) and not local.startswith("."):
        return f"{prefix}/{local}.html"
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]
    if sep and prefix in PREFIXES and local:
        return f"{prefix}/{re.sub(r'[^A-Za-z0-9_-]+', '-', local).strip('-')[:60]}-{digest[:8]}.html"
    return f"ext/{digest}.html"


@dataclass
class EntityRef:
    """One entity that has a page: its IRI, kind, names and where its page is."""

    iri: str
    kind: model.EntityKind
    label: str
    short: str
    path: str
    #: every naming literal (label properties, acronym, symbol) as (property, text, lang)
    names: list[tuple[str, str, str]] = field(default_factory=list, repr=False)

    @property
    def curie(self) -> str:
        return compact(self.iri)


def _naming_properties() -> list[str]:
    return list(dict.fromkeys((*model.LABEL_PROPERTIES, model.ALT_LABEL, model.ACRONYM, model.SYMBOL,
                               *model.DATE_PROPERTIES)))


def entity_index(kg: KnowledgeGraph, lang: str = "en") -> dict[str, EntityRef]:
    """Every IRI whose class is one of :data:`ssegraph.model.PAGE_KINDS`, named by the model's
    label rule: two queries over the whole store, whatever its size."""
    import pyoxigraph as ox

    classes: dict[str, list[str]] = defaultdict(list)
    wanted = " ".join(f"<{c}>" for k in model.PAGE_KINDS for c in k.classes)
    for row in kg.query(f"SELECT ?s ?c WHERE {{ VALUES ?c {{ {wanted} }} ?s a ?c FILTER(isIRI(?s)) }}").terms():
        classes[row["s"].value].append(row["c"].value)
    names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    props = " ".join(f"<{p}>" for p in _naming_properties())
    for row in kg.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {props} }} ?s ?p ?o FILTER(isIRI(?s)) }}").terms():
        s = row["s"].value
        if s in classes and isinstance(row["o"], ox.Literal):
            names[s].append((row["p"].value, row["o"].value, row["o"].language or ""))
    index: dict[str, EntityRef] = {}
    for iri, cls in classes.items():
        kind = _page_kind(cls)
        vals = names.get(iri, [])
        label = model.choose_label(vals, lang, kind=kind.key) or compact(iri)
        short = model.choose_label(vals, lang, short=True, kind=kind.key) or label
        index[iri] = EntityRef(iri, kind, label, short, page_path(iri), vals)
    return dict(sorted(index.items()))


def _page_kind(class_iris: Iterable[str]) -> model.EntityKind:
    """The model's kind, else the jurisdiction kind (the index only holds classes of PAGE_KINDS)."""
    found = model.kind_for(class_iris)
    return found if found is not None else model.JURISDICTION


@dataclass
class SiteContext:
    """What the section writers share while one site is built.

    ``out`` is the (temporary) folder being written; ``entities`` the index of every entity
    with a page; ``endpoint`` the SPARQL endpoint the gallery links to, if any.
    """

    kg: Any
    out: Path
    entities: dict[str, EntityRef]
    lang: str = "en"
    endpoint: str | None = None
    #: the time limit of each gallery query, in seconds (None: unbounded)
    query_timeout: float | None = 30.0
    pages: list[str] = field(default_factory=list)
    #: the selection ``network.html`` draws ({} the whole graph); None when it draws none
    network_selection: dict[str, str] | None = None

    # -- links ---------------------------------------------------------------------------
    def ref(self, iri: str) -> EntityRef | None:
        """The entity with a page at ``iri``, or None."""
        return self.entities.get(iri)

    @staticmethod
    def root_of(path: str) -> str:
        """The relative prefix from the page at ``path`` back to the site root: ``""`` or ``"../"``."""
        return "../" * path.count("/")

    def href(self, iri: str, from_path: str) -> str | None:
        """A relative link from the page at ``from_path`` to ``iri``'s page (None: it has none)."""
        ref = self.entities.get(iri)
        return None if ref is None else self.root_of(from_path) + ref.path

    def label(self, iri: str) -> str:
        """The entity's label, else the compact IRI."""
        ref = self.entities.get(iri)
        return ref.label if ref is not None else compact(iri)

    # -- writing -------------------------------------------------------------------------
    def write_page(self, path: str, template: str, *, title: str, scripts: Sequence[str] = (),
                   data: Any = None, data_id: str = "site-data", **context: Any) -> Path:
        """Render ``site/{template}`` (which extends ``site/base.html``) to ``out/path``.

        The page links the shared style sheet, inlines ``scripts`` (asset texts) under a CSP that
        admits exactly those by hash (``script-src 'none'`` when there are none), and carries
        ``data`` as escaped JSON. Every other value is escaped by Jinja's autoescape.
        """
        from markupsafe import Markup

        from ..view import _csp_hash, _lf, json_for_html

        scripts = [_lf(s) for s in scripts]
        script_src = " ".join(_csp_hash(s) for s in scripts) or "'none'"
        csp = (f"default-src 'none'; script-src {script_src}; style-src 'self'; img-src 'self' data: blob:; "
               "base-uri 'none'; form-action 'none'; connect-src 'none'; frame-src 'none'")
        html = templates().get_template(f"site/{template}").render(
            csp=csp, root=self.root_of(path), path=path, title=title,
            scripts=[Markup(s) for s in scripts],  # noqa: S704 -- our own asset files
            data_id=data_id,
            data=None if data is None else Markup(json_for_html(data)),  # noqa: S704 -- <, >, & escaped
            ctx=self, **context)
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        self.pages.append(path)
        return target

    def write_file(self, path: str, data: bytes | str) -> Path:
        """Write a non-page file (a CSV download, a style sheet) into the site."""
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        target.write_bytes(data)
        return target


@functools.cache
def templates() -> Any:
    """The Jinja2 environment of the page templates (``ssegraph/assets/``), autoescaping on."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    from ..view import asset_text

    return Environment(loader=FunctionLoader(asset_text), autoescape=True, keep_trailing_newline=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
