"""Memberships that read true (issue 12, items 6 and 7).

A researcher reading the UNTFSSE table must be able to tell a sourced joining date from an attestation,
and must not find a post (chair, secretariat) or an event role (convenor) dressed up as a membership.
Expected values come from the pages the data cites: shared/reference/facts-oecd-unga-untfsse-2.md (§4),
facts-organisations-events.md (§2-3) and the pages read for the audit corrections (source records in
data/sources-organisations.ttl).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

ID = "https://w3id.org/ssegraph/id/"
MEMBERSHIP_ROLES = {"member", "founding member", "observer", "founding observer"}
POST_ROLES = {"chair", "vice-chair", "co-chair", "secretariat", "technical secretariat", "convenor"}


def rows(kg, name, **params):
    return list(kg.named_query(name, params))


def short(iri: str) -> str:
    return iri.removeprefix(ID)


@pytest.fixture(scope="module")
def table(kg):
    return rows(kg, "untfsse-members")


@pytest.fixture(scope="module")
def by_member(table):
    return {(short(r["member"]), r["role"]): r for r in table}


# -- the UNTFSSE table ------------------------------------------------------------------------------
def test_one_row_per_member_and_role(table):
    pairs = [(r["member"], r["role"]) for r in table]
    assert len(pairs) == len(set(pairs))
    # no organisation is listed twice, not even with a "formalised" second membership (ECLAC, ESCAP, UNHCR)
    members = [r["member"] for r in table]
    assert len(members) == len(set(members))


def test_posts_and_event_roles_are_not_member_rows(table, by_member):
    assert {r["role"] for r in table} <= MEMBERSHIP_ROLES
    assert not {r["role"] for r in table} & POST_ROLES
    assert [role for (m, role) in by_member if m == "ilo"] == ["member"]


def test_columns_say_which_date_is_which(kg):
    result = kg.named_query("untfsse-members")
    assert result.variables == ["member", "memberLabel", "role", "joined", "first_attested", "last_attested",
                                "ended", "sources"]


def test_csv_header_from_the_cli(run):
    out = run("query", "--name", "untfsse-members", "--format", "csv")
    assert out.exit_code == 0
    assert out.stdout.splitlines()[0] == "member,memberLabel,role,joined,first_attested,last_attested,ended,sources"


def test_dates_keep_their_type_and_precision(by_member):
    escwa = by_member[("escwa", "member")]
    assert escwa["joined"] == dt.date(2023, 12, 7)  # "has announced its institutional membership", 7 Dec 2023
    assert by_member[("diesis-network", "observer")]["joined"] == "2020"  # "Since 2020 … as Observer" (T07)
    catalyst = by_member[("catalyst-2030", "observer")]
    assert catalyst["joined"] == "2020-10"  # welcomed at the 32nd meeting, October 2020 (T01)
    assert isinstance(by_member[("ilo", "member")]["first_attested"], dt.date)


def test_joined_only_where_a_source_says_it_joined(by_member):
    # ILO, UNDP, UNCTAD, OECD, UN DESA: no source gives a joining date, only attestations
    for m in ("ilo", "undp", "unctad", "oecd", "un-desa"):
        row = by_member[(m, "member")]
        assert "joined" not in row, m
        assert row["first_attested"] and row["last_attested"], m
    assert by_member[("ilo", "member")]["first_attested"] == dt.date(2013, 9, 30)  # convened the founding meeting
    assert by_member[("oecd", "member")]["last_attested"] == dt.date(2023, 5, 16)  # 43rd meeting member list (T04)
    # "Euricse has been admitted as observer" (2019); presented at the Geneva meeting of 23 July 2019 (T06)
    euricse = by_member[("euricse", "observer")]
    assert (euricse["joined"], euricse["first_attested"]) == ("2019", dt.date(2019, 7, 23))
    # ICA is a founding observer, with no start stated
    assert "joined" not in by_member[("ica", "founding observer")]


def test_disputed_and_formalised_memberships_are_single_rows(by_member):
    unhcr = by_member[("unhcr", "member")]  # listed in Dec 2021, welcomed as "new Member" on 14 Mar 2024 (T05)
    assert (unhcr["first_attested"], unhcr["joined"]) == (dt.date(2021, 12, 6), dt.date(2024, 3, 14))
    eclac = by_member[("eclac", "member")]  # welcomed as new member 19 Jul 2022; "formalized" 19 Jun 2024
    assert (eclac["joined"], eclac["last_attested"]) == (dt.date(2022, 7, 19), dt.date(2024, 6, 19))
    escap = by_member[("escap", "member")]  # a formalisation is not a joining date
    assert "joined" not in escap and escap["last_attested"] == dt.date(2024, 6, 19)


def test_old_attestations_do_not_read_as_current(by_member):
    for m in ("fao", "unep", "un-ngls"):
        row = by_member[(m, "member")]
        assert row["last_attested"] == dt.date(2016, 11, 3), m  # only the Rome symposium names them
        assert "ended" not in row  # no source says they left either


def test_the_sheet_roster_is_all_there(by_member):
    # §4b: 14 members and 15 observers attested
    members = {m for (m, role) in by_member if role in {"member", "founding member"}}
    observers = {m for (m, role) in by_member if role in {"observer", "founding observer"}}
    assert members == {"ilo", "unrisd", "undp", "un-ngls", "unctad", "fao", "unep", "un-desa", "oecd", "who",
                       "unhcr", "escap", "eclac", "escwa"}
    assert observers == {"catalyst-2030", "ciriec", "csend", "diesis-network", "eesc", "emes", "euclid-network",
                         "euricse", "fmdv", "gsef", "ica", "ripess", "social-economy-europe",
                         "sse-international-forum", "wfto"}


def test_every_row_cites_a_source(table):
    for r in table:
        assert r.get("sources", "").startswith("http"), r["member"]


# -- posts: tenures with their own dates -----------------------------------------------------------
def test_untfsse_chairs_rotate(kg):
    tenures = rows(kg, "post-tenures")
    chairs = sorted((r["first_attested"], short(r["holder"])) for r in tenures if r["role"] == "chair")
    assert [h for _, h in chairs] == ["ilo", "unctad", "ilo"]  # ILO 2019-2022, UNCTAD 2023, ILO again 2025
    assert chairs[1][0] == dt.date(2023, 3, 7)  # "the new Task Force Chair, Chantal Line Carpentier, UNCTAD"
    ilo_first = next(r for r in tenures if r["role"] == "chair" and r["first_attested"] == chairs[0][0])
    assert ilo_first["last_attested"] == dt.date(2022, 10, 18)  # "Vic Van Vuuren, Chair of the … UNTFSSE"
    co = {short(r["holder"]) for r in tenures if r["role"] == "co-chair"}
    assert co == {"ilo", "unctad"}
    assert {r["role"] for r in tenures} >= {"secretariat", "vice-chair"}


def test_ilo_governing_body_chair_dates(kg):
    """Claudia Fuentes Julio chaired until Abiodun Richards Adejola was elected on 17 June 2023."""
    tenures = {short(r["holder"]): r for r in rows(kg, "post-tenures", org="id:ilo-governing-body")}
    fuentes = tenures["claudia-fuentes-julio"]
    assert fuentes["ended"] == dt.date(2023, 6, 17)
    assert fuentes["first_attested"] == dt.date(2022, 10, 13)  # Chairperson of the 346th session
    assert "started" not in fuentes  # no source read dates her election
    assert tenures["abiodun-richards-adejola"]["started"] == dt.date(2023, 6, 17)
    # the old claim "Chair of the ILO Governing Body (October 2023)" is gone
    desc = kg.query("SELECT ?d WHERE { id:claudia-fuentes-julio dcterms:description ?d }")
    assert "October 2023" not in " ".join(r["d"] for r in desc)


def test_gsef_chair_cities_are_posts_of_2019(kg):
    tenures = {(short(r["holder"]), r["role"]): r for r in rows(kg, "post-tenures", org="id:gsef")}
    assert tenures[("city-of-seoul", "chair")]["last_attested"] == "2019-10"
    assert tenures[("mexico-city-government", "co-chair")]["last_attested"] == "2019-10"
    members = {(short(r["member"]), r["role"]) for r in rows(kg, "untfsse-members", org="id:gsef")}
    assert ("city-of-seoul", "member") in members and ("city-of-seoul", "chair") not in members


# -- data-wide rules for the new properties -------------------------------------------------------
DATE_TYPES = {"http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#gYearMonth",
              "http://www.w3.org/2001/XMLSchema#gYear"}


def test_attestation_dates_are_typed_and_ordered(kg):
    found = kg.query("""
        SELECT ?m (STR(?f) AS ?first) (STR(DATATYPE(?f)) AS ?ft) (STR(?l) AS ?last) (STR(DATATYPE(?l)) AS ?lt)
        WHERE { ?m a org:Membership . OPTIONAL { ?m sse:firstAttested ?f } OPTIONAL { ?m sse:lastAttested ?l }
                FILTER(BOUND(?f) || BOUND(?l)) }""")
    found = list(found)
    assert len(found) > 50
    for r in found:
        for value, kind in ((r.get("first"), r.get("ft")), (r.get("last"), r.get("lt"))):
            if value is not None:
                assert kind in DATE_TYPES, r["m"]
                assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", value), r["m"]
        if r.get("first") and r.get("last"):
            n = min(len(r["first"]), len(r["last"]))
            assert r["first"][:n] <= r["last"][:n], r["m"]


def test_membership_history_orders_starts(kg):
    """Corrected form of test_query_answers.py::test_membership_history_runs_in_time_order: the convenors of
    the founding meeting are its organisers (events.ttl), not memberships with a start."""
    history = rows(kg, "membership-history")
    dated = [r["start"] for r in history if r.get("start")]
    assert dated == sorted(dated)
    assert dated[0] == "2019"  # EURICSE admitted, Euclid Network joined (year only)
    diesis = [r for r in history if r["memberLabel"] == "Diesis Network"]
    assert diesis and diesis[0]["start"] == "2020" and "diesis.coop" in diesis[0]["source"]
    assert any(r.get("post") == "Chair of the UNTFSSE" for r in history)  # tenures are part of the history


def test_untfsse_members_corrected_assertions(by_member):
    """Corrected form of test_query_answers.py::test_untfsse_members_and_observers_with_their_start."""
    members = {m for (m, role) in by_member if role == "member"}
    assert {"ilo", "unctad", "un-desa", "oecd"} <= members  # the Diesis report names ILO, UNCTAD, DESA
    assert ("unrisd", "founding member") in by_member  # "UNRISD is a founder member of the Task Force"
    assert by_member[("diesis-network", "observer")]["joined"] == "2020"
    assert ("ica", "founding observer") in by_member
    assert by_member[("escwa", "member")]["joined"] == dt.date(2023, 12, 7)


def test_founding_convenors_are_event_organisers(kg):
    organisers = {short(r["o"]) for r in kg.query(
        "SELECT ?o WHERE { id:untfsse-founding-meeting schema:organizer ?o }")}
    assert organisers == {"ilo", "undp", "un-ngls", "unrisd"}
    convenor = list(kg.query("SELECT ?m WHERE { ?m a org:Membership ; org:role kos:role-convenor }"))
    assert convenor == []


# -- the audit corrections (issue 12, item 7) ------------------------------------------------------
@pytest.fixture(scope="module")
def events(kg):
    return {short(r["event"]): r for r in rows(kg, "events")}


def test_ciriec_conference_2025_at_sciences_po(events):
    ciriec = events["gsef-2025-ciriec-conference"]
    assert (ciriec["start"], ciriec["end"]) == ("2025-10-27", "2025-10-29")
    assert ciriec["place"] == "Sciences Po Bordeaux"  # not the Palais 2 l'Atlantique


def test_liege_2024_organised_by_the_three_regions(kg, events):
    organisers = {short(r["o"]) for r in kg.query(
        "SELECT ?o WHERE { id:eu-social-economy-conference-liege-2024 schema:organizer ?o }")}
    assert organisers == {"gouvernement-wallon", "flemish-government", "gouvernement-bruxelles-capitale"}
    assert "Belgium" in events["eu-social-economy-conference-liege-2024"]["partners"]  # the Council Presidency
    assert events["eu-social-economy-conference-liege-2024"]["place"] == "Palais des Congrès de Liège"


def test_un_hq_meeting_2022_co_organisers(kg):
    organisers = {short(r["o"]) for r in kg.query(
        "SELECT ?o WHERE { id:un-hq-multi-stakeholder-meeting-2022 schema:organizer ?o }")}
    assert organisers == {"government-of-chile", "government-of-france", "government-of-senegal",
                          "government-of-spain", "untfsse"}  # ILO WCMS_868983


def test_ripess_meetings_2009_and_2013(kg, events):
    manila = events["ripess-global-meeting-2013"]
    assert (manila["start"], manila["end"]) == ("2013-10-15", "2013-10-18")
    organisers = {short(r["o"]) for r in kg.query(
        "SELECT ?o WHERE { id:ripess-global-meeting-2013 schema:organizer ?o }")}
    assert organisers == {"ripess", "asec", "fph"}  # with ASEC and the Charles Léopold Mayer Foundation
    lux = events["ripess-global-meeting-2009"]
    assert lux["place"] == "Schifflange" and lux["start"] == "2009-04-22"


def test_ica_congress_1895_dates(events):
    congress = events["ica-congress-1895"]
    assert (congress["start"], congress["end"]) == ("1895-08-19", "1895-08-23")


def test_ripess_memberships(kg):
    by = {(short(r["member"]), r["role"]): r for r in rows(kg, "untfsse-members", org="id:ripess")}
    assert by[("ccednet", "member")]["joined"] == "2002"  # "a member of … RIPESS since 2002"
    raess = list(kg.query("SELECT ?c WHERE { id:membership-raess-ripess sse:confidence ?c }"))
    assert [short(r["c"]).rsplit("/", 1)[-1] for r in raess] == ["confidence-high"]


def test_replaced_mirror_urls_are_gone(kg):
    urls = [str(r["u"]) for r in kg.query("SELECT ?u WHERE { ?s schema:url ?u }")]
    assert urls
    assert not [u for u in urls if "ica.coop./" in u or "710302.xyz" in u]
