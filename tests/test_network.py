"""The network projection: entities as nodes, n-ary nodes as edges, literals as attributes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ssegraph
from ssegraph.errors import NotFoundError, QueryError
from ssegraph.network import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, TYPES, _parse_tsv, parse_types, project

DATA = Path(__file__).parent / "data"
SMALL = DATA / "network-small.ttl"
TRICKY = DATA / "network-tricky.ttl"
ONTOLOGY = Path(__file__).parent.parent / "ontology"


@pytest.fixture(scope="session")
def small(cache_dir):
    return ssegraph.load([SMALL, ONTOLOGY], cache_dir=cache_dir)


@pytest.fixture(scope="session")
def G(small):
    return small.to_networkx()


def one_edge(G, u, v):
    found = list(G.get_edge_data(u, v, default={}).values())
    assert len(found) == 1, found
    return found[0]


# -- shape of the graph -------------------------------------------------------------------------
def test_nodes_are_the_entities_with_their_types(G):
    types = {n: d["type"] for n, d in G.nodes(data=True)}
    assert types["id:untfsse"] == "organisation"
    assert types["id:gianluca-pastorelli"] == "person"
    assert types["id:a-res-77-281"] == "milestone"
    assert types["id:untfsse-symposium-2023"] == "event"
    assert types["id:place-montreal"] == "place"
    assert set(types.values()) <= set(TYPES)
    # n-ary nodes, sites, sources and concepts are not nodes
    for n in G:
        assert not n.startswith(("src:", "kos:")), n
    assert "id:membership-diesis-network-untfsse" not in G
    assert "id:site-diesis-brussels" not in G
    assert "id:post-diesis-network-executive-president" not in G


def test_every_node_and_edge_has_every_attribute_as_a_string(G):
    for n, d in G.nodes(data=True):
        assert set(d) == set(NODE_ATTRIBUTES), n
        assert all(isinstance(v, str) for v in d.values()), n
        assert d["name"] == d["label"]
    for *_, k, d in G.edges(keys=True, data=True):
        assert set(d) == set(EDGE_ATTRIBUTES), k
        assert all(isinstance(x, str) for x in d.values()), k
        assert d["id"] == k and d["label"] and d["interaction"] == d["label"]
        assert d["predicate"].startswith("http")


def test_literals_never_become_nodes(G):
    for n, d in G.nodes(data=True):
        assert re.match(r"^[a-z]+:[a-z0-9-]+$", n), n
        assert not re.fullmatch(r"\d{4}(-\d{2}){0,2}", d["label"]), n
    labels = {d["label"] for _, d in G.nodes(data=True)}
    assert not labels & {"1997", "2013", "2020", "Belgium", "Canada", "BEL", "CAN"}


def test_node_attributes(G):
    diesis = G.nodes["id:diesis-network"]
    assert diesis["label"] == "Diesis Network"
    assert diesis["iri"] == "https://w3id.org/ssegraph/id/diesis-network"
    assert diesis["founded"] == "1997" and diesis["date"] == diesis["start"] == ""
    assert diesis["country"] == "Belgium"  # site -> Brussels -> country:BEL
    assert diesis["sources"].split() == [
        "https://example.org/net/a", "https://example.org/net/page?_pageid=5798,42657625&x=1"]
    res = G.nodes["id:a-res-77-281"]
    assert (res["symbol"], res["date"]) == ("A/RES/77/281", "2023-04-18")
    assert "https://undocs.org/A/RES/77/281" in res["sources"].split()  # hadPrimarySource
    assert G.nodes["id:ilc-110-resolution-sse"]["date"] == "2022-06"  # dcterms:date gYearMonth
    event = G.nodes["id:untfsse-symposium-2023"]
    assert (event["start"], event["end"], event["country"]) == ("2023-10-02", "2023-10-03", "Canada")
    assert G.nodes["id:place-montreal"]["country"] == "Canada"  # Montreal -> Quebec -> CAN
    assert G.nodes["id:untfsse"]["acronym"] == "UNTFSSE"


def test_labels_and_acronyms_follow_the_language(small):
    fr = small.to_networkx(lang="fr")
    assert fr.nodes["id:untfsse"]["label"].startswith("Équipe spéciale")
    assert fr.nodes["id:ilo"]["acronym"] == "OIT"
    assert fr.nodes["id:place-montreal"]["label"] == "Montréal"
    assert fr.nodes["id:diesis-network"]["label"] == "Diesis Network"  # no French label: English
    assert fr.nodes["id:diesis-network"]["country"] == "Belgique"
    assert fr.nodes["id:gianluca-pastorelli"]["label"] == "Gianluca Pastorelli"  # untagged
    de = small.to_networkx(lang="de")
    assert de.nodes["id:ilo"]["acronym"] == "ILO"
    assert de.nodes["id:untfsse"]["label"].startswith("UN Inter-Agency")


# -- n-ary nodes become edges -------------------------------------------------------------------
def test_membership_is_one_edge_with_role_and_start(G):
    edge = one_edge(G, "id:diesis-network", "id:untfsse")  # and no second edge for sse:observerOf
    assert edge["id"] == "id:membership-diesis-network-untfsse"
    assert (edge["label"], edge["role"], edge["start"], edge["end"]) == ("observer of", "observer", "2020", "")
    assert edge["predicate"] == "https://w3id.org/ssegraph/def#observerOf"
    assert edge["via"] == "id:membership-diesis-network-untfsse"
    assert "https://example.org/net/a" in edge["sources"].split()
    ilo = one_edge(G, "id:ilo", "id:untfsse")
    assert (ilo["label"], ilo["start"]) == ("founding member of", "2013-09-30")


def test_blank_membership_gets_a_stable_id_and_its_end(small, G):
    edge = one_edge(G, "id:unrisd", "id:untfsse")
    assert (edge["start"], edge["end"], edge["via"]) == ("2013", "2021-06", "")
    assert edge["id"].startswith("id:unrisd--org:memberOf--id:untfsse--")
    assert edge["id"] in {k for *_, k in small.to_networkx().edges(keys=True)}


def test_shortcut_without_membership_is_kept(G):
    edge = one_edge(G, "id:ilo", "id:un")
    assert (edge["label"], edge["role"], edge["via"]) == ("member of", "", "")


def test_participation_post_and_site_edges(G):
    part = one_edge(G, "id:gianluca-pastorelli", "id:untfsse-symposium-2023")
    assert (part["label"], part["role"], part["on_behalf_of"]) == (
        "representative at", "representative", "id:diesis-network")
    post = one_edge(G, "id:gianluca-pastorelli", "id:diesis-network")
    assert (post["label"], post["role"]) == ("executive president of", "executive president")
    site = one_edge(G, "id:diesis-network", "id:place-brussels")
    assert (site["label"], site["via"]) == ("based in", "id:site-diesis-brussels")


def test_direct_edges_have_readable_labels(G):
    assert one_edge(G, "id:a-res-77-281", "id:unga")["label"] == "passed by"
    assert one_edge(G, "id:a-res-77-281", "id:ilc-110-resolution-sse")["label"] == "cites"
    assert one_edge(G, "id:untfsse-symposium-2023", "id:untfsse")["label"] == "organizer"
    assert one_edge(G, "id:unga", "id:un")["label"] == "unit of"


def test_edge_ids_are_unique_and_stable(small, G):
    keys = [k for *_, k in G.edges(keys=True)]
    assert len(keys) == len(set(keys))
    again = small.to_networkx()
    assert sorted(keys) == sorted(k for *_, k in again.edges(keys=True))
    assert sorted(G.nodes) == sorted(again.nodes)


# -- selections -------------------------------------------------------------------------------
def test_types(small):
    orgs = small.to_networkx(types="organisations")
    assert {d["type"] for _, d in orgs.nodes(data=True)} == {"organisation"}
    assert "id:membership-diesis-network-untfsse" in {k for *_, k in orgs.edges(keys=True)}
    two = small.to_networkx(types=["people", "events"])
    assert {d["type"] for _, d in two.nodes(data=True)} == {"person", "event"}
    assert two.number_of_edges() == 1  # the participation


def test_parse_types_aliases_and_errors():
    assert parse_types(None) == TYPES
    assert parse_types("Organizations, person") == ("organisation", "person")
    with pytest.raises(NotFoundError, match=r"unknown type 'orgnisations' \(did you mean organisations\?\); "
                                            r"valid types: organisations, people, milestones, events, places"):
        parse_types("orgnisations")
    with pytest.raises(NotFoundError, match="no type given"):
        parse_types(" , ")


def test_focus_is_an_ego_network(small, G):
    d0 = small.to_networkx(focus="Diesis Network", depth=0)
    assert list(d0) == ["id:diesis-network"]
    d1 = small.to_networkx(focus="id:diesis-network")
    assert set(d1) == {"id:diesis-network", "id:untfsse", "id:place-brussels", "id:gianluca-pastorelli",
                       "id:untfsse-symposium-2023"}
    # the edges among the ego nodes, the membership among them
    assert "id:membership-diesis-network-untfsse" in {k for *_, k in d1.edges(keys=True)}
    assert "id:untfsse-symposium-2023--schema:organizer--id:untfsse" in {k for *_, k in d1.edges(keys=True)}
    d2 = small.to_networkx(focus="Diesis Network", depth=2)
    assert {"id:ilo", "id:unrisd", "id:place-montreal"} <= set(d2)
    assert "id:unga" not in d2
    assert set(small.to_networkx(focus="diesis network", depth=10)) == set(G)  # one component


def test_focus_by_acronym_and_with_types(small):
    ego = small.to_networkx(focus="UNTFSSE", types="people")
    assert set(ego) == {"id:untfsse"}  # the focus stays; its neighbours are no people
    ego = small.to_networkx(focus="id:gianluca-pastorelli", types="organisations")
    assert set(ego) == {"id:gianluca-pastorelli", "id:diesis-network"}


def test_unknown_focus_lists_close_matches(small):
    expected = r"no entity named 'Diesis Netwrk'; close matches: Diesis Network \(id:diesis-network\)"
    with pytest.raises(NotFoundError, match=expected):
        small.to_networkx(focus="Diesis Netwrk")


def test_focus_must_be_an_entity(small):
    with pytest.raises(NotFoundError, match="is not an organisation, person, milestone, event or place"):
        small.to_networkx(focus="kos:role-observer")


def test_construct_chooses_the_nodes(small):
    q = "CONSTRUCT { ?o sse:observerOf ?t } WHERE { ?o sse:observerOf ?t }"
    H = small.to_networkx(construct=q)
    assert set(H) == {"id:diesis-network", "id:untfsse"}
    assert one_edge(H, "id:diesis-network", "id:untfsse")["role"] == "observer"
    H = small.to_networkx(construct=q, focus="UNTFSSE", depth=3)
    assert set(H) == {"id:diesis-network", "id:untfsse"}
    with pytest.raises(QueryError, match="CONSTRUCT or DESCRIBE"):
        small.to_networkx(construct="SELECT * WHERE { ?s ?p ?o }")
    empty = small.to_networkx(construct="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(false) }")
    assert empty.number_of_nodes() == 0


def test_negative_depth(small):
    with pytest.raises(QueryError, match="depth"):
        small.to_networkx(focus="UNTFSSE", depth=-1)


def test_reads_only_through_sparql(small, G):
    """The projection needs nothing but ``query`` and ``resolve``: it runs against an endpoint."""

    class OnlySparql:
        def __init__(self, kg):
            self.query, self.resolve = kg.query, kg.resolve

    H = project(OnlySparql(small))
    assert sorted(H.nodes(data=True)) == sorted(G.nodes(data=True))
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    ego = project(OnlySparql(small), focus="UNTFSSE", depth=1)
    assert "id:diesis-network" in ego


def test_tricky_labels_are_kept_verbatim(cache_dir):
    kg = ssegraph.load([TRICKY, ONTOLOGY], cache_dir=cache_dir)
    H = kg.to_networkx()
    assert H.nodes["id:tricky-markup"]["label"] == '<Coop & "Sons"> l\'été ]]> 🌍 👩\u200d👩\u200d👧'
    assert H.nodes["id:tricky-markup"]["acronym"] == "R&D<>"
    assert H.nodes["id:tricky-lines"]["label"] == "Line one\nLine two\ttabbed 'single' \"double\" \\ backslash"
    assert kg.to_networkx(lang="ar").nodes["id:tricky-rtl"]["label"] == "شبكة الاقتصاد الاجتماعي والتضامني"


def test_tsv_reader():
    text = ('?s\t?o\t?l\n_:b1\t"x"\t""\n<http://a/x,y>\t5\t""\n'
            '<http://a/x,y>\t"a\\tb\\nc \\"q\\" \\\\ \\u00e9 🌍"@en\t"en"\n')
    assert _parse_tsv(text) == [["_:b1", "x", ""], ["http://a/x,y", "5", ""],
                                ["http://a/x,y", 'a\tb\nc "q" \\ é 🌍', "en"]]
    assert _parse_tsv("?s\t?o\n<http://a/1,2>\t\n\t<http://b>\n", literals=False) == [
        ["http://a/1,2", ""], ["", "http://b"]]
    assert _parse_tsv("?s\n") == []
    # a literal where IRIs were expected keeps its brackets (it used to come back as "b")
    assert _parse_tsv('?s\t?o\n<http://a>\t"<b>"\n', literals=False) == [["http://a", "<b>"]]


def test_a_literal_role_keeps_its_brackets(tmp_path, cache_dir):
    """The projection reads roles with the IRI-only reader; a literal role survives it whole."""
    f = tmp_path / "literal-role.ttl"
    f.write_text("""@prefix org: <http://www.w3.org/ns/org#> . @prefix id: <https://w3id.org/ssegraph/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:a a org:Organization ; skos:prefLabel "A"@en . id:b a org:Organization ; skos:prefLabel "B"@en .
