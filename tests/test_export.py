"""Exports: GraphML, GEXF, JSON and CSV read back by networkx, igraph and the csv/json modules."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph
import networkx as nx
import pytest

import ssegraph
from ssegraph.errors import ExportError
from ssegraph.export import (
    COLOURS,
    csv_paths,
    generate_graphml,
    timeline_date,
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
)
from ssegraph.network import EDGE_ATTRIBUTES, NODE_ATTRIBUTES

DATA = Path(__file__).parent / "data"
SMALL = DATA / "network-small.ttl"
TRICKY = DATA / "network-tricky.ttl"
ONTOLOGY = Path(__file__).parent.parent / "ontology"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="session")
def G(cache_dir):
    return ssegraph.load([SMALL, ONTOLOGY], cache_dir=cache_dir).to_networkx()


@pytest.fixture(scope="session")
def tricky(cache_dir):
    return ssegraph.load([TRICKY, ONTOLOGY], cache_dir=cache_dir).to_networkx()


def read_igraph(path):
    """igraph's GraphML reader, quiet about the edge ``id`` data key it cannot shadow."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Could not add edge ids", RuntimeWarning)
        return igraph.Graph.Read_GraphML(str(path))


def edge_map(G):
    return {k: (u, v, d) for u, v, k, d in G.edges(keys=True, data=True)}


# -- GraphML ----------------------------------------------------------------------------------
def test_graphml_round_trip_with_networkx(tmp_path, G):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.is_directed()
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    ours, theirs = edge_map(G), edge_map(H)
    assert set(ours) == set(theirs)  # the edge ids are the GraphML edge ids, hence the keys
    for k, (u, v, d) in ours.items():
        tu, tv, td = theirs[k]
        assert (tu, tv) == (u, v)
        assert td == d
    assert H.graph["selection"] == G.graph["selection"]


def test_graphml_round_trip_with_igraph(tmp_path, G):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    with pytest.warns(RuntimeWarning, match="already an 'id' edge attribute"):
        g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert g.is_directed()
    for v in g.vs:
        attrs = v.attributes()
        node = attrs.pop("id")
        assert attrs == G.nodes[node], node
    edges = edge_map(G)
    for e in g.es:
        attrs = e.attributes()
        u, v, d = edges[attrs["id"]]
        assert (g.vs[e.source]["id"], g.vs[e.target]["id"]) == (u, v)
        assert attrs == d


