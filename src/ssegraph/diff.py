"""What changed between two versions of the data, entity by entity (``ssegraph diff``).

A raw RDF diff (lines of N-Triples added and removed) is what users of curated graphs keep
asking not to be given: it says ``_:b12 time:inXSDDate "2024"`` where a reader wants "the
UNHCR membership now starts in 2024". So the unit here is the entity, an IRI that is the
subject of statements, grouped by its class, and its *facts*: its statements, with a blank node
object unfolded into the path that reaches each value (``org:memberDuring / time:hasBeginning
/ time:inXSDDate``), since blank nodes have no identity between two parses. Values are shown
with their labels. A fact whose single value changed is shown as ``old → new``.

Both sides are parsed with pyoxigraph into memory (no cache: a revision is looked at once);
a git revision is materialised with ``git archive`` into a temporary folder, never by checking
it out, so the working tree is not touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LoadError, SsegraphError
from .namespaces import PREFIXES, compact

__all__ = [
    "DataDiff",
    "DiffError",
    "EntityChange",
    "diff_paths",
    "diff_revisions",
    "find_repo",
    "git_tags",
    "materialise_revision",
]

RDF_TYPE = PREFIXES["rdf"] + "type"

_LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
    "http://schema.org/name",
    "http://purl.org/dc/terms/title",
    "http://data.europa.eu/eli/ontology#id_local",
    "https://w3id.org/ssegraph/def#acronym",
)
NO_CLASS = "(no class)"


class DiffError(SsegraphError):
    """A side of a diff is not a data folder, not a revision, or has no data folder."""


# -- git --------------------------------------------------------------------------------------
def _git(repo: Path, *args: str, binary: bool = False) -> Any:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False,  # noqa: S603,S607
                              text=not binary, timeout=120)
    except FileNotFoundError:
        raise DiffError("git is not installed") from None


def find_repo(start: Path | None = None) -> Path | None:
    """The top folder of the git checkout holding ``start`` (default: the bundled data), or None."""
    from .store import package_root

    start = start or package_root()
    if not Path(start).exists():
        return None
    done = _git(Path(start), "rev-parse", "--show-toplevel")
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def _version_key(tag: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-+]", tag.lstrip("v")))


def git_tags(repo: Path) -> list[str]:
    """The ``v*`` tags of ``repo``, oldest version first (``v0.9`` before ``v0.10``)."""
    done = _git(repo, "tag", "--list", "v*")
    if done.returncode != 0:
        return []
    return sorted((t.strip() for t in done.stdout.splitlines() if t.strip()), key=_version_key)


@contextlib.contextmanager
def materialise_revision(repo: Path, rev: str, subpath: str = "data") -> Iterator[Path]:
    """``subpath`` as it was at ``rev``, extracted with ``git archive`` into a temporary folder.

    Raises
    ------
    DiffError
        ``rev`` is not a revision of ``repo``, or has no ``subpath``.
    """
    if rev.startswith("-") or not rev.strip():
        raise DiffError(f"{rev!r} is not a git revision")
    done = _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if done.returncode != 0:
        raise DiffError(f"{rev!r} is not a revision of the git repository {repo}")
    commit = done.stdout.strip()
    archive = _git(repo, "archive", "--format=tar", commit, "--", subpath, binary=True)
    if archive.returncode != 0:
        raise DiffError(f"revision {rev} has no {subpath}/ folder")
    tmp = Path(tempfile.mkdtemp(prefix="ssegraph-diff-"))
    try:
        with tarfile.open(fileobj=_BytesReader(archive.stdout)) as tar:
            try:
                tar.extractall(tmp, filter="data")
            except TypeError:  # Python before 3.11.4: no extraction filters
                tar.extractall(tmp)  # noqa: S202 - git archive of our own repository
        yield tmp / subpath
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _BytesReader:
    def __init__(self, data: bytes):
        import io

        self._io = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._io.read(n)

    def tell(self) -> int:
        return self._io.tell()

    def seek(self, *args: Any) -> int:
        return self._io.seek(*args)


# -- facts ------------------------------------------------------------------------------------
@dataclass
class _Side:
    name: str
    facts: dict[str, set[tuple[tuple[str, ...], str]]]
    types: dict[str, set[str]]
    terms: dict[str, Any]
    labels: dict[str, str]


def _load_side(path: Path, name: str, shown: str | None = None) -> _Side:
    import pyoxigraph as ox

    from .store import expand_inputs, load_file

    if not path.exists():
        raise DiffError(f"{shown or path}: no such folder")
    if path.is_dir() and not any(f.suffix == ".ttl" for f in path.rglob("*.ttl")):
        raise DiffError(f"{shown or path}: not a data folder (it holds no .ttl file)")
    try:
        files = expand_inputs([path])
        store = ox.Store()
        for f in files:
            load_file(store, f)
    except LoadError as exc:
        if shown is not None:  # a materialised revision: name the file as it is in the repository
            rel = Path(exc.path).resolve()
            with contextlib.suppress(ValueError):
                rel = rel.relative_to(path.resolve())
            raise LoadError(f"{shown}/{Path(rel).as_posix()}", exc.message, exc.line, exc.column) from None
        raise
    return _facts(store, name)


def _facts(store: Any, name: str) -> _Side:
    import pyoxigraph as ox

    out: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for q in store.quads_for_pattern(None, None, None, None):
        out[q.subject].append((q.predicate, q.object))
    facts: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    types: dict[str, set[str]] = defaultdict(set)
    terms: dict[str, Any] = {}
    label_rank: dict[str, tuple[int, int]] = {}
    labels: dict[str, str] = {}

    def unfold(b: Any, prefix: tuple[str, ...], seen: frozenset) -> Iterator[tuple[tuple[str, ...], Any]]:
        edges = out.get(b, [])
        if not edges or b in seen:
            yield prefix, None
            return
        for p, o in edges:
            path = (*prefix, p.value)
            if isinstance(o, ox.BlankNode):
                yield from unfold(o, path, seen | {b})
            else:
                yield path, o

    for s, edges in out.items():
        if not isinstance(s, ox.NamedNode):
            continue
        mine: set[tuple[tuple[str, ...], str]] = set()
        for p, o in edges:
            if p.value == RDF_TYPE and isinstance(o, ox.NamedNode):
                types[s.value].add(o.value)
            if p.value in _LABELS and isinstance(o, ox.Literal):
                rank = (_LABELS.index(p.value), 0 if o.language == "en" else (1 if not o.language else 2))
                if s.value not in label_rank or rank < label_rank[s.value]:
                    label_rank[s.value], labels[s.value] = rank, o.value
            if isinstance(o, ox.BlankNode):
                for path, value in unfold(o, (p.value,), frozenset()):
                    key = str(value) if value is not None else "[]"
                    terms.setdefault(key, value)
                    mine.add((path, key))
            else:
                key = str(o)
                terms.setdefault(key, o)
                mine.add(((p.value,), key))
        facts[s.value] = mine
    return _Side(name, facts, dict(types), terms, labels)


class _Grouping:
    """The class an entity is grouped under, read from :mod:`ssegraph.model` when a diff is made.

    An entity of a model kind (:data:`~ssegraph.model.KINDS`: organisation, person, milestone,
    event, place …) goes under its kind's first class (``org:Organization`` for a
    ``schema:NGO``), the first kind in ``KINDS`` winning as everywhere else; an n-ary node of a
    fold (:data:`~ssegraph.model.FOLDS`: membership, participation, post) under the fold's
    class; anything else (SKOS concepts, sources, sites …) under its own class, the first by
    name when it has several. Groups come in that order: kinds, folds, then by name.
    """

    def __init__(self) -> None:
        from . import model

        self.group_of: dict[str, tuple[int, str]] = {}
        self.rank: dict[str, int] = {}
        for i, k in enumerate(model.KINDS):
            for c in k.classes:
                self.group_of.setdefault(model.expand(c), (i, model.expand(k.classes[0])))
            self.rank.setdefault(model.expand(k.classes[0]), i)
        folds = [model.expand(f.cls) for f in model.FOLDS if f.cls]
        for j, c in enumerate(folds, start=len(model.KINDS)):
            self.group_of.setdefault(c, (j, c))
            self.rank.setdefault(c, j)

    def __call__(self, types: set[str]) -> str:
        found = [self.group_of[c] for c in types if c in self.group_of]
        if found:
            return min(found)[1]
        return sorted(types, key=compact)[0] if types else NO_CLASS


# -- the result -------------------------------------------------------------------------------
@dataclass
class FactChange:
    """One property path of an entity whose values differ: the old and the new values."""

    path: tuple[str, ...]
    old: list[str]
    new: list[str]


@dataclass
class EntityChange:
    """An added, removed or changed entity, with its label and (for a change) its facts."""

    iri: str
    kind: str
    status: str  # "added", "removed" or "changed"
    label: str
    old_label: str = ""
    facts: list[FactChange] = field(default_factory=list)
    size: int = 0


@dataclass
class DataDiff:
    """The differences between two versions of the data, grouped by class.

    ``entities`` lists every added, removed and changed entity; ``counts`` maps a class IRI to
    ``{"old": n, "new": n, "added": n, "removed": n, "changed": n}``. Render it with
    :meth:`to_text`, :meth:`to_markdown` or :meth:`to_json`.
    """

    old_name: str
    new_name: str
    entities: list[EntityChange]
    counts: dict[str, dict[str, int]]
    _show: Any = field(default=None, repr=False)
    _order: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def equal(self) -> bool:
        """True when no entity was added, removed or changed."""
        return not self.entities

    def summary(self) -> dict[str, int]:
        """How many entities were added, removed and changed, in all."""
        out = {"added": 0, "removed": 0, "changed": 0}
        for e in self.entities:
            out[e.status] += 1
        return out

    def _by_kind(self) -> list[tuple[str, list[EntityChange]]]:
        groups: dict[str, list[EntityChange]] = defaultdict(list)
        for e in self.entities:
            groups[e.kind].append(e)
        order = self._order
        ranked = sorted(self.counts, key=lambda k: (order.get(k, len(order)), compact(k)))
        return [(k, groups[k]) for k in ranked if groups.get(k)]

    def _value(self, key: str) -> str:
        return self._show(key) if self._show else key

    def _path(self, path: tuple[str, ...]) -> str:
        return " / ".join(compact(p) for p in path)

    def _fact_lines(self, e: EntityChange) -> list[str]:
        lines = []
        for f in e.facts:
            if len(f.old) == 1 and len(f.new) == 1:
                lines.append(f"{self._path(f.path)}: {self._value(f.old[0])} → {self._value(f.new[0])}")
                continue
            lines += [f"- {self._path(f.path)}: {self._value(v)}" for v in f.old]
            lines += [f"+ {self._path(f.path)}: {self._value(v)}" for v in f.new]
        return lines

    def _headline(self) -> str:
        s = self.summary()
        if self.equal:
            return "no differences"
        return f"{s['added']} entities added, {s['removed']} removed, {s['changed']} changed"

    def _class_line(self, kind: str) -> str:
        c = self.counts[kind]
        name = compact(kind)
        return (f"{name}: {c['old']} → {c['new']} entities ({c['added']} added, {c['removed']} removed, "
                f"{c['changed']} changed)")

    def to_text(self) -> str:
        """A plain-text report for the terminal."""
        lines = [f"diff {self.old_name} → {self.new_name}: {self._headline()}"]
        for kind, items in self._by_kind():
            lines += ["", self._class_line(kind)]
            for e in items:
                sign = {"added": "+", "removed": "-", "changed": "~"}[e.status]
                label = f"  {e.label}" if e.label else ""
                extra = f" ({e.size} facts)" if e.status != "changed" else ""
                lines.append(f"  {sign} {compact(e.iri)}{label}{extra}")
                lines += [f"      {ln}" for ln in self._fact_lines(e)]
        return "\n".join(lines) + "\n"

    def to_markdown(self, heading_level: int = 1) -> str:
        """A Markdown report (what a release's CHANGES.md holds)."""
        h = "#" * heading_level
        lines = [f"{h} Changes from {self.old_name} to {self.new_name}", "", f"{self._headline().capitalize()}.", ""]
        if self.counts:
            lines += ["| class | before | after | added | removed | changed |", "|---|---|---|---|---|---|"]
            for kind, c in sorted(self.counts.items(), key=lambda kv: compact(kv[0])):
                if any(c[k] for k in ("added", "removed", "changed")) or c["old"] != c["new"]:
                    lines.append(f"| `{compact(kind)}` | {c['old']} | {c['new']} | {c['added']} | {c['removed']} "
                                 f"| {c['changed']} |")
            lines.append("")
        for kind, items in self._by_kind():
            lines += [f"{h}# `{compact(kind)}`", ""]
            for status in ("added", "removed", "changed"):
                chosen = [e for e in items if e.status == status]
                if not chosen:
                    continue
                lines += [f"**{status.capitalize()}**", ""]
                for e in chosen:
                    label = f" {_md_text(e.label)}" if e.label else ""
                    lines.append(f"- `{compact(e.iri)}`{label}")
                    lines += [f"  - {_md_text(ln)}" for ln in self._fact_lines(e)]
                lines.append("")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        classes = []
        for kind, c in sorted(self.counts.items(), key=lambda kv: compact(kv[0])):
            items = [e for e in self.entities if e.kind == kind]
            classes.append({
                "class": kind, "name": compact(kind), **c,
                "entities": [{
                    "iri": e.iri, "status": e.status, "label": e.label,
                    **({"old_label": e.old_label} if e.old_label and e.old_label != e.label else {}),
                    "facts": [{"path": list(f.path), "property": self._path(f.path),
                               "old": [self._value(v) for v in f.old], "new": [self._value(v) for v in f.new],
                               "old_terms": f.old, "new_terms": f.new} for f in e.facts],
                } for e in items],
            })
        return {"old": self.old_name, "new": self.new_name, "equal": self.equal, "summary": self.summary(),
                "classes": classes}

    def to_json(self) -> str:
        """The report as a JSON document."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _md_text(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def _compare(old: _Side, new: _Side, labels: dict[str, str]) -> DataDiff:
    def show(key: str) -> str:
        term = new.terms.get(key) or old.terms.get(key)
        return _show_term(term, key, labels)

    kind_of = _Grouping()
    entities: list[EntityChange] = []
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"old": 0, "new": 0, "added": 0, "removed": 0,
                                                               "changed": 0})
    for iri in old.facts:
        counts[kind_of(old.types.get(iri, set()))]["old"] += 1
    for iri in new.facts:
        counts[kind_of(new.types.get(iri, set()))]["new"] += 1
    for iri in sorted(set(old.facts) | set(new.facts)):
        before, after = old.facts.get(iri), new.facts.get(iri)
        kind = kind_of(new.types.get(iri) or old.types.get(iri) or set())
        label = new.labels.get(iri) or old.labels.get(iri) or ""
        if before is None:
            entities.append(EntityChange(iri, kind, "added", label, size=len(after or ())))
        elif after is None:
            entities.append(EntityChange(iri, kind, "removed", label, size=len(before)))
        elif before != after:
            paths: dict[tuple[str, ...], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
            for path, v in sorted(before - after):
                paths[path][0].append(v)
            for path, v in sorted(after - before):
                paths[path][1].append(v)
            facts = [FactChange(p, o, n) for p, (o, n) in sorted(paths.items(), key=lambda kv: [compact(x)
                                                                                               for x in kv[0]])]
            entities.append(EntityChange(iri, kind, "changed", label, old.labels.get(iri, ""), facts))
        else:
            continue
        counts[kind][entities[-1].status] += 1
    return DataDiff(old.name, new.name, entities, dict(counts), show, kind_of.rank)


def _show_term(term: Any, key: str, labels: dict[str, str]) -> str:
    import pyoxigraph as ox

    if term is None:
        return "[]" if key == "[]" else key
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value)
        short = compact(term.value)
        return f"{label} ({short})" if label else short
    if isinstance(term, ox.Literal):
        text = json.dumps(term.value, ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        dtype = term.datatype.value if term.datatype else ""
        if dtype and dtype != PREFIXES["xsd"] + "string":
            return f"{text}^^{compact(dtype)}"
        return text
    return str(term)


def _vocabulary_labels() -> dict[str, str]:
    """Labels of the ontology's terms and concepts (roles, types), for showing values."""
    import pyoxigraph as ox

    from .store import expand_inputs, load_file, ontology_paths

    store = ox.Store()
    with contextlib.suppress(LoadError):
        for f in expand_inputs(ontology_paths()):
            load_file(store, f)
    return _facts(store, "ontology").labels


def diff_paths(old: str | os.PathLike[str], new: str | os.PathLike[str], *, old_name: str | None = None,
               new_name: str | None = None, _shown: tuple[str | None, str | None] = (None, None)) -> DataDiff:
    """Compare two data folders (or files): the Python twin of ``ssegraph diff OLD NEW``.

    Raises
    ------
    DiffError
        A path does not exist or is not a data folder.
    LoadError
        A file does not parse (``file:line:col: cause``).

    Examples
    --------
    >>> from ssegraph.store import bundled_paths
    >>> diff_paths(bundled_paths()[0], bundled_paths()[0]).equal
    True
    """
    a = _load_side(Path(old), old_name or str(old), _shown[0])
    b = _load_side(Path(new), new_name or str(new), _shown[1])
    labels = {**_vocabulary_labels(), **a.labels, **b.labels}
    return _compare(a, b, labels)


def diff_revisions(spec: str, *, repo: str | os.PathLike[str] | None = None, subpath: str = "data") -> DataDiff:
    """Compare the data folder at two git revisions: ``OLD..NEW``, or ``OLD`` (against the working tree).

    Raises
    ------
    DiffError
        Not a git checkout, a revision that does not exist or has no data folder.
    LoadError
        A file does not parse; the message names the file as ``REV:data/FILE:line:col``.
    """
    root = find_repo(Path(repo) if repo else Path.cwd()) or (find_repo() if repo is None else None)
    if root is None:
        raise DiffError(f"{repo or Path.cwd()}: not inside a git repository (give --repo)")
    old_rev, sep, new_rev = spec.partition("..")
    if not old_rev:
        raise DiffError(f"{spec!r}: give OLD..NEW or OLD (compared with the working tree)")
    with contextlib.ExitStack() as stack:
        old_dir = stack.enter_context(materialise_revision(root, old_rev, subpath))
        if sep and new_rev:
            new_dir = stack.enter_context(materialise_revision(root, new_rev, subpath))
            new_shown: str | None = f"{new_rev}:{subpath}"
        else:
            new_dir, new_rev, new_shown = root / subpath, "working tree", None
        return diff_paths(old_dir, new_dir, old_name=old_rev, new_name=new_rev,
                          _shown=(f"{old_rev}:{subpath}", new_shown))