id:m a org:Membership ; org:member id:a ; org:organization id:b ; org:role "<chair>" .
""", encoding="utf-8")
    H = ssegraph.load([f], cache_dir=cache_dir).to_networkx()
    assert one_edge(H, "id:a", "id:b")["role"] == "<chair>"


# -- the bundled data -------------------------------------------------------------------------
@pytest.fixture(scope="session")
def bundled(kg):
    return kg.to_networkx()


def test_bundled_diesis_observer_of_untfsse(bundled):
    edge = one_edge(bundled, "id:diesis-network", "id:untfsse")
    assert edge["id"] == "id:membership-diesis-network-untfsse"
    assert (edge["role"], edge["start"], edge["label"]) == ("observer", "2020", "observer of")


def test_bundled_has_no_literal_nodes_and_unique_ids(bundled):
    assert bundled.number_of_nodes() > 50
    for n, d in bundled.nodes(data=True):
        assert d["type"] in TYPES
        assert not re.fullmatch(r"\d{4}(-\d{2}){0,2}", d["label"]), n
        assert n.startswith("id:") or "://" in n, n
    keys = [k for *_, k in bundled.edges(keys=True)]
    assert len(keys) == len(set(keys))
    countries = {d["country"] for _, d in bundled.nodes(data=True)} - {""}
    assert not countries & set(bundled.nodes)


@pytest.mark.server
def test_remote_endpoint_gives_the_same_network(small, G):
    """Against a SPARQL endpoint (Oxigraph server on the same store) the network is the same."""
    from _servers import oxigraph

    with oxigraph(small.backend.path, read_only=True, union=True) as server:
        remote = ssegraph.load(endpoint=server.query_url)
        H = remote.to_networkx()
        ego = remote.to_networkx(focus="Diesis Network", depth=1)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert {k: d for *_, k, d in H.edges(keys=True, data=True)} == {k: d for *_, k, d in G.edges(keys=True, data=True)}
    assert set(ego) == set(small.to_networkx(focus="Diesis Network", depth=1))


def test_projection_leaves_the_garbage_collector_as_it_found_it(kg):
    """The collector is paused while a graph is built, never left off (nor switched on) after."""
    import gc

    assert gc.isenabled()
    project(kg)
    assert gc.isenabled()
    gc.disable()
    try:
        project(kg)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(NotFoundError):
        project(kg, focus="no such entity anywhere")
    assert gc.isenabled()


# -- a selection carries exactly what the whole graph carries ---------------------------------
def assert_same_as_whole(whole, part):
    """Every node and edge of ``part`` is in ``whole`` with the very same attributes, and
    every edge of ``whole`` between two nodes of ``part`` is in ``part``, edge by edge."""
    assert part.number_of_nodes() > 0
    for n, d in part.nodes(data=True):
        assert d == whole.nodes[n], n
    whole_edges = {k: (u, v, d) for u, v, k, d in whole.edges(keys=True, data=True)}
    part_edges = {k: (u, v, d) for u, v, k, d in part.edges(keys=True, data=True)}
    for k, (u, v, d) in part_edges.items():
        assert k in whole_edges, k
        assert (u, v, d) == whole_edges[k], k
    among = {k for k, (u, v, _) in whole_edges.items() if u in part and v in part}
    assert set(part_edges) == among


@pytest.mark.parametrize("focus", ["id:diesis-network", "id:untfsse", "id:gianluca-pastorelli",
                                   "id:place-brussels", "id:untfsse-symposium-2023"])
@pytest.mark.parametrize("depth", [1, 2])
def test_ego_network_carries_the_whole_graphs_attributes(small, G, focus, depth):
    assert_same_as_whole(G, small.to_networkx(focus=focus, depth=depth))


def test_construct_selection_carries_the_whole_graphs_attributes(small, G):
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isIRI(?o)) }"
    assert_same_as_whole(G, small.to_networkx(construct=q))


@pytest.mark.parametrize("focus", ["id:chantier-economie-sociale", "id:untfsse", "id:diesis-network",
                                   "id:a-res-77-281"])
def test_bundled_ego_networks_carry_the_whole_graphs_attributes(kg, bundled, focus):
    """The regression the model fixed: a focus used to drop the sources of "based in" edges."""
    ego = kg.to_networkx(focus=focus, depth=1)
    assert_same_as_whole(bundled, ego)
    based_in = [d for *_, d in ego.edges(data=True) if d["predicate"].endswith("hasPrimarySite")]
    if focus == "id:chantier-economie-sociale":
        assert based_in and all(d["sources"] for d in based_in)


def test_every_edge_has_a_family_and_every_node_a_kind_from_the_model(bundled):
    from ssegraph import model

    families = {f.key: f.colour for f in model.RELATION_FAMILIES}
    for *_, k, d in bundled.edges(keys=True, data=True):
        assert families[d["family"]] == d["colour"], k
    seen = {d["family"] for *_, d in bundled.edges(data=True)}
    assert {"membership", "lineage", "organising", "participation", "place"} <= seen
    for n, d in bundled.nodes(data=True):
        assert d["kind"] == d["type"] and model.kind(d["kind"]).colour == d["colour"], n
        assert d["short"], n
    edge = one_edge(bundled, "id:diesis-network", "id:untfsse")
    assert edge["family"] == "membership"
    assert bundled.nodes["id:ilo"]["short"] == "ILO"
    assert bundled.nodes["id:a-res-77-281"]["short"] == "A/RES/77/281"


def test_one_degree_for_stats_the_view_and_gexf(kg, bundled):
    """stats ranks organisations by model.degree on the projection, the number the view and GEXF show."""
    from ssegraph import model
    from ssegraph.network import degrees

    d = degrees(kg)
    assert d == {n: model.degree(bundled, n) for n in bundled}
    top = kg.stats()["most_connected"]
    assert [(iri, n) for _, iri, n in top] == sorted(
        ((n, model.degree(bundled, n)) for n, a in bundled.nodes(data=True) if a["type"] == "organisation"),
        key=lambda x: (-x[1], x[0]))[:len(top)]
    assert top[0][0] == bundled.nodes[top[0][1]]["label"]  # and the same name
    kinds = kg.stats()["kinds"]
    for k in model.KINDS:  # entities by kind: the projection's nodes, counted as the network counts them
        assert kinds[k.plural] == sum(1 for _, a in bundled.nodes(data=True) if a["kind"] == k.key)


def test_describe_names_an_entity_as_the_network_does(kg, bundled):
    for node in ("id:ilo", "id:a-res-77-281", "id:untfsse-symposium-2023"):
        d = kg.describe(node)
        assert (d.label, d.short) == (bundled.nodes[node]["label"], bundled.nodes[node]["short"])
