"""Ontology reference documentation: one self-contained HTML page from ``ontology/*.ttl``.

The page documents every class and property of the ontology (label in each language,
definition, domain, range, sub-class and sub-property alignments, mappings, examples and the
SHACL shapes that check it), every SKOS concept scheme with its concepts' labels in en, fr and
es, and a summary of each SHACL shape.

Why not pyLODE: pyLODE 3.4 renders ``rdfs:comment`` through Markdown and inserts the result
raw, so markup in a definition reaches the page unescaped; it documents one OWL file per page,
with neither the SKOS lists nor the shapes beside it; and it pulls httpx, dominate, markdown and
html5lib for what rdflib and :func:`html.escape` do here. In this module every value read from
the Turtle files goes through :func:`html.escape` (see :func:`_esc`), links are made only for
``http(s)`` IRIs, and the page declares a Content-Security-Policy that allows no script and no
request, so it opens offline and stays inert even if a value slipped through.

Examples
--------
>>> from ssegraph.docs import generate_docs
>>> html = generate_docs()
>>> "https://w3id.org/ssegraph/def#acronym" in html
True
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExportError, LoadError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    import rdflib

__all__ = ["Reference", "build_docs", "generate_docs", "read_reference", "write_docs"]

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_OWL = PREFIXES["owl"]
_SKOS = PREFIXES["skos"]
_SH = PREFIXES["sh"]
_DCT = PREFIXES["dcterms"]
_VANN = "http://purl.org/vocab/vann/"
_XSD = PREFIXES["xsd"]

#: rdf:type values that make a subject a documented class or property, with the kind shown.
_KINDS = {
    _OWL + "Class": "class",
    _RDFS + "Class": "class",
    _OWL + "ObjectProperty": "object property",
    _OWL + "DatatypeProperty": "datatype property",
    _OWL + "AnnotationProperty": "annotation property",
    _RDF + "Property": "property",
}
#: Predicates a term card shows in their own row; anything else lands under "other".
_CARD_PREDICATES = {
    _RDF + "type", _RDFS + "label", _SKOS + "prefLabel", _RDFS + "comment", _SKOS + "definition",
    _RDFS + "domain", _RDFS + "range", _RDFS + "subClassOf", _RDFS + "subPropertyOf", _SKOS + "example",
    _SKOS + "closeMatch", _SKOS + "exactMatch", _SKOS + "broadMatch", _SKOS + "narrowMatch",
    _SKOS + "relatedMatch", _OWL + "equivalentClass", _OWL + "equivalentProperty", _OWL + "inverseOf",
}
_MATCHES = (_SKOS + "exactMatch", _SKOS + "closeMatch", _SKOS + "broadMatch", _SKOS + "narrowMatch",
            _SKOS + "relatedMatch", _OWL + "equivalentClass", _OWL + "equivalentProperty", _OWL + "inverseOf")
#: Concept predicates shown in their own columns of a scheme's table.
_CONCEPT_COLUMNS = {_RDF + "type", _SKOS + "inScheme", _SKOS + "topConceptOf", _SKOS + "notation",
                    _SKOS + "prefLabel"}
#: Datatypes whose values read plainly (a count, a flag): the page does not repeat the datatype.
_PLAIN_DATATYPES = {_XSD + t for t in ("string", "integer", "boolean", "decimal", "double", "nonNegativeInteger")}
#: Languages shown first in the concept tables, in this order (others follow, sorted).
LANGUAGES = ("en", "fr", "es")
#: SHACL predicates a shape summary shows apart from its constraints.
_SHAPE_META = {_SH + "path", _SH + "message", _SH + "name", _SH + "description", _RDFS + "comment",
               _RDF + "type", _SH + "property", _SH + "targetClass", _SH + "targetSubjectsOf",
               _SH + "targetObjectsOf", _SH + "targetNode", _SH + "declare", _SH + "prefixes", _SH + "sparql"}


# -- reading ----------------------------------------------------------------------------------
@dataclass
class Reference:
    """The parsed ontology folder: vocabulary (ontology + SKOS lists) and shapes, kept apart.

    The shapes are parsed separately because they describe the data rather than being part of
    the vocabulary: a shape node must not be mistaken for a class or a concept.
    """

    vocab: rdflib.Graph
    shapes: rdflib.Graph | None
    files: tuple[str, ...]
    prefixes: dict[str, str] = field(default_factory=dict)

    # The lists below are what the page documents; tests and the CLI summary use them too.
    def ontologies(self) -> list[Any]:
        """The ``owl:Ontology`` nodes, sorted."""
        from rdflib import RDF, URIRef

        return sorted(self.vocab.subjects(RDF.type, URIRef(_OWL + "Ontology")), key=str)

    def namespace(self) -> str | None:
        """The project namespace, from ``vann:preferredNamespaceUri`` (terms in it are 'ours')."""
        from rdflib import URIRef

        for ont in self.ontologies():
            ns = self.vocab.value(ont, URIRef(_VANN + "preferredNamespaceUri"))
            if ns is not None:
                return str(ns)
        return None

    def terms(self) -> dict[Any, str]:
        """Every class and property: typed ones, and both ends of each sub-class/sub-property axiom.

        Returns ``{iri: kind}`` sorted by IRI; ``kind`` is "class", "object property", ….
        """
        from rdflib import RDF, RDFS, URIRef

        found: dict[Any, str] = {}
        for type_iri, kind in _KINDS.items():
            for s in self.vocab.subjects(RDF.type, URIRef(type_iri)):
                if isinstance(s, URIRef):
                    found.setdefault(s, kind)
        for pred, kind in ((RDFS.subClassOf, "class"), (RDFS.subPropertyOf, "property")):
            for s, o in self.vocab.subject_objects(pred):
                for t in (s, o):
                    if isinstance(t, URIRef):
                        found.setdefault(t, kind)
        return dict(sorted(found.items(), key=lambda kv: str(kv[0])))

    def schemes(self) -> list[Any]:
        """The SKOS concept schemes, sorted."""
        from rdflib import RDF, URIRef

        return sorted(self.vocab.subjects(RDF.type, URIRef(_SKOS + "ConceptScheme")), key=str)

    def concepts(self, scheme: Any) -> list[Any]:
        """The concepts of ``scheme`` (``skos:inScheme`` or top concepts), sorted by notation then IRI."""
        from rdflib import URIRef

        g = self.vocab
        members = set(g.subjects(URIRef(_SKOS + "inScheme"), scheme))
        members |= set(g.objects(scheme, URIRef(_SKOS + "hasTopConcept")))
        members |= set(g.subjects(URIRef(_SKOS + "topConceptOf"), scheme))

        def key(c: Any) -> tuple[str, str]:
            notation = g.value(c, URIRef(_SKOS + "notation"))
            return (str(notation) if notation is not None else "~", str(c))

        return sorted(members, key=key)

    def node_shapes(self) -> list[Any]:
        """The named SHACL node shapes (IRIs that are a ``sh:NodeShape`` or carry targets), sorted."""
        from rdflib import RDF, URIRef

        if self.shapes is None:
            return []
        g = self.shapes
        named = {s for s in g.subjects(RDF.type, URIRef(_SH + "NodeShape")) if isinstance(s, URIRef)}
        for p in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "property"):
            named |= {s for s in g.subjects(URIRef(_SH + p), None) if isinstance(s, URIRef)}
        return sorted(named, key=str)


def read_reference(ontology_dir: str | os.PathLike[str] | None = None) -> Reference:
    """Parse an ontology folder laid out like ``ontology/``: ``*.ttl`` (any depth) and ``shapes.ttl``.

    Parameters
    ----------
    ontology_dir:
        Default: the bundled ontology (the repository's ``ontology/`` in a checkout).

    Raises
    ------
    LoadError
        If the folder or its ``.ttl`` files are missing, or a file is not valid Turtle
        (``path:line: cause``).
    """
    import rdflib

    if ontology_dir is None:
        from .store import ontology_paths

        folder = ontology_paths()[0]
    else:
        folder = Path(ontology_dir)
    if not folder.is_dir():
        raise LoadError(str(folder), "no such ontology folder")
    files = sorted(p for p in folder.rglob("*.ttl") if not p.name.startswith("."))
    vocab_files = [p for p in files if p.name != "shapes.ttl"]
    shape_files = [p for p in files if p.name == "shapes.ttl"]
    if not vocab_files:
        raise LoadError(str(folder), "holds no .ttl file to document")
    vocab = rdflib.Graph(bind_namespaces="none")
    for p in vocab_files:
        _parse(vocab, p)
    shapes = None
    if shape_files:
        shapes = rdflib.Graph(bind_namespaces="none")
        for p in shape_files:
            _parse(shapes, p)
    prefixes = dict(PREFIXES)
    for g in (vocab, shapes):
        for prefix, ns in (g.namespaces() if g is not None else ()):
            if prefix and str(ns) not in prefixes.values():
                prefixes.setdefault(prefix, str(ns))
    names = tuple(p.relative_to(folder).as_posix() for p in files)
    return Reference(vocab, shapes, names, prefixes)


def _parse(graph: rdflib.Graph, path: Path) -> None:
    try:
        graph.parse(path, format="turtle")
    except OSError as exc:
        raise LoadError(str(path), exc.strerror or str(exc)) from None
    except Exception as exc:  # rdflib's BadSyntax and friends share no useful base class
        line = getattr(exc, "lines", None)
        why = getattr(exc, "_why", None) or " ".join(str(exc).split())
        raise LoadError(str(path), f"not valid Turtle: {why}", line + 1 if isinstance(line, int) else None) from None


# -- writing ----------------------------------------------------------------------------------
def build_docs(out_dir: str | os.PathLike[str], *, ontology_dir: str | os.PathLike[str] | None = None) -> Path:
    """Write the ontology reference as ``out_dir/index.html``; the twin of ``ssegraph docs -o DIR``.

    The folder is created if needed; the page is written atomically, so a failed run never
    leaves half a page in place of the last good one. Returns the path of the page.

    Raises
    ------
    LoadError
        If the ontology cannot be read.
    ExportError
        If ``out_dir`` cannot be created or written.
    """
    return write_docs(read_reference(ontology_dir), out_dir)


def write_docs(reference: Reference, out_dir: str | os.PathLike[str]) -> Path:
    """Write :func:`generate_docs` of ``reference`` to ``out_dir/index.html`` (atomically)."""
    from ._io import atomic_write

    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot create the folder: {exc.strerror or exc}") from None
    target = folder / "index.html"
    text = generate_docs(reference)
    with atomic_write(target) as fh:
        fh.write(text)
    return target


def generate_docs(reference: Reference | str | os.PathLike[str] | None = None) -> str:
    """The reference page as HTML text (a :class:`Reference`, an ontology folder, or the bundled one)."""
    ref = reference if isinstance(reference, Reference) else read_reference(reference)
    return _Page(ref).render()


# -- rendering --------------------------------------------------------------------------------
def _esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute: the one way values reach the page."""
    return html.escape(str(value), quote=True)




class _Page:
    """Renders a :class:`Reference`; every value passes through :func:`_esc` on its way out."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.terms = ref.terms()
        self.schemes = ref.schemes()
        self.shapes = ref.node_shapes()
        self.ns = ref.namespace()
        self.anchors: dict[str, str] = {}
        used: set[str] = set()
        concepts = [c for s in self.schemes for c in ref.concepts(s)]
        for node in [*ref.ontologies(), *self.terms, *self.schemes, *concepts, *self.shapes]:
            key = str(node)
            if key in self.anchors:
                continue
            base = re.sub(r"[^A-Za-z0-9_-]+", "-", self.name(key)).strip("-") or "term"
            anchor, n = base, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            self.anchors[key] = anchor

    # -- small pieces --------------------------------------------------------------------
    def name(self, iri: str) -> str:
        """``prefix:local`` for known namespaces, else the IRI."""
        best = ""
        for prefix, ns in self.ref.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.ref.prefixes.get(best, "")):
                best = prefix
        return f"{best}:{iri[len(self.ref.prefixes[best]):]}" if best else iri

    def link(self, node: Any) -> str:
        """An IRI as a link: to its card when documented here, to itself when http(s), else text."""
        from rdflib import BNode, Literal

        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            return self.bnode(node)
        iri = str(node)
        label = f"<code>{_esc(self.name(iri))}</code>"
        if iri in self.anchors:
            return f'<a href="#{_esc(self.anchors[iri])}" title="{_esc(iri)}">{label}</a>'
        if re.match(r"^https?://", iri, re.IGNORECASE):
            return f'<a href="{_esc(iri)}" title="{_esc(iri)}">{label}</a>'
        return label

    def literal(self, lit: Any) -> str:
        text = _esc(lit)
        if lit.language:
            return f'{text}<span class="lang">@{_esc(lit.language)}</span>'
        if lit.datatype is not None and str(lit.datatype) not in _PLAIN_DATATYPES:
            return f'<code>{text}</code> <span class="dt">{_esc(self.name(str(lit.datatype)))}</span>'
        return text

    def bnode(self, node: Any, graph: rdflib.Graph | None = None) -> str:
        """A blank node inline: an RDF list as ``( a, b )``, a union, a path, or ``[ p v ; … ]``."""
        from rdflib import RDF, URIRef
        from rdflib.collection import Collection

        g = graph if graph is not None else self._graph_of(node)
        if (node, RDF.first, None) in g:
            return "( " + ", ".join(self.value(v, g) for v in Collection(g, node)) + " )"
        union = g.value(node, URIRef(_OWL + "unionOf"))
        if union is not None:
            return " or ".join(self.value(v, g) for v in Collection(g, union))
        inverse = g.value(node, URIRef(_SH + "inversePath"))
        if inverse is not None:
            return "^" + self.value(inverse, g)
        pairs = sorted(g.predicate_objects(node), key=lambda po: (str(po[0]) != _SH + "path", str(po[0]), str(po[1])))
        parts = [f"{_esc(self.short(p))} {self.value(o, g)}" for p, o in pairs]
        return "[ " + " ; ".join(parts) + " ]"

    def _graph_of(self, node: Any) -> rdflib.Graph:
        if self.ref.shapes is not None and (node, None, None) in self.ref.shapes:
            return self.ref.shapes
        return self.ref.vocab

    def value(self, node: Any, graph: rdflib.Graph | None = None) -> str:
        from rdflib import BNode

        return self.bnode(node, graph) if isinstance(node, BNode) else self.link(node)

    def short(self, iri: Any) -> str:
        """``sh:minCount`` as ``minCount``: SHACL keywords read better without their prefix."""
        text = str(iri)
        return text[len(_SH):] if text.startswith(_SH) else self.name(text)

    def texts(self, subject: Any, *predicates: str) -> list[Any]:
        """The literal values of ``subject`` for the predicates, English first, then by language."""
        from rdflib import URIRef

        out = []
        for p in predicates:
            out += list(self.ref.vocab.objects(subject, URIRef(p)))

        def key(lit: Any) -> tuple[int, str, str]:
            lang = getattr(lit, "language", None) or ""
            order = LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES)
            return (order, lang, str(lit))

        return sorted(out, key=key)

    def row(self, label: str, cells: Iterable[str], sep: str = ", ") -> str:
        items = [c for c in cells if c]
        if not items:
            return ""
        return f"<tr><th>{_esc(label)}</th><td>{sep.join(items)}</td></tr>"

    # -- sections ------------------------------------------------------------------------
    def render(self) -> str:
        from . import __version__

        title = "ssegraph ontology reference"
        onts = self.ref.ontologies()
        if onts:
            t = self.texts(onts[0], _DCT + "title", _RDFS + "label")
            if t:
                title = f"{t[0]} reference"
        project = [t for t in self.terms if self.ns and str(t).startswith(self.ns)]
        reused = [t for t in self.terms if t not in project]
        body = [
            self.header(onts),
            self.contents(project, reused),
            self.term_section("terms", "Project terms",
                              "Classes and properties the project defines. Each specialises or matches an "
                              "established vocabulary term, so the data reads naturally to users of those "
                              "vocabularies.", project),
            self.term_section("alignments", "Reused terms and their alignments",
                              "Terms of reused vocabularies that the ontology relates to each other or to "
                              "project terms (the axioms SHACL needs without a reasoner).", reused),
            self.scheme_section(),
            self.shape_section(),
            f"<footer>Generated by ssegraph {_esc(__version__)} from "
            + ", ".join(f"<code>{_esc(f)}</code>" for f in self.ref.files) + ".</footer>",
        ]
        from markupsafe import Markup

        from .view import _templates, asset_text

        # The page shell and its style are asset files (assets/docs.html, docs.css); the sections
        # are built here, every value passing through _esc, so they enter the template as markup.
        css = Markup(asset_text("docs.css"))  # noqa: S704 - our own asset file
        sections = [Markup(b) for b in body if b]  # noqa: S704 - built from _esc-escaped values
        return _templates().get_template("docs.html").render(title=title, css=css, sections=sections)

    def header(self, onts: list[Any]) -> str:
        from rdflib import URIRef

        if not onts:
            return "<h1>Ontology reference</h1>"
        g, ont = self.ref.vocab, onts[0]
        title = self.texts(ont, _DCT + "title", _RDFS + "label")
        desc = self.texts(ont, _DCT + "description", _RDFS + "comment")
        out = [f'<h1 id="{_esc(self.anchors[str(ont)])}">{_esc(title[0]) if title else "Ontology"} reference</h1>',
               f'<p class="iri">{_esc(ont)}</p>']
        out += [f"<p>{self.literal(d)}</p>" for d in desc if not d.language or d.language == "en"]
        rows = [
            self.row("version", [self.value(v) for v in g.objects(ont, URIRef(_OWL + "versionInfo"))]),
            self.row("license", [self.value(v) for v in g.objects(ont, URIRef(_DCT + "license"))]),
            self.row("prefix", [self.value(v) for v in g.objects(ont, URIRef(_VANN + "preferredNamespacePrefix"))]),
            self.row("namespace", [self.value(v) for v in g.objects(ont, URIRef(_VANN + "preferredNamespaceUri"))]),
        ]
        out.append('<table class="fields">' + "".join(rows) + "</table>")
        used = sorted({self.name(str(t)).split(":")[0] for t in self.terms if ":" in self.name(str(t))
                       and not self.name(str(t)).startswith("http")})
        if used:
            out.append("<details><summary>Prefixes used on this page</summary><table><tr><th>prefix</th>"
                       "<th>namespace</th></tr>" + "".join(
                           f"<tr><td><code>{_esc(p)}:</code></td><td><code>{_esc(self.ref.prefixes[p])}</code></td></tr>"
                           for p in used if p in self.ref.prefixes) + "</table></details>")
        return "\n".join(out)

    def contents(self, project: list[Any], reused: list[Any]) -> str:
        items = [("terms", f"Project terms ({len(project)})"),
                 ("alignments", f"Reused terms and their alignments ({len(reused)})"),
                 ("schemes", f"Concept schemes ({len(self.schemes)})"),
                 ("shapes", f"SHACL shapes ({len(self.shapes)})")]
        links = "".join(f'<li><a href="#{a}">{_esc(t)}</a></li>' for a, t in items)
        return f"<nav><h2>Contents</h2><ul>{links}</ul></nav>"

    def term_section(self, anchor: str, title: str, intro: str, terms: list[Any]) -> str:
        out = [f'<h2 id="{anchor}">{_esc(title)}</h2>', f"<p>{_esc(intro)}</p>"]
        if not terms:
            out.append("<p>None.</p>")
        classes = [t for t in terms if self.terms[t] == "class"]
        props = [t for t in terms if self.terms[t] != "class"]
        if classes:
            out.append(f'<p>Classes: {", ".join(self.link(t) for t in classes)}</p>')
        if props:
            out.append(f'<p>Properties: {", ".join(self.link(t) for t in props)}</p>')
        out += [self.term_card(t) for t in [*classes, *props]]
        return "\n".join(out)

    def term_card(self, term: Any) -> str:
        from rdflib import RDFS, URIRef

        g, iri = self.ref.vocab, str(term)
        kind = self.terms[term]
        labels = self.texts(term, _RDFS + "label", _SKOS + "prefLabel")
        definition = self.texts(term, _RDFS + "comment", _SKOS + "definition")
        sub_pred = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
        supers = sorted(g.objects(term, sub_pred), key=str)
        subs = sorted(g.subjects(sub_pred, term), key=str)
        domains = sorted(g.objects(term, RDFS.domain), key=str)
        ranges = sorted(g.objects(term, RDFS.range), key=str)
        users = sorted(g.subjects(RDFS.domain, term), key=str) if kind == "class" else []
        matches = [(m, o) for m in _MATCHES for o in sorted(g.objects(term, URIRef(m)), key=str)]
        examples = self.texts(term, _SKOS + "example")
        other = sorted(((p, o) for p, o in g.predicate_objects(term) if str(p) not in _CARD_PREDICATES), key=_po_key)
        rows = [
            self.row("label", [self.literal(v) for v in labels], " · "),
            self.row("definition", [self.literal(v) for v in definition], "<br>"),
            self.row("domain", [self.value(v) for v in domains]),
            self.row("range", [self.value(v) for v in ranges]),
            self.row("sub-class of" if kind == "class" else "sub-property of", [self.value(v) for v in supers]),
            self.row("super-class of" if kind == "class" else "super-property of", [self.value(v) for v in subs]),
            self.row("domain of", [self.value(v) for v in users]),
            self.row("mappings", [f"{_esc(self.name(m))} {self.value(o)}" for m, o in matches], "<br>"),
            self.row("checked by", [self.link(s) for s in self.shapes_using(term)]),
            self.row("other", [f"{_esc(self.name(str(p)))} {self.value(o)}" for p, o in other], "<br>"),
        ]
        example_html = "".join(f"<pre>{_esc(e)}</pre>" for e in examples)
        ex_row = f"<tr><th>example</th><td>{example_html}</td></tr>" if examples else ""
        return (f'<section class="card" id="{_esc(self.anchors[iri])}">'
                f'<h3>{_esc(self.name(iri))}<span class="kind">{_esc(kind)}</span></h3>'
                f'<p class="iri">{_esc(iri)}</p>'
                f'<table class="fields">{"".join(rows)}{ex_row}</table></section>')

    def shapes_using(self, term: Any) -> list[Any]:
        """The named shapes whose property shapes have ``term`` as path, or that target it."""
        from rdflib import BNode, URIRef

        g = self.ref.shapes
        if g is None:
            return []
        hits = set()
        for node in g.subjects(URIRef(_SH + "path"), term):
            for owner in g.subjects(URIRef(_SH + "property"), node):
                if isinstance(owner, URIRef):
                    hits.add(owner)
        for p in ("targetClass", "targetSubjectsOf", "targetObjectsOf"):
            hits |= {s for s in g.subjects(URIRef(_SH + p), term) if not isinstance(s, BNode)}
        return sorted(hits, key=str)

    def scheme_section(self) -> str:
        from rdflib import URIRef

        out = ['<h2 id="schemes">Concept schemes</h2>',
               "<p>The SKOS lists that classify organisations, roles, documents, counts and confidence. "
               "Data points to a concept by its IRI; the labels are what views and reports show.</p>"]
        if not self.schemes:
            out.append("<p>None.</p>")
        g = self.ref.vocab
        for scheme in self.schemes:
            iri = str(scheme)
            concepts = self.ref.concepts(scheme)
            labels = self.texts(scheme, _SKOS + "prefLabel", _RDFS + "label")
            desc = self.texts(scheme, _DCT + "description", _SKOS + "definition", _RDFS + "comment")
            langs = {getattr(lab, "language", None) or "" for c in concepts
                     for lab in g.objects(c, URIRef(_SKOS + "prefLabel"))}
            cols = [lang for lang in LANGUAGES if lang in langs] + sorted(langs - set(LANGUAGES))
            head = "".join(f"<th>{_esc(lang or 'no language')}</th>" for lang in cols)
            body = []
            for c in concepts:
                notation = g.value(c, URIRef(_SKOS + "notation"))
                cells = []
                for lang in cols:
                    vals = [v for v in g.objects(c, URIRef(_SKOS + "prefLabel"))
                            if (getattr(v, "language", None) or "") == lang]
                    cells.append("<td>" + " · ".join(sorted(_esc(v) for v in vals)) + "</td>")
                extra = sorted(((p, o) for p, o in g.predicate_objects(c) if str(p) not in _CONCEPT_COLUMNS),
                               key=_po_key)
                notes = "<br>".join(f"{_esc(self.name(str(p)))} {self.value(o)}" for p, o in extra)
                body.append(f'<tr id="{_esc(self.anchors[str(c)])}"><td><code>{_esc(notation or "")}</code></td>'
                            f'<td><code title="{_esc(c)}">{_esc(self.name(str(c)))}</code></td>'
                            f'{"".join(cells)}<td>{notes}</td></tr>')
            out.append(
                f'<section class="card" id="{_esc(self.anchors[iri])}">'
                f'<h3>{_esc(self.name(iri))}<span class="kind">concept scheme</span></h3>'
                f'<p class="iri">{_esc(iri)}</p>'
                f'<table class="fields">{self.row("label", [self.literal(v) for v in labels], " · ")}'
                f'{self.row("definition", [self.literal(v) for v in desc], "<br>")}'
                f'{self.row("concepts", [str(len(concepts))])}</table>'
                f"<table><tr><th>notation</th><th>concept</th>{head}<th>notes</th></tr>{''.join(body)}</table>"
                "</section>")
        return "\n".join(out)

    def shape_section(self) -> str:
        from rdflib import RDFS, URIRef

        out = ['<h2 id="shapes">SHACL shapes</h2>',
               "<p>What <code>ssegraph validate</code> checks: each shape, the nodes it targets, and the "
               "constraints on their properties, with the message a curator sees when one breaks.</p>"]
        g = self.ref.shapes
        if g is None or not self.shapes:
            out.append("<p>No shapes file (<code>shapes.ttl</code>) in this ontology folder.</p>")
            return "\n".join(out)
        for shape in self.shapes:
            iri = str(shape)
            comments = [self.literal(c) for c in g.objects(shape, RDFS.comment)]
            targets = [f"{_esc(self.short(p))} {self.value(o, g)}"
                       for p in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
                       for o in sorted(g.objects(shape, URIRef(_SH + p)), key=str)]
            node_rules = [f"{_esc(self.short(p))} {self.value(o, g)}"
                          for p, o in sorted(g.predicate_objects(shape), key=_po_key) if str(p) not in _SHAPE_META]
            messages = [self.literal(m) for m in g.objects(shape, URIRef(_SH + "message"))]
            for sparql in g.objects(shape, URIRef(_SH + "sparql")):
                msg = g.value(sparql, URIRef(_SH + "message"))
                select = g.value(sparql, URIRef(_SH + "select"))
                node_rules.append("SPARQL constraint" + (f": {self.literal(msg)}" if msg is not None else "")
                                  + (f"<pre>{_esc(_dedent(str(select)))}</pre>" if select is not None else ""))
            props = []
            for ps in g.objects(shape, URIRef(_SH + "property")):
                path = g.value(ps, URIRef(_SH + "path"))
                constraints = [f"{_esc(self.short(p))} {self.value(o, g)}"
                               for p, o in sorted(g.predicate_objects(ps), key=_po_key) if str(p) not in _SHAPE_META]
                msg = [self.literal(m) for m in g.objects(ps, URIRef(_SH + "message"))]
                path_html = self.value(path, g) if path is not None else ""
                props.append((self._path_key(g, ps), path_html + "".join(constraints),
                              f"<tr><td>{path_html}</td><td>{'<br>'.join(constraints)}</td>"
                              f"<td>{' '.join(msg)}</td></tr>"))
            props = [row for *_, row in sorted(props)]
            table = ("<table><tr><th>property</th><th>constraints</th><th>message</th></tr>"
                     + "".join(props) + "</table>") if props else ""
            out.append(
                f'<section class="card" id="{_esc(self.anchors[iri])}">'
                f'<h3>{_esc(self.name(iri))}<span class="kind">node shape</span></h3>'
                f'<p class="iri">{_esc(iri)}</p>'
                f'<table class="fields">{self.row("about", comments, "<br>")}{self.row("targets", targets, "<br>")}'
                f'{self.row("node rules", node_rules, "<br>")}{self.row("message", messages, "<br>")}</table>'
                f"{table}</section>")
        return "\n".join(out)

    def _path_key(self, g: rdflib.Graph, node: Any) -> str:
        from rdflib import URIRef

        path = g.value(node, URIRef(_SH + "path"))
        if isinstance(path, URIRef):
            return self.name(str(path))
        inverse = g.value(path, URIRef(_SH + "inversePath")) if path is not None else None
        return "~" + self.name(str(inverse or ""))


def _po_key(pair: tuple[Any, Any]) -> tuple[str, str]:
    """Sort (predicate, object) pairs by text: rdflib terms of mixed kinds do not compare."""
    return (str(pair[0]), str(pair[1]))


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip()
