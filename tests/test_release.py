"""`ssegraph release`: the dumps reload to the store's triples, the tables agree with the named
queries, the metadata describes the files as they are, and a bad target is refused whole."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from _cli import one_error_line
from ssegraph.release import GENID, GRAPH_BASE, input_files, list_tables, skolem_map, write_release

REPO = Path(__file__).parent.parent
VERSION = "9.9.9-test"


@pytest.fixture(scope="module")
def released(tmp_path_factory, cache_dir) -> Path:
    """The bundled data released once, through the CLI, with CHANGES.md left to its default."""
    from click.testing import CliRunner

    from ssegraph.cli import cli

    out = tmp_path_factory.mktemp("rel") / "release"
    r = CliRunner().invoke(cli, ["--cache-dir", str(cache_dir), "release", "-o", str(out), "--version", VERSION],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert f"released ssegraph {VERSION} to {out}" in r.stderr
    return out


def values(result) -> list[dict[str, str | None]]:
    """A query's rows with each value as its lexical form (None when unbound), as CSV cells are."""
    names = result.variables
    return [{k: (row[k].value if row.get(k) is not None else None) for k in names} for row in result.terms()]


def read_table(folder: Path, name: str) -> list[dict[str, str]]:
    raw = (folder / "tables" / f"{name}.csv").read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def unskolemise(triples) -> list:
    """Skolem IRIs back to blank nodes (one per IRI): the inverse the round trip allows."""
    nodes: dict[str, ox.BlankNode] = {}

    def back(t):
        if isinstance(t, ox.NamedNode) and t.value.startswith(GENID):
            return nodes.setdefault(t.value, ox.BlankNode())
        return t

    return [ox.Triple(back(t.subject), t.predicate, back(t.object)) for t in triples]


def to_rdflib(triples):
    import rdflib

    g = rdflib.Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


# -- the dumps --------------------------------------------------------------------------------
def test_the_folder_holds_every_promised_file(released):
    names = {p.relative_to(released).as_posix() for p in released.rglob("*") if p.is_file()}
    assert names == {
        f"ssegraph-{VERSION}.nt.gz", f"ssegraph-{VERSION}.nq.gz", "README.md", "LICENSE.txt", "CITATION.cff",
        "void.ttl", "CHANGES.md", "SHA256SUMS", *(f"tables/{t}.csv" for t in
                                                   ("milestones", "organisations", "memberships", "posts", "events",
                                                    "participations", "sources")),
    }
    assert not list(released.parent.glob(".release.*")), "a temporary folder was left behind"


def test_reloading_the_ntriples_dump_gives_exactly_the_stores_triples(released, kg):
    with gzip.open(released / f"ssegraph-{VERSION}.nt.gz") as fh:
        dumped = list(ox.parse(fh, format=ox.RdfFormat.N_TRIPLES))
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in dumped)
    assert any(t.subject.value.startswith(GENID) for t in dumped), "the data has blank nodes to skolemise"
    store_triples = [ox.Triple(q.subject, q.predicate, q.object) for q in kg.store.quads_for_pattern(None, None, None)]
    assert len(dumped) == len(store_triples) == len({str(t) for t in dumped})
    from rdflib.compare import isomorphic

    assert isomorphic(to_rdflib(unskolemise(dumped)), to_rdflib(store_triples))


