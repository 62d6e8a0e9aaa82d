"""`ssegraph diff`: entity-level changes between two data folders or two git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from _cli import one_error_line
from ssegraph.diff import diff_paths

OLD = """@prefix id: <https://w3id.org/ssegraph/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix kos: <https://w3id.org/ssegraph/kos/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:alpha a org:Organization ; skos:prefLabel "Alpha Network"@en .
id:beta a org:Organization ; skos:prefLabel "Beta"@en .
id:m1 a org:Membership ; org:member id:beta ; org:organization id:alpha ; org:role kos:role-observer ;
    org:memberDuring [ a time:Interval ; time:hasBeginning [ time:inXSDgYear "2019"^^xsd:gYear ] ] .
"""

NEW = (OLD.replace('"Alpha Network"@en', '"Alpha Global Network"@en')
       .replace('id:beta a org:Organization ; skos:prefLabel "Beta"@en .\n', "")
       .replace('"2019"^^xsd:gYear', '"2020"^^xsd:gYear')
       + 'id:gamma a org:Organization ; skos:prefLabel "Gamma"@en .\n')


def folders(tmp_path: Path, old: str = OLD, new: str = NEW) -> tuple[Path, Path]:
    a, b = tmp_path / "old", tmp_path / "new"
    for folder, text in ((a, old), (b, new)):
        folder.mkdir()
        (folder / "orgs.ttl").write_text(text, encoding="utf-8")
    return a, b


def test_changed_label_added_and_removed_entity_in_text(run, tmp_path):
    a, b = folders(tmp_path)
    r = run("diff", str(a), str(b))
    assert r.exit_code == 1, r.output
    out = r.stdout
    assert out.startswith(f"diff {a} → {b}: 1 entities added, 1 removed, 2 changed")
    assert "org:Organization: 2 → 2 entities (1 added, 1 removed, 1 changed)" in out
    assert "  + id:gamma  Gamma (2 facts)" in out
    assert "  - id:beta  Beta (2 facts)" in out
    assert "  ~ id:alpha  Alpha Global Network" in out
    assert 'skos:prefLabel: "Alpha Network"@en → "Alpha Global Network"@en' in out
    # a blank-node value is reached by its path, with the label of the role where one is shown
    assert ('org:memberDuring / time:hasBeginning / time:inXSDgYear: "2019"^^xsd:gYear → "2020"^^xsd:gYear'
            in out)


def test_equal_folders_exit_0(run, tmp_path):
    a, _ = folders(tmp_path)
    r = run("diff", str(a), str(a))
    assert r.exit_code == 0
    assert r.stdout == f"diff {a} → {a}: no differences\n"


def test_json_and_markdown(run, tmp_path):
    a, b = folders(tmp_path)
    r = run("diff", str(a), str(b), "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["equal"] is False and doc["summary"] == {"added": 1, "removed": 1, "changed": 2}
    orgs = next(c for c in doc["classes"] if c["name"] == "org:Organization")
    assert (orgs["old"], orgs["new"], orgs["added"], orgs["removed"], orgs["changed"]) == (2, 2, 1, 1, 1)
    alpha = next(e for e in orgs["entities"] if e["iri"].endswith("/alpha"))
    assert alpha["label"] == "Alpha Global Network" and alpha["old_label"] == "Alpha Network"
    assert alpha["facts"] == [{
        "path": ["http://www.w3.org/2004/02/skos/core#prefLabel"], "property": "skos:prefLabel",
        "old": ['"Alpha Network"@en'], "new": ['"Alpha Global Network"@en'],
        "old_terms": ['"Alpha Network"@en'], "new_terms": ['"Alpha Global Network"@en'],
    }]
    md = run("diff", str(a), str(b), "-f", "markdown").stdout
    assert md.startswith(f"# Changes from {a} to {b}")
    assert "| `org:Organization` | 2 | 2 | 1 | 1 | 1 |" in md
    assert "## `org:Organization`" in md and "**Added**" in md and "- `id:gamma` Gamma" in md


def test_iri_values_are_shown_with_their_labels(tmp_path):
    a, b = folders(tmp_path, NEW, NEW.replace("org:member id:beta", "org:member id:gamma"))
    d = diff_paths(a, b)
    text = d.to_text()
    assert "org:member: id:beta → Gamma (id:gamma)" in text  # beta has no label on either side here
    assert "org:role" not in text


def test_entities_are_grouped_by_the_kinds_of_the_model(tmp_path, monkeypatch):
    """diff reads model.KINDS: a kind added there groups its classes (under its first class, and
    before the other classes, though urn:ex:Widget sorts after skos:Concept), with no change to
    diff.py; classes without a kind keep their own groups."""
    from ssegraph import model

    gadgets = """@prefix ex: <urn:ex:> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:w1 a ex:Aardvark, ex:Widget ; skos:prefLabel "W1"@en .