def test_graphml_declares_one_typed_key_per_attribute(tmp_path, G):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    root = ET.parse(path).getroot()
    keys = [(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GRAPHML}key")]
    node_keys = {name: t for scope, name, t in keys if scope == "node"}
    edge_keys = {name: t for scope, name, t in keys if scope == "edge"}
    assert len(node_keys) == len([k for k in keys if k[0] == "node"])  # one key per name
    assert set(node_keys) == set(NODE_ATTRIBUTES) and set(node_keys.values()) == {"string"}
    assert set(edge_keys) == set(EDGE_ATTRIBUTES)
    edge = next(root.iter(f"{GRAPHML}edge"))
    assert edge.find(f"{GRAPHML}data").text == edge.get("id")  # the id twice, for igraph


def test_graphml_types_values_consistently():
    H = nx.MultiDiGraph()
    H.add_node("a", n=1, x=1, flag=True, mixed=1, big=2**40, when=None)
    H.add_node("b", n=2, x=2.5, flag=False, mixed="two", big=1)
    text = "".join(generate_graphml(H))
    root = ET.fromstring(text)
    types = {k.get("attr.name"): k.get("attr.type") for k in root.iter(f"{GRAPHML}key")}
    assert types == {"n": "int", "x": "double", "flag": "boolean", "mixed": "string", "big": "long"}
    assert "None" not in text and '"when"' not in text
    back = nx.read_graphml(io.BytesIO(text.encode()))
    assert back.nodes["a"] == {"n": 1, "x": 1.0, "flag": True, "mixed": "1", "big": 2**40}
    assert back.nodes["b"]["flag"] is False
    assert ">true</data>" in text and ">false</data>" in text


def test_graphml_refuses_lists_and_dicts(tmp_path):
    H = nx.MultiDiGraph()
    H.add_node("a", tags=["x", "y"])
    with pytest.raises(ExportError, match="node attribute 'tags' of 'a' is a list"):
        write_graphml(H, tmp_path / "x.graphml")
    assert list(tmp_path.iterdir()) == []


def test_graphml_plain_graphs_get_edge_ids():
    H = nx.Graph([("a", "b"), ("b", "c")])
    root = ET.fromstring("".join(generate_graphml(H)))
    assert root.find(f"{GRAPHML}graph").get("edgedefault") == "undirected"
    assert [e.get("id") for e in root.iter(f"{GRAPHML}edge")] == ["a--b", "b--c"]


# -- GEXF -------------------------------------------------------------------------------------
def test_gexf_1_3_reads_back_with_networkx(tmp_path, G):
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    root = ET.parse(path).getroot()
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{GEXF}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    H = nx.read_gexf(path)
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert set(H.nodes) == set(G.nodes)
    for n, d in G.nodes(data=True):
        back = H.nodes[n]
        assert back["label"] == d["label"]
        for name in ("type", "iri", "country", "date", "sources"):
            assert back[name] == d[name]
    # the timeline: milestones from their date, events over their days, memberships from their year
    assert H.nodes["id:a-res-77-281"]["start"] == "2023-04-18"
    assert H.nodes["id:ilc-110-resolution-sse"]["start"] == "2022-06-01"
    event = H.nodes["id:untfsse-symposium-2023"]
    assert (event["start"], event["end"]) == ("2023-10-02", "2023-10-03")
    assert "start" not in H.nodes["id:diesis-network"]
    edges = {d["id"]: d for _, _, d in H.edges(data=True)}
    assert set(edges) == set(edge_map(G))
    obs = edges["id:membership-diesis-network-untfsse"]
    assert (obs["label"], obs["role"], obs["start"]) == ("observer of", "observer", "2020-01-01")
    unrisd = next(d for k, d in edges.items() if k.startswith("id:unrisd--"))
    assert (unrisd["start"], unrisd["end"]) == ("2013-01-01", "2021-06-30")
    # colour by type, size by degree
    viz = H.nodes["id:untfsse"]["viz"]
    assert tuple(viz["color"][c] for c in "rgb") == COLOURS["organisation"]
    assert viz["size"] > H.nodes["id:place-quebec"]["viz"]["size"]


def test_gexf_static_without_times():
    H = nx.DiGraph([("a", "b")])
    path = Path(tempfile.mkdtemp()) / "s.gexf"
    write_gexf(H, path)
    assert ET.parse(path).getroot().find(f"{GEXF}graph").get("mode") == "static"
    assert nx.read_gexf(path).number_of_edges() == 1


def test_timeline_dates():
    assert timeline_date("2021-06", end=True) == "2021-06-30"
    assert timeline_date("1900-02", end=True) == "1900-02-28"
    assert timeline_date("") == timeline_date(None) == ""


# -- JSON and CSV -----------------------------------------------------------------------------
def test_json_node_link(tmp_path, G):
    path = tmp_path / "g.json"
    write_json(G, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (len(doc["nodes"]), len(doc["edges"])) == (G.number_of_nodes(), G.number_of_edges())
    H = nx.node_link_graph(doc, edges="edges")
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert edge_map(H) == edge_map(G)


def test_json_cytoscape(tmp_path, G):
    path = tmp_path / "g.cyjs"
    write_json(G, path, flavour="cytoscape")
    doc = json.loads(path.read_text(encoding="utf-8"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert (len(nodes), len(edges)) == (G.number_of_nodes(), G.number_of_edges())
    assert isinstance(doc["data"], dict) and doc["data"]["name"] == "ssegraph"
    ids = [e["data"]["id"] for e in edges]
    assert len(set(ids)) == len(ids) and set(ids) == set(edge_map(G))
    diesis = next(n["data"] for n in nodes if n["data"]["id"] == "id:diesis-network")
    assert diesis["name"] == "Diesis Network"
    obs = next(e["data"] for e in edges if e["data"]["id"] == "id:membership-diesis-network-untfsse")
    assert (obs["source"], obs["target"], obs["interaction"]) == ("id:diesis-network", "id:untfsse", "observer of")
    assert obs["sources"].startswith("https://")
    H = nx.cytoscape_graph(doc)
    assert H.number_of_edges() == G.number_of_edges()


def test_json_unknown_flavour(tmp_path, G):
    with pytest.raises(ExportError, match="unknown JSON flavour 'd3'"):
        write_json(G, tmp_path / "g.json", flavour="d3")
    assert list(tmp_path.iterdir()) == []


def test_csv_nodes_and_edges(tmp_path, G):
    nodes_path, edges_path = write_csv(G, tmp_path)
    assert (nodes_path.name, edges_path.name) == ("nodes.csv", "edges.csv")
    with open(nodes_path, encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(edges_path, encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert (len(nodes), len(edges)) == (G.number_of_nodes(), G.number_of_edges())
    assert list(nodes[0]) == ["id", *NODE_ATTRIBUTES]
    assert list(edges[0])[:3] == ["id", "source", "target"]
    assert {r["id"]: {k: v for k, v in r.items() if k != "id"} for r in nodes} == dict(G.nodes(data=True))
    obs = next(r for r in edges if r["id"] == "id:membership-diesis-network-untfsse")
    assert (obs["source"], obs["target"], obs["role"], obs["start"]) == (
        "id:diesis-network", "id:untfsse", "observer", "2020")
    # the URL with a comma stays in one cell
    assert "https://example.org/net/page?_pageid=5798,42657625&x=1" in obs["sources"].split()


def test_csv_paths(tmp_path):
    assert csv_paths(tmp_path) == (tmp_path / "nodes.csv", tmp_path / "edges.csv")
    assert csv_paths(tmp_path / "sse.csv") == (tmp_path / "sse-nodes.csv", tmp_path / "sse-edges.csv")
    assert csv_paths(tmp_path / "sse") == (tmp_path / "sse-nodes.csv", tmp_path / "sse-edges.csv")
    assert csv_paths(f"{tmp_path}/new/") == (tmp_path / "new" / "nodes.csv", tmp_path / "new" / "edges.csv")


# -- tricky labels in every format --------------------------------------------------------------
MARKUP = "id:tricky-markup"


def read_back(fmt, tmp_path, G):
    """Node attributes as each format's reader returns them: {node: {attr: value}}."""
    if fmt == "graphml-networkx":
        write_graphml(G, tmp_path / "t.graphml")
        return dict(nx.read_graphml(tmp_path / "t.graphml").nodes(data=True))
    if fmt == "graphml-igraph":
        write_graphml(G, tmp_path / "t.graphml")
        g = read_igraph(tmp_path / "t.graphml")
        return {v["id"]: v.attributes() for v in g.vs}
    if fmt == "gexf":
        write_gexf(G, tmp_path / "t.gexf")
        return dict(nx.read_gexf(tmp_path / "t.gexf").nodes(data=True))
    if fmt == "node-link":
        write_json(G, tmp_path / "t.json")
        return {n["id"]: n for n in json.loads((tmp_path / "t.json").read_text("utf-8"))["nodes"]}
    if fmt == "cytoscape":
        write_json(G, tmp_path / "t.json", "cytoscape")
        doc = json.loads((tmp_path / "t.json").read_text("utf-8"))
        return {n["data"]["id"]: n["data"] for n in doc["elements"]["nodes"]}
    nodes, _ = write_csv(G, tmp_path / "t")
    with open(nodes, encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


@pytest.mark.parametrize("fmt", ["graphml-networkx", "graphml-igraph", "gexf", "node-link", "cytoscape", "csv"])
def test_tricky_labels_survive(fmt, tmp_path, tricky):
    back = read_back(fmt, tmp_path, tricky)
    assert set(back) == set(tricky.nodes)
    for n, d in tricky.nodes(data=True):
        assert back[n]["label"] == d["label"], (fmt, n)
        assert back[n]["sources"] == d["sources"], (fmt, n)
    assert back[MARKUP]["acronym"] == "R&D<>"
    assert "\n" in back["id:tricky-lines"]["label"] and "\t" in back["id:tricky-lines"]["label"]


def test_tricky_edges_survive_graphml(tmp_path, tricky):
    write_graphml(tricky, tmp_path / "t.graphml")
    g = read_igraph(tmp_path / "t.graphml")
    assert sorted(g.es["id"]) == sorted(edge_map(tricky))


# -- atomic writes ----------------------------------------------------------------------------
def test_a_failed_write_leaves_the_old_file(tmp_path, G, monkeypatch):
    path = tmp_path / "sse.graphml"
    path.write_text("the good old file", encoding="utf-8")
    from ssegraph.export import graphml

    def broken(G):
        yield "<graphml>half"
        raise ExportError("boom")

    monkeypatch.setattr(graphml, "generate_graphml", broken)
    with pytest.raises(ExportError, match="boom"):
        graphml.write_graphml(G, path)
    assert path.read_text(encoding="utf-8") == "the good old file"
    assert [p.name for p in tmp_path.iterdir()] == ["sse.graphml"]


def test_written_files_get_the_usual_permissions(tmp_path, G):
    """An export is shared: it gets 0666 less the umask, like any new file, not mkstemp's 0600."""
    import os
    import stat

    from ssegraph.export import graphml

    old = os.umask(0o022)
    try:
        graphml.write_graphml(G, tmp_path / "sse.graphml")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "sse.graphml").stat().st_mode) == 0o644


# -- the command line -------------------------------------------------------------------------
def small_args(*args):
    return ["--data", str(SMALL), "--data", str(ONTOLOGY), *args]


@pytest.mark.parametrize("fmt,name", [("graphml", "sse.graphml"), ("gexf", "sse.gexf"), ("json", "sse.json")])
def test_cli_export(run, tmp_path, G, fmt, name):
    out = tmp_path / name
    result = run(*small_args("export", fmt, "-o", str(out)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"wrote {G.number_of_nodes()} nodes, {G.number_of_edges()} edges to {out}\n"
    assert out.stat().st_size > 1000
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_cli_export_csv_and_cytoscape(run, tmp_path, G):
    result = run(*small_args("export", "csv", "-o", f"{tmp_path}/"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(f"to {tmp_path}/nodes.csv and {tmp_path}/edges.csv\n")
    result = run(*small_args("export", "JSON", "--flavour", "cytoscape", "--focus", "UNTFSSE", "-o", "-"))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert "id:diesis-network" in {n["data"]["id"] for n in doc["elements"]["nodes"]}
    assert result.stderr.endswith("edges to stdout\n")


def test_cli_export_quiet_and_selection(run, tmp_path):
    out = tmp_path / "orgs.graphml"
    result = run("-q", *small_args("export", "graphml", "--types", "organisations", "-o", str(out)))
    assert (result.exit_code, result.stderr) == (0, "")
    g = read_igraph(out)
    assert set(g.vs["type"]) == {"organisation"}


def unwritable_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        fd, probe = tempfile.mkstemp(dir=folder)
    except OSError:
        return folder
    os.close(fd)
    os.unlink(probe)  # root writes anyway: use a kernel filesystem that takes no new files
    if Path("/sys").is_dir():
        return Path("/sys")
    pytest.skip("no unwritable folder available (running as root without /sys)")


@pytest.mark.parametrize("case", ["focus", "type", "missing-folder", "unwritable", "is-folder", "flavour",
                                  "csv-stdout", "empty"])
def test_cli_bad_input_is_one_error_line(run, tmp_path, case):
    out = str(tmp_path / "x.graphml")
    args, expected = {
        "focus": (["graphml", "--focus", "Diesis Netwrk", "-o", out],
                  "Error: no entity named 'Diesis Netwrk'; close matches: Diesis Network (id:diesis-network)"),
        "type": (["graphml", "--types", "organisations,peeple", "-o", out],
                 "Error: unknown type 'peeple' (did you mean people?); valid types: organisations, people, "
                 "milestones, events, places"),
        "missing-folder": (["gexf", "-o", str(tmp_path / "no" / "x.gexf")],
                           f"Error: {tmp_path}/no/x.gexf: folder {tmp_path}/no does not exist"),
        "unwritable": (["graphml", "-o", str(unwritable_folder(tmp_path) / "x.graphml")], "Error: "),
        "is-folder": (["graphml", "-o", str(tmp_path)], f"Error: {tmp_path} is a folder; give a file name"),
        "flavour": (["graphml", "--flavour", "cytoscape", "-o", out],
                    "Error: --flavour applies to json only, not graphml"),
        "csv-stdout": (["csv", "-o", "-"], "Error: csv writes several files"),
        "empty": (["graphml", "--construct", str(_empty_construct(tmp_path)), "-o", out],
                  "Error: nothing to export: no entity matches the construct query"),
    }[case]
    result = run(*small_args("export", *args))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected)
    assert "Traceback" not in result.stderr
    assert not Path(out).exists()
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".") and p.suffix == ".tmp"]


def _empty_construct(tmp_path):
    path = tmp_path / "none.rq"
    path.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(false) }", encoding="utf-8")
    return path


def test_cli_help_names_the_python_twin(run):
    result = run("export", "--help")
    assert result.exit_code == 0
    assert "export [OPTIONS] FORMAT" in result.stdout
    assert "In Python:" in result.stdout and "--flavour" in result.stdout


def test_cli_bundled_meaning_survives(run, tmp_path):
    """Diesis Network's observer role and start year are on its edge to the UNTFSSE."""
    out = tmp_path / "sse.graphml"
    result = run("export", "graphml", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    g = read_igraph(out)
    ids = g.vs["id"]
    diesis, untfsse = ids.index("id:diesis-network"), ids.index("id:untfsse")
    edges = [e for e in g.es if (e.source, e.target) == (diesis, untfsse)]
    assert len(edges) == 1
    assert (edges[0]["role"], edges[0]["start"], edges[0]["label"]) == ("observer", "2020", "observer of")
    assert not [v for v in g.vs["label"] if v.isdigit()]  # no year as a node
    countries = set(g.vs["country"]) - {""}
    assert countries and not [v["id"] for v in g.vs if v["type"] != "place" and v["label"] in countries]


def test_docs_commands_still_run(run, tmp_path, monkeypatch):
    """Every ``$ ssegraph export …`` line of docs/export.md runs, and fails where the page says."""
    import shlex

    text = (Path(__file__).parent.parent / "docs" / "export.md").read_text(encoding="utf-8")
    blocks = [b.split("```")[0] for b in text.split("```console\n")[1:]]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tables").mkdir()
    checked = 0
    for block in blocks:
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if not line.startswith("$ ssegraph export"):
                continue
            shown = lines[i + 1] if i + 1 < len(lines) else ""
            result = run(*small_args(*shlex.split(line)[2:]))
            if shown.startswith("Error:"):
                assert result.exit_code == 2, line
                assert result.stderr.startswith(shown.split(",")[0].rstrip("…")), (line, result.stderr)
            else:
                assert result.exit_code == 0, (line, result.stderr)
                assert result.stderr.startswith("wrote "), line
            checked += 1
    assert checked >= 8


# -- one registry of formats ------------------------------------------------------------------
def test_the_cli_lists_the_registered_formats(run):
    from ssegraph.cli.export_cmd import export as command
    from ssegraph.export import FORMATS

    choices = next(p for p in command.params if p.name == "fmt").type.choices
    assert list(choices) == list(FORMATS) == ["graphml", "gexf", "json", "csv"]
    help_text = run("export", "--help").stdout
    for spec in FORMATS.values():
        assert spec.description in help_text and all(s in help_text for s in spec.suffixes)
    assert FORMATS["csv"].multi_file and not FORMATS["graphml"].multi_file
    assert FORMATS["json"].flavours == ("node-link", "cytoscape")


def test_nothing_to_export_is_the_librarys_error(tmp_path):
    import networkx as nx

    from ssegraph.errors import ExportError
    from ssegraph.export import export, generate

    empty = nx.MultiDiGraph(selection="types=people focus=UNTFSSE depth=1")
    with pytest.raises(ExportError, match="nothing to export: no entity matches types people; focus 'UNTFSSE'"):
        export(empty, "graphml", tmp_path / "x.graphml")
    with pytest.raises(ExportError, match="nothing to export"):
        generate(empty, "json")
    assert list(tmp_path.iterdir()) == []  # no empty file written


def test_gexf_colours_are_the_models(tmp_path, G):
    from ssegraph import model
    from ssegraph.export import generate_gexf

    text = "".join(generate_gexf(G))
    for k in model.KINDS:
        r, g, b = (int(k.colour[i:i + 2], 16) for i in (1, 3, 5))
        if any(d["type"] == k.key for _, d in G.nodes(data=True)):
            assert f'<viz:color r="{r}" g="{g}" b="{b}"' in text, k.key
