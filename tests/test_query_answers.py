"""Each named query answers its question on the bundled data as a reader of the sources would.

Expected values come from the Diesis report and the fact sheets in shared/reference/.
"""

from __future__ import annotations

import datetime as dt

ID = "https://w3id.org/ssegraph/id/"


def rows(kg, name, **params):
    return list(kg.named_query(name, params))


def test_untfsse_members_and_observers_with_their_start(kg):
    table = rows(kg, "untfsse-members")
    found = {(r["member"].removeprefix(ID), r["role"], r.get("joined")) for r in table}
    members = {m for m, role, _ in found if role in ("member", "founding member")}
    assert {"ilo", "unctad", "unrisd", "un-desa", "oecd"} <= members  # the report names ILO, UNCTAD, UNRISD, DESA
    assert ("diesis-network", "observer", "2020") in found  # "Since 2020 Diesis Network is … Observer"
    assert ("ica", "founding observer", None) in found
    assert ("escwa", "member", dt.date(2023, 12, 7)) in found  # ESCWA announced membership 7 Dec 2023
    pairs = [(r["member"], r["role"]) for r in table]
    assert len(pairs) == len(set(pairs))  # one row per organisation and role (issue 12, item 6)
    ilo = next(r for r in table if r["member"] == ID + "ilo")
    assert ilo.get("joined") is None and str(ilo["first_attested"]) == "2013-09-30"  # convened the founding meeting


def test_membership_history_runs_in_time_order(kg):
    history = rows(kg, "membership-history")
    dated = [r["start"] for r in history if r.get("start")]
    assert dated == sorted(dated)
    assert dated[0] == "2019"  # EURICSE and Euclid, the earliest sourced joins
    diesis = [r for r in history if r["memberLabel"] == "Diesis Network"]
    assert diesis and diesis[0]["start"] == "2020"
    assert "diesis.coop" in diesis[0]["source"]


def test_milestones_between_with_body_and_parent(kg):
    window = rows(kg, "milestones-between", **{"from": "2021-01-01", "to": "2023-12-31"})
    got = {r["milestone"].removeprefix(ID): r for r in window}
    assert {"a-res-77-281", "ilc-110-resolution-sse", "oecd-legal-0472", "com-2021-778",
            "council-recommendation-c-2023-1344"} <= set(got)
    assert "a-res-70-1" not in got and "es-ley-5-2011" not in got
    assert got["a-res-77-281"]["body"] == "United Nations General Assembly"
    assert got["a-res-77-281"]["parent"] == "United Nations"
    assert got["ilo-gb-341-decision-sse"]["date"] == "2021-03"  # month precision kept, year in range
    one_day = rows(kg, "milestones-between", **{"from": "2022-06-10", "to": "2022-06-10"})
    narrow = {r["milestone"].removeprefix(ID) for r in one_day}
    assert {"ilc-110-resolution-sse", "oecd-legal-0472"} <= narrow and "a-res-77-281" not in narrow


def test_cited_by_follows_chains(kg):
    citing = {r["citing"].removeprefix(ID): r["distance"] for r in rows(kg, "cited-by")}
    assert citing.get("a-res-77-281") == 1  # A/RES/77/281 refers to the ILC 2022 resolution
    ep = {r["citing"].removeprefix(ID): r["distance"] for r in rows(kg, "cited-by", milestone="id:p6-ta-2009-0062")}
    assert ep.get("p8-ta-2018-0317") == 1 and ep.get("es-ley-5-2011") == 1  # E08 and N01 cite the Toia report


def test_citation_network_of_a_milestone(kg):
    links = {(r["from"].removeprefix(ID), r["relation"], r["to"].removeprefix(ID))
             for r in rows(kg, "citation-network")}
    assert ("a-res-77-281", "cites", "ilc-110-resolution-sse") in links
    assert ("a-res-77-281", "mandates", "un-sg-report-sse-2024") in links
    assert any(to == "a-res-77-281" for _, _, to in links)  # later milestones follow it up


