"""The vocabulary as data: kinds, the label rule, relation families, folds and the degree."""

from __future__ import annotations

import networkx as nx
import pytest

from ssegraph import model
from ssegraph.errors import NotFoundError


def test_kinds_are_one_table_with_aliases():
    assert [k.key for k in model.KINDS] == ["organisation", "person", "milestone", "event", "place"]
    assert model.kind("People") is model.kind("person") is model.kind("persons")
    assert model.kind("organizations").key == "organisation"
    assert model.parse_kinds("milestones, events,milestones") == ("milestone", "event")
    with pytest.raises(NotFoundError, match=r"unknown type 'peeple' \(did you mean people\?\)"):
        model.kind("peeple")
    assert len({k.colour for k in model.KINDS}) == len(model.KINDS)
    assert all(k.colour in model.OKABE_ITO.values() for k in model.KINDS)


def test_kind_for_prefers_the_first_kind():
    org, event = "http://www.w3.org/ns/org#Organization", "http://schema.org/Event"
    assert model.kind_for([event, org]).key == "organisation"
    assert model.kind_for(["schema:City"]).key == "place"
    assert model.kind_for(["http://www.w3.org/2004/02/skos/core#Concept"]) is None


def test_label_rule_language_then_english_then_untagged():
    values = [("skos:prefLabel", "Organisation internationale du Travail", "fr"),
              ("skos:prefLabel", "International Labour Organization", "en"),
              ("rdfs:label", "ILO label", ""), ("sse:acronym", "ILO", ""),
              ("skos:altLabel", "OIT", "fr"), ("sse:acronym", "OIT", "")]
    assert model.choose_label(values) == "International Labour Organization"
    assert model.choose_label(values, "fr") == "Organisation internationale du Travail"
    assert model.choose_label(values, "es") == "International Labour Organization"
    assert model.choose_label(values, short=True) == "ILO"
    assert model.choose_label(values, "fr", short=True) == "OIT"  # the acronym whose altLabel is French
    assert model.choose_label([("rdfs:label", "Only untagged", "")], "fr") == "Only untagged"
    assert model.choose_label([]) == ""


def test_short_labels_identify_milestones():
    title = "Promoting the social and solidarity economy for sustainable development"
    a = {"dcterms:title": [(title, "en")], "eli:id_local": ["A/RES/77/281"], "eli:date_document": ["2023-04-18"]}
    b = {"dcterms:title": [(title, "en")], "dcterms:date": ["2024"]}
    assert model.choose_label(a, short=True) == "A/RES/77/281"
    short_b = model.choose_label(b, short=True, kind="milestone")
    assert short_b.endswith("(2024)") and len(short_b) < len(title)
    assert model.tell_apart({"a": title, "b": title, "c": "Other"}, {"a": ["A/RES/77/281"], "b": ["", "2024"]}) == {
        "a": f"{title} (A/RES/77/281)", "b": f"{title} (2024)", "c": "Other"}


def test_relation_families():
    assert model.family_of("http://data.europa.eu/eli/ontology#cites").key == "lineage"
    assert model.family_of("sse:observerOf").key == "membership"
    assert model.family_of("founding member of").key == "membership"  # a fold edge's role label
    assert model.family_of("speaker at").key == "participation"
    assert model.family_of("based in").key == "place"
    assert model.family_of("urn:x:unknown").key == "other"
    assert {f.key for f in model.RELATION_FAMILIES} >= {"membership", "lineage", "organising", "participation",
                                                      "place"}
    assert all(model.family(f.family) for f in model.FOLDS)


def test_degree_counts_distinct_neighbours_either_way():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="member")
    G.add_edge("a", "b", key="observer")
    G.add_edge("b", "a", key="host")
    G.add_edge("c", "a", key="cites")
    G.add_edge("a", "a", key="self")
    assert model.degree(G, "a") == 2 and model.degree(G, "b") == 1
    assert "distinct" in model.DEGREE
