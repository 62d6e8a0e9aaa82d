"""The world map of SSE law (issue 12): instrument types, statuses, life cycles, M49 regions.

Three kinds of test:
- the named queries a researcher asks (laws by region, in force on a date, amendment chain,
  framework law without strategy, bills pending), with answers checked by reading the sources;
- spot checks of values from shared/reference/facts-sse-laws-worldwide.md and
  facts-oecd-unga-untfsse-2.md: symbol, date under the right property, jurisdiction, type;
- the SHACL rules of the life-cycle model fire on what they forbid.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ssegraph

ID = "https://w3id.org/ssegraph/id/"
KOS = "https://w3id.org/ssegraph/kos/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def rows(kg, name, **params):
    return list(kg.named_query(name, params))


def slugs(found, column="milestone"):
    return {r[column].removeprefix(ID) for r in found}


# --------------------------------------------------------------------------------------------
# laws-by-region
# --------------------------------------------------------------------------------------------
def test_latin_america_is_a_query_not_a_list(kg):
    found = rows(kg, "laws-by-region", region="Latin America", instrument="all")
    got = slugs(found)
    # N04 Mexico (Central America), N06 Ecuador, N07 Colombia, N08 Brazil, N16 Uruguay (South America)
    assert {"mx-less-2012", "ec-loeps-2011", "co-ley-454-1998", "br-lei-15068-2024", "uy-ley-19848"} <= got
    assert not {"es-ley-5-2011", "fr-loi-2014-856", "sn-loess-2021", "a-res-77-281"} & got
    mexico = next(r for r in found if r["milestone"] == ID + "mx-less-2012")
    assert (mexico["countryLabel"], mexico["m49"], mexico["type"]) == ("Mexico", "Central America", "SSE framework law")


def test_western_africa_by_name_code_and_french_name_agree(kg):
    by_name = slugs(rows(kg, "laws-by-region", region="Western Africa", instrument="all"))
    assert "sn-loess-2021" in by_name                       # N09 Senegal
    assert not {"cm-loi-2019-004", "tn-loi-2020-30", "dj-loi-ess-2019"} & by_name  # Middle, Northern, Eastern Africa
    assert slugs(rows(kg, "laws-by-region", region="011", instrument="all")) == by_name
    assert slugs(rows(kg, "laws-by-region", region="Afrique de l'Ouest", instrument="all")) == by_name


def test_a_region_includes_its_subnational_laws_and_filters_by_instrument(kg):
    europe_fl = rows(kg, "laws-by-region", region="150", instrument="FL")
    got = slugs(europe_fl)
    assert {"es-ley-5-2011", "fr-loi-2014-856", "be-wal-decret-2008-11-20"} <= got  # Wallonia rolls up to Belgium
    assert {r["type"] for r in europe_fl} == {"SSE framework law"}
    assert "lu-loi-2016-12-12" not in got                    # a social-enterprise law (N19)
    assert "es-ct-proyecto-ley-economia-social-solidaria-2025" not in got  # a bill
    wallonia = next(r for r in europe_fl if r["milestone"] == ID + "be-wal-decret-2008-11-20")
    assert (wallonia["jurisdictionLabel"], wallonia["countryLabel"], wallonia["m49"]) == (
        "Wallonia", "Belgium", "Western Europe")


def test_an_unknown_region_answers_nothing(kg):
    assert rows(kg, "laws-by-region", region="Atlantis", instrument="all") == []


# --------------------------------------------------------------------------------------------
# in-force-on
# --------------------------------------------------------------------------------------------
def test_in_force_on_follows_the_sourced_entry_into_force(kg):
    # Ley 5/2011: in force 30 April 2011 (BOE); Loi 2014-856: 2 August 2014 (JO)
    assert "es-ley-5-2011" not in slugs(rows(kg, "in-force-on", date="2011-04-29"))
    on = {r["milestone"].removeprefix(ID): r for r in rows(kg, "in-force-on", date="2011-04-30")}
    assert on["es-ley-5-2011"]["inForceFrom"] == "2011-04-30"
    assert on["es-ley-5-2011"]["from"] == "entry into force"
    assert "fr-loi-2014-856" not in slugs(rows(kg, "in-force-on", date="2014-08-01"))
    later = slugs(rows(kg, "in-force-on", date="2014-08-02"))
    assert {"fr-loi-2014-856", "es-ley-5-2011", "be-wal-decret-2008-11-20", "qc-social-economy-act-2013"} <= later


def test_in_force_on_leaves_out_what_no_source_says_applies(kg):
    found = slugs(rows(kg, "in-force-on", date="2025-01-01"))
    assert "mx-less-2012" not in found        # adopted; entry into force not sourced
    assert "gr-law-4019-2011" not in found    # 30 Sep 2011 is its publication, not entry into force
    bills = {"es-ct-proyecto-ley-economia-social-solidaria-2025", "es-proyecto-ley-integral-impulso-economia-social"}
    assert not bills & found


def test_in_force_on_stops_at_the_end_of_force(tmp_path):
    f = tmp_path / "laws.ttl"
    f.write_text("""