def test_milestones_roll_up_to_their_organisation(kg):
    top = {r["topLabel"]: r["milestones"] for r in rows(kg, "milestones-by-organisation")}
    assert top["United Nations"] >= 5 and top["European Union"] >= 8


def test_events_with_partners_and_counts(kg):
    events = {r["event"].removeprefix(ID): r for r in rows(kg, "events")}
    montreal = events["untfsse-symposium-2023"]
    assert (montreal["start"], montreal["end"]) == ("2023-10-02", "2023-10-03")
    assert set(montreal["partners"].split(" | ")) == {
        "Government of Quebec", "City of Montreal", "Caisse d'économie solidaire Desjardins"}
    assert "50" in montreal["participants"]
    assert events["untfsse-symposium-2019"]["start"] == "2019-11-21"
    assert events["untfsse-symposium-2016"]["start"] == "2016-11-03"
    assert events["untfsse-symposium-2021"]["end"] == "2021-12-10"


def test_representatives(kg):
    reps = {(r["personName"], r.get("organisationLabel"), r["eventName"]) for r in rows(kg, "representatives")}
    assert ("Gianluca Pastorelli", "Diesis Network",
            "UNTFSSE 4th Technical Symposium: Advancing the Social and Solidarity Economy in Quebec and Beyond") in reps


def test_milestones_by_jurisdiction(kg):
    by = {(r["jurisdictionLabel"], r.get("symbol")) for r in rows(kg, "milestones-by-jurisdiction")}
    assert ("Spain", "Ley 5/2011") in by and ("France", "Loi n° 2014-856") in by


def test_founded_per_year_reads_mixed_precision(kg):
    years = {r["year"]: r["organisations"] for r in rows(kg, "founded-per-year")}
    assert years[1895] >= 1 and years[1947] >= 1  # ICA (19 Aug 1895), CIRIEC (12 Feb 1947)
    assert years[1997] >= 1  # Diesis Network (gYear 1997)


def test_observers_active_before_a_milestone_fall_in_the_window(kg):
    found = rows(kg, "observers-active-before")
    assert found
    for r in found:
        assert dt.date(2022, 4, 18) <= r["start"] < dt.date(2023, 4, 18)


def test_no_primary_source_lists_only_secondary_backed_nodes(kg):
    nodes = {r["node"].removeprefix(ID) for r in rows(kg, "no-primary-source")}
    primary = {r["m"].removeprefix(ID) for r in kg.query("SELECT DISTINCT ?m WHERE { ?m prov:hadPrimarySource ?p }")}
    assert nodes and not (nodes & primary)
    assert "membership-diesis-network-untfsse" in nodes


def test_post_holders(kg):
    holders = {(r["postLabel"], r["holderName"]) for r in rows(kg, "post-holders")}
    assert ("Chair of the UNTFSSE", "Chantal Line Carpentier") in holders
    assert ("Vice-Chair of the UNTFSSE", "Simel Esim") in holders
    diesis = {(r["postLabel"], r["holderName"]) for r in rows(kg, "post-holders", org="Diesis Network")}
    assert any(name == "Gianluca Pastorelli" and "Executive President" in post for post, name in diesis)


def test_titles_fall_back_from_french_to_english(kg):
    titles = {r["milestone"].removeprefix(ID): (r["title"], r["language"]) for r in rows(kg, "titles-in-language")}
    assert titles["fr-loi-2014-856"][1] == "fr"
    assert titles["a-res-77-281"] == ("Promoting the social and solidarity economy for sustainable development", "en")
    spanish = {r["milestone"].removeprefix(ID): r["language"] for r in rows(kg, "titles-in-language", lang="es")}
    assert spanish["es-ley-5-2011"] == "es"


def test_disputed_lists_the_sheets_ambiguities(kg):
    disputed = {r["node"].removeprefix(ID) for r in rows(kg, "disputed")}
    assert {"ripess", "gsef", "a-res-79-sse"} <= disputed