def test_the_nquads_dump_has_one_graph_per_file_and_the_same_statements(released, kg):
    with gzip.open(released / f"ssegraph-{VERSION}.nq.gz") as fh:
        quads = list(ox.parse(fh, format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    expected = {GRAPH_BASE + f.relative_to(REPO).with_suffix("").as_posix() for f in kg.files}
    assert graphs == expected
    assert GRAPH_BASE + "data/organisations" in graphs
    with gzip.open(released / f"ssegraph-{VERSION}.nt.gz") as fh:
        nt = {str(t) for t in ox.parse(fh, format=ox.RdfFormat.N_TRIPLES)}
    assert {str(ox.Triple(q.subject, q.predicate, q.object)) for q in quads} == nt
    # the graph of one file holds exactly that file's statements
    people = REPO / "data" / "people.ttl"
    in_file = list(ox.parse(path=str(people), format=ox.RdfFormat.TURTLE, base_iri=people.as_uri()))
    in_graph = [q for q in quads if q.graph_name.value == GRAPH_BASE + "data/people"]
    assert len(in_graph) == len({str(t) for t in in_file})


def test_skolem_iris_come_from_content_so_a_second_release_is_byte_identical(released, kg, tmp_path):
    again = write_release(kg, tmp_path / "again", version=VERSION, previous=None, issued="2000-01-01")
    for name in (f"ssegraph-{VERSION}.nt.gz", f"ssegraph-{VERSION}.nq.gz", "tables/memberships.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (released / name).read_bytes(), name
    assert again.triples == len(kg.store)


def test_skolem_map_tells_apart_same_content_in_different_places_and_keeps_twins():
    data = b"""
    @prefix ex: <http://ex/> .
    ex:a ex:during [ ex:begins "2024" ] .
    ex:b ex:during [ ex:begins "2024" ] .
    ex:c ex:during [ ex:begins "2024" ], [ ex:begins "2024" ] .
    ex:d ex:during [ ex:begins [ ex:year "2023" ] ] .
    """
    first = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    second = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    m1, m2 = skolem_map(first), skolem_map(second)
    assert len(m1) == 6 and len(set(m1.values())) == 6  # twins under ex:c get two IRIs

    def by_parent(quads, mapping):
        return sorted((q.subject.value if isinstance(q.subject, ox.NamedNode) else "_", mapping[q.object].value)
                      for q in quads if isinstance(q.object, ox.BlankNode))

    assert by_parent(first, m1) == by_parent(second, m2)  # same data, same IRIs, in any parse
    a = next(m1[q.object] for q in first if q.subject.value == "http://ex/a")
    b = next(m1[q.object] for q in first if q.subject.value == "http://ex/b")
    assert a != b and a.value.startswith(GENID)


def test_blank_nodes_are_skolemised_in_the_text_and_in_a_table_that_shows_one(tmp_path):
    """The dumps are skolemised as text; a literal that looks like a blank node stays as it is, and
    a table that would show a blank node (a membership without an IRI) shows its skolem IRI."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "m.ttl").write_text(ORGS + """
@prefix time: <http://www.w3.org/2006/time#> .
@prefix ex: <http://ex/> .
[] a org:Membership ; org:member id:one ; org:organization id:two ;
   org:memberDuring [ time:hasBeginning [ time:inXSDgYear "2020" ] ] .
id:one ex:note "x> _:b0 .", "_:b0 <http://ex/p> _:b1 ." ; ex:loop _:c1 .
_:c1 ex:next _:c2 . _:c2 ex:next _:c1 .
""", encoding="utf-8")
    report = write_release([data], tmp_path / "rel", version="1", previous=None)
    with gzip.open(tmp_path / "rel" / "ssegraph-1.nt.gz") as fh:
        dumped = list(ox.parse(fh, format=ox.RdfFormat.N_TRIPLES))
    with gzip.open(tmp_path / "rel" / "ssegraph-1.nq.gz") as fh:
        quads = list(ox.parse(fh, format=ox.RdfFormat.N_QUADS))
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in dumped)
    assert {str(ox.Triple(q.subject, q.predicate, q.object)) for q in quads} == {str(t) for t in dumped}
    assert report.skolemised == 5  # membership, interval, instant and the two of the cycle
    notes = sorted(t.object.value for t in dumped if t.predicate.value == "http://ex/note")
    assert notes == ["_:b0 <http://ex/p> _:b1 .", "x> _:b0 ."]
    store = ox.Store()
    for f in input_files([data]):
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    from rdflib.compare import isomorphic

    assert isomorphic(to_rdflib(unskolemise(dumped)), to_rdflib(list(store)))
    rows = read_table(tmp_path / "rel", "memberships")
    assert len(rows) == 1 and rows[0]["membership"].startswith(GENID) and rows[0]["start"] == "2020"
    assert rows[0]["membership"] in {t.subject.value for t in dumped}


# -- the tables -------------------------------------------------------------------------------
def test_tables_are_utf8_with_one_documented_header(released):
    for t in list_tables():
        raw = (released / "tables" / f"{t.name}.csv").read_bytes()
        text = raw.decode("utf-8")
        header = next(csv.reader(io.StringIO(text)))
        assert header == [c for c, _ in t.columns], t.name
        assert all(meaning for _, meaning in t.columns), t.name
        rows = read_table(released, t.name)
        assert rows and all(r[header[0]].startswith("https://w3id.org/ssegraph/") for r in rows), t.name
        assert sum(1 for r in rows if r == dict(zip(header, header, strict=True))) == 0
    assert "économie" in (released / "tables" / "sources.csv").read_text(encoding="utf-8")


def test_memberships_table_agrees_with_the_members_query(released, kg):
    rows = read_table(released, "memberships")
    answered = values(kg.named_query("untfsse-members"))
    if "joined" in answered[0]:  # members by role, with which date is which; posts are elsewhere
        table = {(r["member_iri"], r["role"], r["start"], r["first_attested"], r["last_attested"], r["end"])
                 for r in rows if r["organisation_iri"] == "https://w3id.org/ssegraph/id/untfsse" and not r["post"]}
        query = {(r["member"], r["role"], *(r[k] or "" for k in ("joined", "first_attested", "last_attested", "ended")))
                 for r in answered}
    else:
        table = {(r["member_iri"], r["role"], r["start"]) for r in rows
                 if r["organisation_iri"] == "https://w3id.org/ssegraph/id/untfsse"}
        query = {(r["member"], r["role"], r["since"] or "") for r in answered}
    assert table == query and len(table) > 20


def test_events_table_agrees_with_the_events_query(released, kg):
    rows = {r["event"]: r for r in read_table(released, "events")}
    answered = values(kg.named_query("events"))
    assert set(rows) == {r["event"] for r in answered}
    for r in answered:
        t = rows[r["event"]]
        assert t["name"] == (r["name"] or ""), r["event"]
        assert (r["start"] or "") in t["start"].split(" | ") and (r["end"] or "") in t["end"].split(" | ")
        organisers = (r["organisers"] or "").split(" | ")
        assert set(filter(None, t["organisers"].split(" | "))) == set(filter(None, organisers))


def test_milestones_table_agrees_with_the_dated_milestones_query(released, kg):
    rows = {r["milestone"]: r for r in read_table(released, "milestones")}
    answered = values(kg.named_query("milestones-between", {"from": "1800-01-01", "to": "2100-12-31"}))
    assert answered
    for r in answered:
        t = rows[r["milestone"]]
        assert r["date"] in (t["adopted"] or t["date"]).split(" | ")  # disputed dates: both kept
        assert t["symbol"] == (r["symbol"] or "")
        assert t["title"] == (r["title"] or "") or not r["title"]
        assert (r["body"] or "") in t["body"].split(" | ") + [""]
    for r in values(kg.named_query("milestones-by-jurisdiction")):
        assert (r["jurisdictionLabel"] in rows[r["milestone"]]["jurisdiction"].split(" | ")
                or r["jurisdictionLabel"] == r["jurisdiction"])


def test_participations_table_agrees_with_the_representatives_query(released, kg):
    table = {(r["event"], r["person_iri"], r["on_behalf_of_iri"], r["role"])
             for r in read_table(released, "participations") if r["person"]}
    query = {(r["event"], r["person"], r["organisation"] or "", r["role"] or "")
             for r in values(kg.named_query("representatives"))}
    assert query <= table and len(query) > 10


def test_posts_table_agrees_with_the_post_holders_query(released, kg):
    rows = {r["post"]: r for r in read_table(released, "posts")}
    answered = values(kg.named_query("post-holders"))
    assert answered
    matched = 0
    for r in answered:  # holders by org:heldBy are in the table; those only by a dated sse:viaPost are not
        t = rows[r["post"]]
        if r["holder"] in t["holder_iris"].split(" | "):
            assert r["holderName"] in t["holders"].split(" | ")
            matched += 1
    assert matched >= len(answered) // 2


# -- metadata ---------------------------------------------------------------------------------
def test_sha256sums_and_void_describe_the_files_as_written(released):
    sums = (released / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == sum(1 for p in released.rglob("*") if p.is_file()) - 1
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((released / name).read_bytes()).hexdigest() == digest, name
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=released).returncode == 0
    void = ox.Store()
    void.load(path=str(released / "void.ttl"), format=ox.RdfFormat.TURTLE)
    prefixes = "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#> " \
               "PREFIX spdx: <http://spdx.org/rdf/terms#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    files = list(void.query(prefixes + "SELECT ?d ?size ?sha WHERE { ?ds void:dataDump ?d . ?d dcat:byteSize ?size ; "
                                       "spdx:checksum/spdx:checksumValue ?sha }"))
    assert len(files) == 2
    for row in files:
        path = released / row["d"].value.rsplit("/", 1)[1]
        assert int(row["size"].value) == path.stat().st_size
        assert row["sha"].value == hashlib.sha256(path.read_bytes()).hexdigest()
    meta = next(iter(void.query(prefixes + "SELECT * WHERE { ?ds void:triples ?n ; dcterms:license ?l ; "
                                           "dcat:version ?v ; dcterms:issued ?i ; void:classes ?c }")))
    with gzip.open(released / f"ssegraph-{VERSION}.nt.gz") as fh:
        assert int(meta["n"].value) == sum(1 for _ in fh)
    assert meta["l"].value == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert meta["v"].value == VERSION and int(meta["c"].value) > 10


def test_readme_documents_every_table_column_class_and_property(released):
    readme = (released / "README.md").read_text(encoding="utf-8")
    for t in list_tables():
        assert f"`tables/{t.name}.csv`" in readme
        for column, _ in t.columns:
            assert f"| `{column}` | " in readme, (t.name, column)
    with gzip.open(released / f"ssegraph-{VERSION}.nt.gz") as fh:
        triples = list(ox.parse(fh, format=ox.RdfFormat.N_TRIPLES))
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for p in {t.predicate.value for t in triples}:
        assert f"<{p}>" in readme, p
    for c in {t.object.value for t in triples if t.predicate.value == rdf_type}:
        assert f"<{c}>" in readme, c
    assert "CC0-1.0" in readme
    assert "Every class with at least one instance" in readme
    assert "eli:LegalResource" in readme


def test_licence_citation_and_first_release_changes(released):
    assert "CC0 1.0 Universal" in (released / "LICENSE.txt").read_text()
    cff = (released / "CITATION.cff").read_text()
    assert "cff-version: 1.2.0" in cff and f'version: "{VERSION}"' in cff and "license: CC0-1.0" in cff
    assert "type: dataset" in cff


# -- bad input --------------------------------------------------------------------------------
def test_a_non_empty_folder_is_refused_without_force_and_replaced_with_it(run, tmp_path):
    out = tmp_path / "rel"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = run("release", "-o", str(out), "--no-changes")
    assert one_error_line(r) == f"Error: {out}: folder is not empty (use --force to replace it)"
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    r = run("release", "-o", str(out), "--no-changes", "--force", "--version", "1.0")
    assert r.exit_code == 0, r.output
    assert not (out / "keep.txt").exists() and (out / "ssegraph-1.0.nt.gz").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rel"]


def test_a_failure_half_way_leaves_the_target_untouched(kg, tmp_path, monkeypatch):
    import ssegraph.release as rel

    out = tmp_path / "rel"
    out.mkdir()
    (out / "old.txt").write_text("previous release")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(rel, "_write_table", broken)
    with pytest.raises(OSError):
        write_release(kg, out, force=True, previous=None)
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rel"]


def test_a_data_file_that_does_not_parse_is_one_error_line(run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://ex/> .\nex:a ex:b .\n")
    r = run("--data", str(bad), "release", "-o", str(tmp_path / "rel"), cache=tmp_path / "cache")
    line = one_error_line(r)
    assert "bad.ttl:2:" in line
    assert not (tmp_path / "rel").exists()


# -- CHANGES.md from git tags -----------------------------------------------------------------
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changes_compare_with_the_previous_tag(tmp_path, cache_dir):
    import ssegraph

    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "orgs.ttl").write_text(ORGS, encoding="utf-8")

    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    git("tag", "v0.1.0")
    (repo / "data" / "orgs.ttl").write_text(ORGS.replace('"Old name"@en', '"New name"@en'), encoding="utf-8")
    kg = ssegraph.load([repo / "data"], cache_dir=cache_dir)
    report = write_release(kg, tmp_path / "rel", version="0.2.0", repo=repo)
    changes = (tmp_path / "rel" / "CHANGES.md").read_text(encoding="utf-8")
    assert report.previous == "v0.1.0"
    assert "## Changes from v0.1.0 to 0.2.0" in changes
    assert 'skos:prefLabel: "Old name"@en → "New name"@en' in changes
    assert "since v0.1.0" in (tmp_path / "rel" / "README.md").read_text(encoding="utf-8")
    git("tag", "v0.2.0")  # releasing 0.2.0 again still compares with the tag before it
    write_release(kg, tmp_path / "rel", version="0.2.0", repo=repo, force=True)
    assert "from v0.1.0 to 0.2.0" in (tmp_path / "rel" / "CHANGES.md").read_text(encoding="utf-8")


ORGS = """@prefix id: <https://w3id.org/ssegraph/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:one a org:Organization ; skos:prefLabel "Old name"@en .
id:two a org:Organization ; skos:prefLabel "Two"@en .
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_other_data_than_the_repositorys_is_released_without_a_comparison(tmp_path):
    data = tmp_path / "mine"
    data.mkdir()
    (data / "orgs.ttl").write_text(ORGS, encoding="utf-8")
    report = write_release([data], tmp_path / "rel", version="1.0", repo=REPO)
    assert report.previous is None
    assert "No comparison" in (tmp_path / "rel" / "CHANGES.md").read_text(encoding="utf-8")
    with pytest.raises(Exception, match="does not hold"):
        write_release([data], tmp_path / "rel2", version="1.0", repo=REPO, previous="HEAD")
    assert not (tmp_path / "rel2").exists()


def test_release_into_the_working_folder_and_onto_a_file(run, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    r = run("release", "-o", ".", "--no-changes", "--version", "2.0")
    assert r.exit_code == 0, r.output
    assert (here / "ssegraph-2.0.nt.gz").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]
    (tmp_path / "file").write_text("x")
    onto_file = run("release", "-o", str(tmp_path / "file"))
    assert onto_file.exit_code == 2 and "is a file" in onto_file.stderr
    assert (tmp_path / "file").read_text() == "x"


def test_a_triple_stated_in_two_files_is_dumped_and_counted_once(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.ttl").write_text(ORGS, encoding="utf-8")
    (data / "b.ttl").write_text(ORGS.split("id:two")[0], encoding="utf-8")  # id:one's two triples again
    report = write_release([data], tmp_path / "rel", version="1", previous=None)
    with gzip.open(tmp_path / "rel" / "ssegraph-1.nt.gz") as fh:
        lines = fh.read().splitlines()
    assert len(lines) == len(set(lines)) == report.triples
    void = ox.Store()
    void.load(path=str(tmp_path / "rel" / "void.ttl"), format=ox.RdfFormat.TURTLE)
    total = next(iter(void.query("SELECT (SUM(?n) AS ?t) WHERE { ?d <http://rdfs.org/ns/void#propertyPartition> ?pp . "
                                 "?pp <http://rdfs.org/ns/void#triples> ?n }")))["t"]
    assert int(total.value) == report.triples


def test_graphs_of_a_trig_input_keep_their_names_in_the_nquads_dump(tmp_path):
    """A TriG input's own graphs (an IRI, a blank node) are kept as they are, its default graph
    goes to the file's graph, and the N-Triples dump holds every triple once."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "g.trig").write_text("""@prefix ex: <http://ex/> .
ex:a ex:p ex:b .
ex:g { ex:a ex:p ex:c . ex:a ex:q [ ex:r "1" ] . }
_:h { ex:a ex:p ex:d . }
""", encoding="utf-8")
    report = write_release([data], tmp_path / "rel", version="1", previous=None)
    with gzip.open(tmp_path / "rel" / "ssegraph-1.nq.gz") as fh:
        quads = list(ox.parse(fh, format=ox.RdfFormat.N_QUADS))
    names = {str(q.object): q.graph_name for q in quads if q.predicate.value == "http://ex/p"}
    assert names["<http://ex/c>"] == ox.NamedNode("http://ex/g")
    assert isinstance(names["<http://ex/d>"], ox.BlankNode)
    assert names["<http://ex/b>"].value.startswith(GRAPH_BASE)
    with gzip.open(tmp_path / "rel" / "ssegraph-1.nt.gz") as fh:
        triples = list(ox.parse(fh, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(quads) == report.triples
    mine = [t for t in triples if "http://ex/" in str(t)]
    assert len(mine) == 5 and not any(isinstance(t.object, ox.BlankNode) for t in mine)