@prefix id: <https://w3id.org/ssegraph/id/> . @prefix kos: <https://w3id.org/ssegraph/kos/> .
@prefix sse: <https://w3id.org/ssegraph/def#> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:old a eli:LegalResource ; dcterms:title "Old"@en ; dcterms:type kos:instrument-sse-framework-law ;
    sse:status kos:status-repealed ; eli:date_document "2000-01-01"^^xsd:date ;
    eli:first_date_entry_in_force "2000-02-01"^^xsd:date ; eli:date_no_longer_in_force "2010-06-30"^^xsd:date .
id:year a eli:LegalResource ; dcterms:title "Year"@en ; dcterms:type kos:instrument-sse-framework-law ;
    sse:status kos:status-in-force ; dcterms:date "2005"^^xsd:gYear .
""", encoding="utf-8")
    small = ssegraph.load([f], cache_dir=tmp_path / "cache")
    assert slugs(rows(small, "in-force-on", date="2005-06-01")) == {"old"}   # a bare year counts from 31 Dec
    assert slugs(rows(small, "in-force-on", date="2010-06-29")) == {"old", "year"}
    assert slugs(rows(small, "in-force-on", date="2010-06-30")) == {"year"}


# --------------------------------------------------------------------------------------------
# amendment-chain
# --------------------------------------------------------------------------------------------
def test_amendment_chain_runs_both_ways(kg):
    # Law 4430/2016 replaced Law 4019/2011 (APFSE)
    chain = rows(kg, "amendment-chain", law="id:gr-law-4019-2011")
    old = {r["milestone"].removeprefix(ID): r["position"] for r in chain}
    assert old == {"gr-law-4019-2011": "0 this law", "gr-law-4430-2016": "2 later: amends, repeals or replaces it"}
    chain = rows(kg, "amendment-chain", law="id:gr-law-4430-2016")
    new = {r["milestone"].removeprefix(ID): r["position"] for r in chain}
    assert new["gr-law-4019-2011"].startswith("1 earlier")


def test_amendment_chain_of_slovenias_zsocp(kg):
    # L10 ZSocP (Uradni list RS 20-819/2011) amended by L11 ZSocP-A (in force 15 March 2018)
    found = {r["milestone"].removeprefix(ID): r for r in rows(kg, "amendment-chain", law="ZSocP")}
    assert found["si-zsocp-2011"]["position"] == "0 this law"
    assert found["si-zsocp-a-2018"]["position"].startswith("2 later")
    assert found["si-zsocp-a-2018"]["inForce"] == "2018-03-15"


# --------------------------------------------------------------------------------------------
# framework-no-strategy and bills-pending
# --------------------------------------------------------------------------------------------
def test_framework_law_without_strategy_and_the_reverse(kg):
    found = {r["jurisdiction"]: r["which"] for r in rows(kg, "framework-no-strategy")}
    assert found[COUNTRY + "FRA"] == "framework law, no strategy or plan"
    assert found[ID + "jurisdiction-wallonia"] == "framework law, no strategy or plan"
    assert found[ID + "jurisdiction-eu"] == "strategy or plan, no framework law"
    # Spain has both (Ley 5/2011 and the 2017-2020 and 2023-2027 strategies, L05/L06)
    assert COUNTRY + "ESP" not in found
    # Catalonia has only a bill: a bill is neither a law nor a plan
    assert ID + "jurisdiction-catalonia" not in found


def test_bills_pending_with_their_dates(kg):
    found = {r["bill"].removeprefix(ID): r for r in rows(kg, "bills-pending")}
    catalonia = found["es-ct-proyecto-ley-economia-social-solidaria-2025"]
    assert (catalonia["submitted"], catalonia["countryLabel"]) == ("2025-01-21", "Spain")
    assert found["es-proyecto-ley-integral-impulso-economia-social"]["lastAttested"] == "2024-12-07"
    assert found["ci-projet-loi-ess-2025"]["submitted"] == "2025-04-09"        # D04
    assert found["xk-draft-law-social-enterprises-2016"]["submitted"] == "2016-12-14"  # D05
    assert "es-ley-5-2011" not in found


# --------------------------------------------------------------------------------------------
# Spot checks against the two new fact sheets
# --------------------------------------------------------------------------------------------
def _values(kg, slug: str, prop: str) -> set[str]:
    """Each value as 'lexical' (IRIs compacted to id:/kos:/country:) or 'lexical^^datatype'."""
    out = set()
    for r in kg.query(f"SELECT ?o (STR(DATATYPE(?o)) AS ?dt) WHERE {{ ?m {prop} ?o }}", m=f"id:{slug}"):
        o, dt = r["o"], r.get("dt")
        for prefix, iri in (("id:", ID), ("kos:", KOS), ("country:", COUNTRY)):
            if not dt and o.startswith(iri):
                o = prefix + o.removeprefix(iri)
        if dt and dt.startswith(XSD) and dt != XSD + "string":
            o = f"{o}^^{dt.removeprefix(XSD)}"
        out.add(o)
    return out


SPOT_CHECKS = [
    # row, milestone, property, expected value
    ("L01", "it-legge-106-2016", "eli:date_document", "2016-06-06^^date"),
    ("L01", "it-legge-106-2016", "eli:first_date_entry_in_force", "2016-07-03^^date"),
    ("L02", "it-dlgs-117-2017", "eli:id_local", "D.Lgs. 117/2017"),
    ("L02", "it-dlgs-117-2017", "eli:date_publication", "2017-08-02^^date"),
    ("L02", "it-dlgs-117-2017", "dcterms:type", "kos:instrument-third-sector-law"),
    ("L03", "es-galicia-ley-6-2016", "eli:first_date_entry_in_force", "2016-06-07^^date"),
    ("L03", "es-galicia-ley-6-2016", "eli:jurisdiction", "id:jurisdiction-galicia"),
    ("L04", "es-aragon-ley-7-2022", "dcterms:type", "kos:instrument-sse-framework-law"),
    ("L06", "es-estrategia-economia-social-2023-2027", "eli:date_document", "2023-04-11^^date"),
    ("L06", "es-estrategia-economia-social-2023-2027", "dcterms:type", "kos:instrument-strategy-plan"),
    ("L07", "be-bru-ordonnance-2018-07-23", "eli:first_date_entry_in_force", "2019-02-01^^date"),
    ("L09", "lv-social-enterprise-law-2017", "eli:date_document", "2017-10-12^^date"),
    ("L09", "lv-social-enterprise-law-2017", "eli:jurisdiction", "country:LVA"),
    ("L10", "si-zsocp-2011", "eli:id_local", "ZSocP"),
    ("L10", "si-zsocp-2011", "eli:date_publication", "2011-03-18^^date"),
    ("L10", "si-zsocp-2011", "eli:date_applicability", "2012-01-01^^date"),
    ("L11", "si-zsocp-a-2018", "eli:amends", "id:si-zsocp-2011"),
    ("L14", "lt-social-enterprises-law-2004", "eli:id_local", "Nr. IX-2251"),
    ("L17", "dk-lov-711-2014", "eli:first_date_entry_in_force", "2015-01-01^^date"),
    ("L18", "fi-act-1351-2003", "eli:id_local", "1351/2003"),
    ("L19", "cy-law-207-i-2020", "dcterms:date", "2020-12^^gYearMonth"),
    ("L24", "de-national-strategy-social-innovation-2023", "eli:date_document", "2023-09-13^^date"),
    ("L26", "uk-public-services-social-value-act-2012", "dcterms:type", "kos:instrument-other-law"),
    ("L26", "uk-public-services-social-value-act-2012", "eli:first_date_entry_in_force", "2013-01-31^^date"),
    ("L28", "rs-zakon-socijalno-preduzetnistvo-2022", "eli:first_date_entry_in_force", "2022-02-15^^date"),
    ("L29", "al-law-65-2016", "dcterms:date", "2016^^gYear"),
    ("L33", "kr-framework-act-cooperatives", "eli:first_date_entry_in_force", "2012-12-01^^date"),
    ("L34", "kr-seoul-framework-ordinance-social-economy", "eli:jurisdiction", "id:jurisdiction-seoul"),
    ("L36", "th-social-enterprise-promotion-act-2019", "dcterms:date", "2019^^gYear"),
    ("L37", "vn-law-on-enterprises-68-2014", "eli:id_local", "68/2014/QH13"),
    ("L45", "ar-er-ley-10151", "sse:datePromulgated", "2012-07-13^^date"),
    ("L45", "ar-er-ley-10151", "eli:date_publication", "2012-07-18^^date"),
    ("L48", "bo-ley-338-2013", "eli:date_document", "2013-01-26^^date"),
    ("L50", "br-decreto-7358-2010", "dcterms:type", "kos:instrument-implementing-act"),
    ("L53", "cv-lei-122-viii-2016", "eli:date_publication", "2016-03-24^^date"),
    ("L56", "cm-arrete-042-pm-2022", "eli:date_document", "2022-05-23^^date"),
    ("D03", "ma-projet-loi-cadre-ess", "dcterms:dateSubmitted", "2016-06-28^^date"),
    ("D04", "ci-projet-loi-ess-2025", "sse:status", "kos:status-bill"),
    ("D05", "xk-draft-law-social-enterprises-2016", "eli:jurisdiction", "country:XKX"),
    ("§B N03", "qc-social-economy-act-2013", "dcterms:dateSubmitted", "2013-03-19^^date"),
    ("§B N08", "br-lei-15068-2024", "prov:hadPrimarySource", "https://w3id.org/ssegraph/source/planalto-lei-15068-2024"),
    ("§B N20", "bg-act-sse-enterprises-2018", "dcterms:dateSubmitted", "2018-08-06^^date"),
    ("§B Catalonia", "es-ct-proyecto-ley-economia-social-solidaria-2025", "dcterms:dateSubmitted", "2025-01-21^^date"),
    ("audit", "gr-law-4019-2011", "eli:date_publication", "2011-09-30^^date"),
    ("audit", "gr-law-4019-2011", "eli:published_in", "ΦΕΚ 216/Α/30.9.2011"),
    ("V09", "un-sg-report-sse-2024", "dcterms:date", "2024-10^^gYearMonth"),
]


@pytest.mark.parametrize("row, slug, prop, expected", SPOT_CHECKS, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in SPOT_CHECKS])
def test_spot_check(kg, row, slug, prop, expected):
    assert expected in _values(kg, slug, prop), f"{row}: {slug} {prop}"


def test_spot_checks_are_at_least_thirty():
    assert len(SPOT_CHECKS) >= 30


@pytest.mark.parametrize("slug, prop, values", [
    # §B N10: the ARP vote is 17 June (fact sheet §4.6) or 18 June 2020 (managers.tn): both kept, disputed
    ("tn-loi-2020-30", "dcterms:dateAccepted", {"2020-06-17^^date", "2020-06-18^^date"}),
    # L55: the PM decree is dated 3 January 2020 by one ministry page, 4 January by another
    ("cm-decret-2020-0001-pm", "eli:date_document", {"2020-01-03^^date", "2020-01-04^^date"}),
    # L54: Mali's policy, 6 October 2014 (RIPESS) vs 9 October (RELIESS)
    ("ml-politique-nationale-ess-2014", "eli:date_document", {"2014-10-06^^date", "2014-10-09^^date"}),
])
def test_disputed_dates_keep_both_values_on_a_low_confidence_node(kg, slug, prop, values):
    assert _values(kg, slug, prop) == values
    assert _values(kg, slug, "sse:confidence") == {"kos:confidence-low"}


def test_greek_law_4019_is_published_not_in_force_on_30_september_2011(kg):
    # audit correction (akadimia-volos.gr: "Νόμο 4019/ΦΕΚ 216/Α/30.9.2011"); APFSE's "251/A" is wrong
    assert _values(kg, "gr-law-4019-2011", "eli:first_date_entry_in_force") == set()
    note = " ".join(_values(kg, "gr-law-4019-2011", "skos:editorialNote"))
    assert "251/A" in note and "wrong" in note


def test_oecd_and_unga_facts_cite_their_quoted_source(kg):
    quotes = [r["q"] for r in kg.query("""
        SELECT ?q WHERE { VALUES ?m { id:a-res-77-281 id:oecd-legal-0472 }
          ?m prov:wasDerivedFrom ?s . ?s sse:quote ?q }""")]
    assert any("adopted without a vote" in q for q in quotes)                   # U01, GA/12498
    assert any("informará al Consejo de sus avances en 2027" in q for q in quotes)  # O04
    assert any("44 países" in q for q in quotes)                                # O09
    # The 2024 resolution's symbol and plenary date stay unsourced (sheet §6): no symbol is set
    assert _values(kg, "a-res-79-sse", "eli:id_local") == set()
    assert _values(kg, "a-res-79-sse", "dcterms:dateAccepted") == {"2024-11-26^^date"}


def test_new_source_records_carry_the_quote_and_the_row(kg):
    bad = list(kg.query("""
        SELECT ?s WHERE { ?s a prov:Entity ; dcterms:description ?d .
          FILTER(CONTAINS(STR(?d), "Quoted in shared/reference/facts-oecd-unga-untfsse-2.md")
              || CONTAINS(STR(?d), "Quoted in shared/reference/facts-sse-laws-worldwide.md, §B"))
          FILTER NOT EXISTS { ?s sse:quote ?q } }"""))
    assert bad == []


# --------------------------------------------------------------------------------------------
# SHACL rules of the life-cycle and jurisdiction model
# --------------------------------------------------------------------------------------------
PREFIXES = """
@prefix id: <https://w3id.org/ssegraph/id/> . @prefix kos: <https://w3id.org/ssegraph/kos/> .
@prefix sse: <https://w3id.org/ssegraph/def#> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix src: <https://w3id.org/ssegraph/source/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
src:page a prov:Entity ; schema:url <https://example.org/page> .
"""


def law(local: str, extra: str) -> str:
    return (f'id:{local} a eli:LegalResource ; dcterms:title "{local}"@en ;'
            ' eli:type_document kos:doctype-national-law ;'
            f' prov:wasDerivedFrom src:page ; {extra} .\n')


TYPED = "dcterms:type kos:instrument-sse-framework-law ; sse:status kos:status-adopted"


def violations(tmp_path: Path, body: str) -> list[tuple[str, str]]:
    f = tmp_path / "case.ttl"
    f.write_text(PREFIXES + body, encoding="utf-8")
    report = ssegraph.load([f], cache_dir=tmp_path / "cache").validate()
    return sorted((x.focus, x.shape) for x in report.findings if x.severity == "Violation")


def test_well_formed_laws_bills_and_jurisdictions_conform(tmp_path):
    body = (law("a", TYPED + ' ; eli:date_document "2020-01-01"^^xsd:date ; eli:published_in "Gazette 1/2020"')
            + law("b", 'dcterms:type kos:instrument-bill ; sse:status kos:status-bill ;'
                  ' sse:lastAttested "2024"^^xsd:gYear')
            + law("c", TYPED + ' ; eli:date_document "2020-01-01"^^xsd:date, "2020-01-02"^^xsd:date ;'
                  ' sse:confidence kos:confidence-low ; skos:editorialNote "two sources"@en ; eli:amends id:a')
            + 'country:AAA a eli:AdministrativeArea ; skos:prefLabel "A"@en ;'
              ' dcterms:type kos:jurisdiction-level-country ;'
              ' skos:broader kos:m49-039 .\n'
            + 'id:jurisdiction-r a eli:AdministrativeArea ; skos:prefLabel "R"@en ;'
              ' dcterms:type kos:jurisdiction-level-region ; skos:broader country:AAA .\n'
            + 'id:jurisdiction-c a eli:AdministrativeArea ; skos:prefLabel "C"@en ;'
              ' dcterms:type kos:jurisdiction-level-municipality ; skos:broader id:jurisdiction-r .\n')
    assert violations(tmp_path, body) == []


def test_a_milestone_needs_one_type_and_one_status_from_their_schemes(tmp_path):
    body = (law("a", 'eli:date_document "2020-01-01"^^xsd:date')
            + law("b", 'dcterms:type kos:doctype-national-law ; sse:status kos:status-adopted ;'
                  ' eli:date_document "2020-01-01"^^xsd:date'))
    assert violations(tmp_path, body) == [("id:a", "shp:MilestoneShape"), ("id:a", "shp:MilestoneShape"),
                                          ("id:b", "shp:MilestoneShape")]


def test_a_bill_has_no_adoption_date_but_a_submission_or_attestation(tmp_path):
    bill = "dcterms:type kos:instrument-bill ; sse:status kos:status-bill"
    body = (law("dated", bill + ' ; eli:date_document "2020-01-01"^^xsd:date ;'
                ' dcterms:dateSubmitted "2019-01-01"^^xsd:date')
            + law("bare", bill)
            + law("ok", bill + ' ; dcterms:dateSubmitted "2019-01-01"^^xsd:date')
            + law("undated-law", TYPED))
    assert violations(tmp_path, body) == [("id:bare", "shp:AdoptionDateShape"), ("id:dated", "shp:AdoptionDateShape"),
                                          ("id:undated-law", "shp:AdoptionDateShape")]


def test_a_second_date_needs_a_disputed_node(tmp_path):
    body = law("a", TYPED + ' ; eli:date_document "2020-01-01"^^xsd:date ;'
               ' eli:first_date_entry_in_force "2020-02-01"^^xsd:date, "2020-03-01"^^xsd:date')
    assert violations(tmp_path, body) == [("id:a", "shp:DisputedDateShape")]


def test_life_cycle_values_are_typed_and_links_point_to_milestones(tmp_path):
    body = law("a", TYPED + ' ; eli:date_document "2020-01-01"^^xsd:date ;'
               ' eli:date_no_longer_in_force "2021"^^xsd:gYear ;'
               ' eli:published_in "Gazette"@en ; eli:repealed_by id:nowhere')
    found = violations(tmp_path, body)
    assert found.count(("id:a", "shp:MilestoneShape")) == 3


def test_first_attested_not_after_last_attested(tmp_path):
    bill = "dcterms:type kos:instrument-bill ; sse:status kos:status-bill"
    body = (law("late", bill + ' ; sse:firstAttested "2024-05-01"^^xsd:date ; sse:lastAttested "2023"^^xsd:gYear')
            + law("same-year", bill + ' ; sse:firstAttested "2023-05"^^xsd:gYearMonth ;'
                  ' sse:lastAttested "2023"^^xsd:gYear'))
    assert violations(tmp_path, body) == [("id:late", "shp:AttestedOrderShape")]


def test_every_jurisdiction_reaches_a_country_and_every_country_an_m49_area(tmp_path):
    body = ('country:AAA a eli:AdministrativeArea ; skos:prefLabel "A"@en ;'
            ' dcterms:type kos:jurisdiction-level-country .\n'
            'id:jurisdiction-r a eli:AdministrativeArea ; skos:prefLabel "R"@en ;'
            ' dcterms:type kos:jurisdiction-level-region .\n'
            'id:jurisdiction-x a eli:AdministrativeArea ; skos:prefLabel "X"@en .\n')
    assert violations(tmp_path, body) == [("country:AAA", "shp:CountryShape"),
                                          ("id:jurisdiction-r", "shp:SubnationalShape"),
                                          ("id:jurisdiction-x", "shp:JurisdictionShape")]