ex:g1 a ex:Gadget ; skos:prefLabel "G1"@en .
ex:c1 a skos:Concept ; skos:prefLabel "C1"@en .
"""
    a, b = folders(tmp_path, OLD, OLD + gadgets)
    before = diff_paths(a, b)
    assert {e.iri: e.kind for e in before.entities if e.iri.startswith("urn:ex:")} == {
        "urn:ex:w1": "urn:ex:Aardvark", "urn:ex:g1": "urn:ex:Gadget",
        "urn:ex:c1": "http://www.w3.org/2004/02/skos/core#Concept"}
    widget = model.EntityKind("widget", ("urn:ex:Widget", "urn:ex:Gadget"), "Widget", "Widgets",
                              "#000000", "dot")
    monkeypatch.setattr(model, "KINDS", (*model.KINDS, widget))
    after = diff_paths(a, b)
    assert {e.iri: e.kind for e in after.entities if e.iri.startswith("urn:ex:")} == {
        "urn:ex:w1": "urn:ex:Widget", "urn:ex:g1": "urn:ex:Widget",
        "urn:ex:c1": "http://www.w3.org/2004/02/skos/core#Concept"}
    assert after.counts["urn:ex:Widget"] == {"old": 0, "new": 2, "added": 2, "removed": 0, "changed": 0}
    text = after.to_text()
    assert text.index("urn:ex:Widget: 0 → 2 entities") < text.index("skos:Concept: 0 → 1 entities")


@pytest.mark.parametrize("make, expected", [
    (lambda p: p / "missing", "{p}/missing: no such folder"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "{p}/empty: not a data folder (it holds no .ttl file)"),
])
def test_not_a_data_folder_is_one_error_line(run, tmp_path, make, expected):
    a, _ = folders(tmp_path)
    bad = make(tmp_path)
    assert one_error_line(run("diff", str(a), str(bad))) == "Error: " + expected.format(p=tmp_path)


def test_parse_error_names_file_and_line(run, tmp_path):
    a, b = folders(tmp_path, new=NEW + "id:broken a .\n")
    line = one_error_line(run("diff", str(a), str(b)))
    assert line.startswith(f"Error: {b}/orgs.ttl:{NEW.count(chr(10)) + 1}:")


def test_usage_errors(run, tmp_path):
    a, b = folders(tmp_path)
    assert run("diff", str(a)).exit_code == 2
    assert run("diff", str(a), str(b), "--rev", "HEAD").exit_code == 2


@pytest.fixture
def repo(tmp_path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)

    def git(*args):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})

    (root / "data" / "orgs.ttl").write_text(OLD, encoding="utf-8")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "old")
    git("tag", "v0.1.0")
    (root / "data" / "orgs.ttl").write_text(NEW, encoding="utf-8")
    git("commit", "-qam", "new")
    (root / "data" / "orgs.ttl").write_text(NEW + "id:broken a .\n", encoding="utf-8")
    git("commit", "-qam", "broken")
    git("tag", "broken")
    (root / "data" / "orgs.ttl").write_text(NEW, encoding="utf-8")  # the working tree is fine again
    return root


def test_revisions(run, repo):
    r = run("diff", "--rev", "v0.1.0..HEAD~1", "--repo", str(repo))
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("diff v0.1.0 → HEAD~1: 1 entities added, 1 removed, 2 changed")
    assert 'skos:prefLabel: "Alpha Network"@en → "Alpha Global Network"@en' in r.stdout
    r = run("diff", "--rev", "HEAD~1", "--repo", str(repo))  # against the working tree
    assert r.exit_code == 0 and "no differences" in r.stdout
    assert (repo / "data" / "orgs.ttl").read_text() == NEW  # the working tree was not touched


def test_revision_errors_are_one_line(run, repo, tmp_path):
    assert one_error_line(run("diff", "--rev", "v9..HEAD", "--repo", str(repo))) == \
        f"Error: 'v9' is not a revision of the git repository {repo}"
    line = one_error_line(run("diff", "--rev", "v0.1.0..broken", "--repo", str(repo)))
    assert line.startswith(f"Error: broken:data/orgs.ttl:{NEW.count(chr(10)) + 1}:")
    elsewhere = tmp_path / "not-a-repo"
    elsewhere.mkdir()
    assert "not inside a git repository" in one_error_line(run("diff", "--rev", "HEAD", "--repo", str(elsewhere)))
