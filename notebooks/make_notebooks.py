"""Write the notebooks of this folder from the cells below, so that they are reviewed as Python.

The ``.ipynb`` files are generated, stored without outputs, and executed by
``tests/test_notebooks.py``. Edit the cells here, then run::

    .venv/bin/python notebooks/make_notebooks.py           # rewrite the notebooks
    .venv/bin/python notebooks/make_notebooks.py --check   # exit 1 if one is stale

Rules the cells follow: the first cell states the question and the last says what the data
shows; only the public API of ``ssegraph`` is used; the cells that make a claim assert it, so a
change in the data that breaks a claim fails CI instead of leaving a wrong sentence; nothing is
written to the repository or the working directory (files go to a temporary folder); each
notebook runs in well under a minute.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

Cell = tuple[str, str]  # ("md" | "code", source)


def md(text: str) -> Cell:
    return ("md", text.strip("\n"))


def code(text: str) -> Cell:
    return ("code", text.strip("\n"))


SETUP = code('''
import matplotlib.pyplot as plt
import pandas as pd

import ssegraph
from ssegraph.namespaces import compact

pd.set_option("display.max_colwidth", 80)
kg = ssegraph.load(memory=True)  # bundled data + ontology, parsed into memory: fast for many queries
kg
''')

# ---------------------------------------------------------------------------------------------
# 01: the tour
# ---------------------------------------------------------------------------------------------
TOUR: list[Cell] = [
    md('''
# A tour of the SSE knowledge graph

**Question.** What does the knowledge graph of the Social and Solidarity Economy hold, and who
are the members and observers of the UN Inter-Agency Task Force on Social and Solidarity Economy
(UNTFSSE), and since when?

Every table below is the answer to a SPARQL query over the bundled, curated Turtle files, read
through the public Python API of `ssegraph`. Every statement in those files carries its source,
so every row can be traced back to a web page.
'''),
    SETUP,
    md('''
## What is in the graph

`kg.stats()` is the Python twin of `ssegraph stats`: the number of triples and of entities in the
classes people ask about.
'''),
    code('''
stats = kg.stats()
entities = pd.Series(stats["classes"], name="entities").rename_axis("class").to_frame()
print(f"{stats['triples']:,} triples from {stats['files']} files")
assert entities.loc["org:Organization", "entities"] > 100
assert entities.loc["eli:LegalResource", "entities"] > 40
assert entities.loc["org:Membership", "entities"] > 50
entities
'''),
    md('''
The most connected organisation is the hub of the graph. Counting links to other organisations,
people, milestones, events and memberships:
'''),
    code('''
connected = pd.DataFrame(stats["most_connected"], columns=["organisation", "id", "links"])
assert connected.iloc[0]["id"] == "id:untfsse"  # the Task Force is the hub
connected.head(8)
'''),
    md('''
**No source, no statement.** The curators' rule is that every organisation, membership, person,
milestone and event cites a source record with a URL. The graph can check that about itself:
'''),
    code('''
UNSOURCED = """
SELECT ?class (COUNT(?node) AS ?unsourced) WHERE {
  VALUES ?class { org:Organization org:Membership foaf:Person eli:LegalResource schema:Event }
  ?node a ?class .
  FILTER NOT EXISTS { ?node prov:wasDerivedFrom/schema:url ?url }
}
GROUP BY ?class"""
unsourced = kg.query(UNSOURCED).to_dataframe()
assert unsourced.empty, unsourced  # every node reaches a URL through its source record
print("every organisation, membership, person, milestone and event has a source with a URL")
'''),
    md('''
## The questions the graph answers

The named queries are the competency questions of the project, each a `.rq` file with a header
that documents it (`ssegraph queries` lists them on the command line).
'''),
    code('''
from ssegraph.catalog import list_queries

catalogue = pd.DataFrame(
    [{"name": q.name, "title": q.title, "parameters": ", ".join(p.name for p in q.params)} for q in list_queries()]
)
assert {"untfsse-members", "membership-history", "citation-network"} <= set(catalogue["name"])
catalogue
'''),
    md('''
## Members and observers of the UNTFSSE

`untfsse-members` lists every membership in the Task Force with its role. The Task Force's
*members* are UN entities and the OECD; its *observers* are SSE networks and umbrella bodies; the
data also records who convened it in 2013, who chairs it and who holds its secretariat. `joined` is
the start at the precision the source gives it (a day, a month or only a year), and empty where
the sources only show the organisation present at a dated meeting.
'''),
    code('''
members = kg.named_query("untfsse-members").to_dataframe()
members["member"] = members["member"].map(compact)
members[["memberLabel", "role", "joined"]]
'''),
    code('''
by_role = members.groupby("role")["member"].nunique().rename("organisations")
member_names = set(members.loc[members["role"] == "member", "memberLabel"])
assert {"International Labour Organization", "United Nations Conference on Trade and Development"} <= member_names
assert "Organisation for Economic Co-operation and Development" in member_names  # the one non-UN member

diesis = members[members["memberLabel"] == "Diesis Network"]
assert diesis["role"].tolist() == ["observer"]
assert str(diesis["joined"].iloc[0]) == "2020"  # an observer since 2020: the source gives the year only
by_role.to_frame()
'''),
    md('''
## One SPARQL query, line by line

The named queries are plain SPARQL; here is one written in the notebook: every member and
observer of an organisation, with the year its membership started.

```sparql
SELECT ?member ?name ?role ?since ?year WHERE {                       # 1
  ?m a org:Membership ;                                               # 2
     org:organization ?org ;                                          # 3
     org:role ?r ;                                                    # 4
     org:member ?member .
  VALUES ?r { kos:role-member kos:role-observer }                     # 5
  ?r skos:prefLabel ?role FILTER(LANG(?role) = "en")                  # 6
  ?member skos:prefLabel ?name FILTER(LANG(?name) = "en")
  OPTIONAL { ?m org:memberDuring/time:hasBeginning/
                (time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?start }   # 7
  BIND(STR(?start) AS ?since)                                         # 8
  BIND(xsd:integer(SUBSTR(?since, 1, 4)) AS ?year)                    # 9
}
ORDER BY ?year ?name                                                  # 10
```

1. The columns of the answer. The prefixes (`org:`, `kos:`, `skos:`, `time:`, `xsd:` …) are
   predeclared by `kg.query`, so the query does not repeat them.
2. Every membership node. W3C ORG makes a membership a node of its own (`org:Membership`), so that
   it can carry a role, dates and its sources, which a plain `org:memberOf` triple cannot.
3. …in the organisation `?org`. The query leaves `?org` open and Python binds it *by value*
   (`org=untfsse` below): `ssegraph` adds a `VALUES` block built from the serialised IRI and never
   pastes text into the query.
4. …with its role and its member.
5. Only two roles of the SKOS list `kos:roles` (convenor, chair and secretariat are left out).
6. The English labels of the role and of the member: every concept and organisation is labelled
   at least in English.
7. The start, if the sources give one. `/` follows a chain of properties (membership → interval →
   beginning → value) and `|` accepts any of the three precisions: a day, a month or a year.
   `OPTIONAL`, because most memberships have no sourced start.
8. The start as text, whatever its precision: `2024-03-14`, `2024-06` or `2019`.
9. Its year as a number, read from the first four characters. That works on every SPARQL engine,
   whereas comparing `xsd:gYear` values does not.
10. Oldest first; memberships without a start sort first.
'''),
    code('''
MEMBERSHIPS = """
SELECT ?member ?name ?role ?since ?year WHERE {
  ?m a org:Membership ;
     org:organization ?org ;
     org:role ?r ;
     org:member ?member .
  VALUES ?r { kos:role-member kos:role-observer }
  ?r skos:prefLabel ?role FILTER(LANG(?role) = "en")
  ?member skos:prefLabel ?name FILTER(LANG(?name) = "en")
  OPTIONAL { ?m org:memberDuring/time:hasBeginning/
                (time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?start }
  BIND(STR(?start) AS ?since)
  BIND(xsd:integer(SUBSTR(?since, 1, 4)) AS ?year)
}
ORDER BY ?year ?name
"""
untfsse = kg.resolve("UNTFSSE")  # a label, an acronym or a prefixed name -> the IRI
print(untfsse)
result = kg.query(MEMBERSHIPS, org=untfsse)
history = result.to_dataframe()
history["member"] = history["member"].map(compact)
history["year"] = history["year"].astype("Int64")
history.tail(12)
'''),
    md('''
The same result object serialises to the W3C formats (CSV, TSV, SPARQL JSON and XML), for a
spreadsheet or another tool:
'''),
    code('''
csv_text = result.to("csv")
assert csv_text.splitlines()[0].split(",") == ["member", "name", "role", "since", "year"]
print("\\n".join(csv_text.splitlines()[-4:]))
'''),
    md('''
## Members and observers over time

Only the memberships whose source says the organisation *joined*, was *admitted* or *welcomed as
new* have a start. Plotting those, year by year:
'''),
    code('''
dated = history.dropna(subset=["year"])
print(f"{len(dated)} of {len(history)} memberships have a start date in the sources")
started = dated.groupby(["year", "role"]).size().unstack(fill_value=0)
ax = started.cumsum().plot(drawstyle="steps-post", marker="o", figsize=(7, 3.2))
ax.set(title="UNTFSSE memberships with a sourced start (cumulative)", xlabel="year started", ylabel="memberships")
ax.xaxis.get_major_locator().set_params(integer=True)
plt.show()

assert {2019, 2020} <= set(dated.loc[dated["role"] == "observer", "year"])
assert dated.loc[dated["role"] == "member", "year"].min() >= 2022  # no member start is sourced before ECLAC's, July 2022
dated[["year", "since", "role", "name"]]
'''),
    md('''
The sources are thin on dates, and the curators recorded what they do say about the size of the
Task Force on the Task Force itself, as editorial notes:
'''),
    code('''
notes = kg.query("SELECT ?note WHERE { ?org skos:editorialNote ?note }", org=untfsse)
for row in notes:
    print("-", row["note"], end="\\n\\n")
assert any("13 Observers" in row["note"] for row in notes)
'''),
    md('''
## Everything about one organisation

`kg.describe(name)` (the twin of `ssegraph describe`) gathers the statements on one entity, the
files that make them and the sources behind them.
'''),
    code('''
diesis = kg.describe("Diesis Network")
print(diesis.to_text())
assert any(p == "sse:observerOf" and "untfsse" in str(o) for p, o, _ in diesis.outgoing)
assert diesis.sources  # and where each statement comes from
'''),
    code('''
n_members, n_observers = by_role["member"], by_role["observer"]
first_observers = sorted(dated.loc[dated["year"] == dated["year"].min(), "name"])
print(f"{entities['entities'].sum():,} entities in {len(entities)} classes; {stats['triples']:,} triples")
print(f"UNTFSSE: {n_members} members and {n_observers} observers in the data; "
      f"{len(dated)} of {len(history)} memberships dated; first dated: {', '.join(first_observers)} "
      f"({dated['year'].min()})")
'''),
    md('''
## What the data shows

- The graph holds about 7,300 triples from 17 files: 136 organisations, 79 memberships,
  56 policy milestones, 53 events, 38 people and 209 source records, and every organisation,
  membership, person, milestone and event reaches a source URL.
- The UNTFSSE is its hub (111 links, next the ILO with 45 and RIPESS with 38).
- The data records 14 members of the Task Force (UN entities, among them the ILO and UNCTAD, and
  the OECD) and 14 observers (SSE networks such as the Diesis Network, RIPESS, GSEF and EURICSE).
- Only 10 of the 31 memberships have a sourced start: observers from 2019 (Euclid Network,
  EURICSE), 2020 (Catalyst 2030, the Diesis Network) and 2024 (WFTO); members only from December
  2023 (ESCWA) and 2024 (WHO, UNHCR, ESCAP, ECLAC). The others are attested at dated meetings in
  editorial notes, so the chart shows when the sources *start talking about* joining, not the
  Task Force's growth since 2013.
- The sources disagree on its size (17 members and 13 observers on unsse.org in November 2023;
  19 UN agencies, the OECD and 10 observers per the ILO in 2019): the notes keep both.

The numbers are those of this release of the data; the cell above prints them as they are now.
'''),
]

# ---------------------------------------------------------------------------------------------
# 02: policy timeline
# ---------------------------------------------------------------------------------------------
POLICY: list[Cell] = [
    md('''
# The policy timeline of the social and solidarity economy

**Question.** Which international, European and national policy milestones have shaped the SSE,
and when? Which of them cite, follow up or implement which?

A *milestone* is an `eli:LegalResource`: a UN General Assembly or ILO resolution, the OECD
Recommendation, an EU action plan, a national SSE law. Each has one adoption date, recorded at
the precision its source gives (a day, or only a month or a year).
'''),
    SETUP,
    md('''
## The milestones, one row each

The *level* is read from the data: European when the milestone applies to the EU
(`id:jurisdiction-eu`), national when it has a national or subnational `eli:jurisdiction`, and
international otherwise (UN, ILO and OECD instruments are addressed to their member states through
`eli:relevant_for`). The date is kept as text at its own precision, with its year as a number.
'''),
    code('''
MILESTONES = """
SELECT ?milestone (SAMPLE(?sym) AS ?symbol) (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date)
       (SAMPLE(?y) AS ?year) (SAMPLE(?prec) AS ?precision) (SAMPLE(?lvl) AS ?level)
       (GROUP_CONCAT(DISTINCT ?bl; separator=" | ") AS ?adoptedBy) (SAMPLE(?st) AS ?status)
WHERE {
  ?milestone a eli:LegalResource .
  OPTIONAL { ?milestone eli:id_local ?sym }
  OPTIONAL { ?milestone sse:status/skos:notation ?st }
  OPTIONAL { ?milestone dcterms:title ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
  OPTIONAL { ?milestone dcterms:title ?any }
  BIND(COALESCE(?en, ?any) AS ?t)
  OPTIONAL { ?milestone eli:date_document ?exact }
  OPTIONAL { ?milestone dcterms:date ?approx }
  BIND(STR(COALESCE(?exact, ?approx)) AS ?d)
  BIND(xsd:integer(SUBSTR(?d, 1, 4)) AS ?y)
  BIND(IF(STRLEN(?d) = 10, "day", IF(STRLEN(?d) = 7, "month", "year")) AS ?prec)
  OPTIONAL { ?milestone eli:passed_by/skos:prefLabel ?b FILTER(LANGMATCHES(LANG(?b), "en")) BIND(STR(?b) AS ?bl) }
  BIND(IF(EXISTS { ?milestone eli:jurisdiction|eli:relevant_for|dcterms:spatial id:jurisdiction-eu }, "European",
       IF(EXISTS { ?milestone eli:jurisdiction ?j }, "national", "international")) AS ?lvl)
}
GROUP BY ?milestone
ORDER BY ?date ?symbol
"""
milestones = kg.query(MILESTONES).to_dataframe()
milestones["milestone"] = milestones["milestone"].map(compact)
milestones = milestones.set_index("milestone")

unga = milestones.loc["id:a-res-77-281"]
assert unga[["date", "level", "adoptedBy"]].tolist() == [
    "2023-04-18", "international", "United Nations General Assembly"]
assert milestones.loc["id:com-2021-778", ["date", "level"]].tolist() == ["2021-12-09", "European"]  # EU action plan
assert milestones.loc["id:es-ley-5-2011", ["year", "level"]].tolist() == [2011, "national"]
assert milestones.index.is_unique
assert (milestones.loc[milestones["year"].isna(), "status"] == "bill").all()  # only pending bills are undated
milestones[["symbol", "date", "level", "adoptedBy", "title"]]
'''),
    code('''
summary = pd.crosstab(milestones["level"], milestones["precision"], margins=True, margins_name="all")
assert summary.loc["all", "all"] == milestones["year"].notna().sum()  # every dated milestone
assert summary.loc["all", "day"] > summary.loc["all", ["month", "year"]].sum()  # most are dated to the day
summary
'''),
    md('''
Where the source gives an exact day, the graph stores an `xsd:date`, and `to_dataframe()` turns
it into a real datetime column that pandas can compute with:
'''),
    code('''
exact = kg.query("""
SELECT ?milestone ?adopted WHERE {
  ?milestone a eli:LegalResource ; eli:date_document|dcterms:date ?adopted .
  FILTER(DATATYPE(?adopted) = xsd:date)
} ORDER BY ?adopted""").to_dataframe()
assert exact["adopted"].dtype.kind == "M"  # datetime64, not text
gaps = exact["adopted"].diff().dt.days
assert exact["milestone"].nunique() == summary.loc["all", "day"]  # a disputed day gives two rows
first, last = exact["adopted"].min(), exact["adopted"].max()
print(f"{len(exact)} milestones dated to the day, {first:%d %B %Y} to {last:%d %B %Y}")
print(f"median gap between two consecutive adoptions: {gaps.median():.0f} days")
'''),
    md('''
## Milestones per year and level
'''),
    code('''
per_year = pd.crosstab(milestones["year"], milestones["level"])
per_year = per_year.reindex(range(per_year.index.min(), per_year.index.max() + 1), fill_value=0)
ax = per_year.plot.bar(stacked=True, figsize=(9, 3.5), width=0.8)
ax.set(title="SSE policy milestones per year", xlabel="", ylabel="milestones")
plt.show()

since_2021 = per_year.loc[2021:].sum()
print(since_2021.to_dict(), "since 2021")
assert per_year.loc[:2020, "international"].sum() < per_year.loc[2021:, "international"].sum()
assert per_year.sum(axis=1).idxmax() == 2015  # 12 national laws and plans, 3 European acts and the 2030 Agenda
'''),
    md('''
## The timeline

`kg.timeline()` draws the milestones and events on a time axis, one lane per adopting body, with
curves for the links between them. It shows inline here (offline, nothing is fetched) and
`.save("timeline.html")` or `.save("timeline.png")` writes it to a file.
'''),
    code('''
timeline = kg.timeline(since=2009)
assert sum(item.kind == "milestone" for item in timeline.data.items) >= 40
timeline
'''),
    md('''
## Which milestones cite, follow up or implement which

Five relations link milestones: `eli:cites` and `eli:based_on` from ELI, and the project's
`sse:followsUp`, its narrower `sse:implements`, and `sse:mandates` (a resolution that calls for a
report). All but *mandates* point back in time, from the later text to the earlier one.
'''),
    code('''
LINKS = """
SELECT ?from ?relation ?to ?fromDate ?toDate WHERE {
  VALUES (?rel ?relation) { (eli:cites "cites") (sse:followsUp "follows up") (sse:implements "implements")
                            (sse:mandates "mandates") (eli:based_on "based on") }
  ?from ?rel ?to .
  ?from a eli:LegalResource . ?to a eli:LegalResource .
  OPTIONAL { ?from eli:date_document|dcterms:date ?fd } BIND(STR(?fd) AS ?fromDate)
  OPTIONAL { ?to eli:date_document|dcterms:date ?td } BIND(STR(?td) AS ?toDate)
}
ORDER BY ?fromDate ?relation
"""
links = kg.query(LINKS).to_dataframe()
links["from"] = links["from"].map(compact)
links["to"] = links["to"].map(compact)

backward = links[links["relation"] != "mandates"].dropna(subset=["fromDate", "toDate"])  # bills are undated
assert (backward["fromDate"].str[:4] >= backward["toDate"].str[:4]).all()  # nothing cites a later text
assert ((links["from"] == "id:un-sg-report-sse-2024") & (links["to"] == "id:a-res-77-281")).any()
print(links["relation"].value_counts().to_dict())
links
'''),
    md('''
As a directed graph (networkx), the links show which milestones the others build on, and the
longest chain of texts that follow one another. *mandates* is reversed first, so that every edge
points from the later text to the earlier one.
'''),
    code('''
import networkx as nx

citations = nx.DiGraph()
for row in links.itertuples(index=False):
    later, earlier = (row.to, row[0]) if row.relation == "mandates" else (row[0], row.to)
    citations.add_edge(later, earlier, relation=row.relation)
assert nx.is_directed_acyclic_graph(citations)

built_on = pd.Series(dict(citations.in_degree()), name="texts building on it").sort_values(ascending=False)
built_on.index.name = "milestone"
chain = nx.dag_longest_path(citations)
print("longest chain:", " -> ".join(chain))
print(f"{citations.number_of_nodes()} linked milestones in {nx.number_weakly_connected_components(citations)} groups")
assert {"id:com-2021-778", "id:a-res-77-281"} <= set(built_on.index[:3])  # the EU plan and the UNGA resolution
built_on.head(6).to_frame().join(milestones[["date", "title"]])
'''),
    md('''
The catalogue's `citation-network` query walks the same relations from one milestone, in both
directions and over any number of steps. For A/RES/77/281, the first UN General Assembly
resolution on the SSE:
'''),
    code('''
network = kg.named_query("citation-network", {"milestone": "id:a-res-77-281"}).to_dataframe()
network["from"] = network["from"].map(compact)
network["to"] = network["to"].map(compact)
assert ((network["from"] == "id:a-res-77-281") & (network["to"] == "id:ilc-110-resolution-sse")).any()
assert ((network["from"] == "id:a-res-79-sse") & (network["relation"] == "followsUp")).any()
network
'''),
    md('''
## What the data shows

- The graph holds 56 milestones from 1998 to 2025: 22 national or subnational laws and decrees,
  18 European texts and 16 international ones. 41 are dated to the day; for 15 the sources give
  only a month or a year, and the tables and the timeline keep that precision instead of
  inventing a day.
- National SSE laws came first (Colombia 1998, South Korea 2007, Spain, Ecuador and Greece 2011,
  France 2014); the international milestones cluster after 2021: 10 of the 16 date from 2021 on.
  2022 is the busiest year, with the ILC resolution on decent work and the SSE and the OECD
  Recommendation adopted on the same day, 10 June 2022.
- 30 links join the milestones (13 follow-ups, 11 citations, 4 implementations, 1 mandate, 1
  "based on"), and no text cites a later one. The European Commission's Social Economy Action
  Plan (COM(2021) 778) and A/RES/77/281 are the texts most built upon.
- A/RES/77/281 (18 April 2023) cites the ILC 2022 resolution and the 2030 Agenda, mandates the
  Secretary-General's report of October 2024, is implemented by the UNTFSSE action plan
  2024–2026, and is followed up by the 2024 resolution of the 79th session, whose symbol and
  plenary date the sources do not give (it is marked low-confidence).

The numbers are those of this release of the data.
'''),
]

# ---------------------------------------------------------------------------------------------
# 03: network analysis
# ---------------------------------------------------------------------------------------------
NETWORK: list[Cell] = [
    md("""
# The organisation network of the SSE

**Question.** Which organisations hold the institutional network of the social and solidarity
economy together: which are the most connected, which broker between groups, what communities
does the network fall into, and what does the neighbourhood of the UN Inter-Agency Task Force on
SSE (UNTFSSE) look like?

`kg.to_networkx()` projects the knowledge graph to a networkx `MultiDiGraph`: the entities are
nodes (organisations, people, milestones, events, places), their literals node attributes, and the
n-ary nodes of the data become edges: a membership is one edge member → organisation carrying its
role, dates and sources. The analysis is plain networkx; the last step exports GraphML for Gephi.
"""),
    code("""
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

import ssegraph
from ssegraph.export import write_graphml

pd.set_option("display.max_colwidth", 70)
kg = ssegraph.load(memory=True)
"""),
    md("""
## The direct ties between organisations

With `types=["organisations"]` the projection keeps the organisations and the edges among them:
memberships, organs of a body (`unit of`), founders and looser links. For centrality the
multigraph is collapsed to a simple undirected graph: who is tied to whom, whatever the direction.
"""),
    code("""
orgs = kg.to_networkx(types=["organisations"])
print(orgs)
print(Counter(label for *_, label in orgs.edges(data="label")).most_common())
assert {data["type"] for _, data in orgs.nodes(data=True)} == {"organisation"}
assert all(data["role"] for *_, data in orgs.edges(data=True) if data["label"] == "observer of")  # from memberships

direct = nx.Graph(orgs)
isolated = [n for n in direct if direct.degree(n) == 0]
largest = direct.subgraph(max(nx.connected_components(direct), key=len)).copy()
print(f"{len(isolated)} organisations have no direct tie to another; "
      f"the largest connected group has {largest.number_of_nodes()} organisations")
"""),
    code("""
def centrality_table(graph: nx.Graph, weight: str | None = None) -> pd.DataFrame:
    \"\"\"Degree and betweenness centrality of every node, with its label, most central first.

    Betweenness counts shortest paths by hops; ``ties`` is the (weighted) number of ties.
    \"\"\"
    table = pd.DataFrame({
        "organisation": nx.get_node_attributes(graph, "label"),
        "degree": nx.degree_centrality(graph),
        "betweenness": nx.betweenness_centrality(graph, weight=None),
        "ties": dict(graph.degree(weight=weight)),
    })
    return table.sort_index().sort_values(["betweenness", "degree"], ascending=False, kind="stable").round(3)


direct_centrality = centrality_table(largest)
assert direct_centrality.index[0] == "id:untfsse"  # the broker of the direct network
assert direct_centrality.loc["id:untfsse", "degree"] == direct_centrality["degree"].max()
direct_centrality.head(8)
"""),
    md("""
The direct network is a star: the Task Force ties UN entities to SSE networks and almost every
shortest path runs through it. Most governments, ministries and legislatures have no direct tie
at all: they appear in the data through the milestones they adopt and the events they host.

## Who works with whom: ties through shared events and milestones

A richer picture links two organisations also when they take part in the same event (organiser,
partner, attendee, represented by a speaker) or the same milestone (adopting it, sponsoring it,
contributing to it). The full projection has every entity; each event or milestone adds a tie
between every pair of its organisations, and a tie's weight counts how many things they share.
"""),
    code("""
full = kg.to_networkx()
print(full, Counter(kind for _, kind in full.nodes(data="type")))
organisations = sorted(n for n, kind in full.nodes(data="type") if kind == "organisation")

weights: Counter = Counter()
for u, v in nx.Graph(orgs).edges():
    if u != v:
        weights[tuple(sorted((u, v)))] += 1  # a direct tie counts once
undirected = full.to_undirected(as_view=True)
for hub, kind in full.nodes(data="type"):
    if kind in ("event", "milestone"):
        involved = sorted(n for n in undirected.neighbors(hub) if full.nodes[n]["type"] == "organisation")
        weights.update(combinations(involved, 2))  # one more shared event or milestone
# Nodes and edges are added in sorted order so that Louvain (seeded) gives the same answer every run.
ties = nx.Graph()
ties.add_nodes_from((n, full.nodes[n]) for n in organisations)
ties.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))

core = ties.subgraph(max(nx.connected_components(ties), key=len)).copy()
print(f"{core.number_of_nodes()} of {ties.number_of_nodes()} organisations in one connected network, "
      f"{core.number_of_edges()} ties")
assert core.number_of_nodes() > largest.number_of_nodes()  # shared activity connects more organisations
"""),
    code("""
shared_centrality = centrality_table(core, weight="weight")
top_degree = shared_centrality.sort_values("degree", ascending=False, kind="stable")
assert "id:ilo" in top_degree.index[:3]
assert "id:untfsse" in shared_centrality.index[:8]
print("most connected:", ", ".join(top_degree["organisation"].head(5)))
shared_centrality.head(10)
"""),
    md("""
## Communities

Louvain community detection (networkx, weighted by shared activity, fixed seed) splits the
connected network into groups that are denser inside than between; modularity says how clearly.
"""),
    code("""
communities = nx.community.louvain_communities(core, weight="weight", seed=42)
communities = sorted(communities, key=len, reverse=True)
modularity = nx.community.modularity(core, communities, weight="weight")
print(f"{len(communities)} communities, modularity {modularity:.2f}")

rows = []
for i, members in enumerate(communities, 1):
    hubs = sorted(members, key=lambda n: (-core.degree(n, weight="weight"), n))
    rows.append({"community": i, "size": len(members),
                 "most connected members": ", ".join(core.nodes[n]["acronym"] or core.nodes[n]["label"]
                                                     for n in hubs[:6])})
community_table = pd.DataFrame(rows).set_index("community")
community_of = {n: i for i, members in enumerate(communities, 1) for n in members}
assert community_of["id:ilo"] == community_of["id:unctad"]  # the UN system sticks together
assert community_of["id:ripess"] == community_of["id:ripess-europe"]  # RIPESS and its European network stay together
community_table
"""),
    md("""
## The ego network of the UNTFSSE

`kg.to_networkx(focus="UNTFSSE", depth=1)` keeps the Task Force and every entity one step away,
whatever its type, with the edges among them. It is computed in the store, so it stays cheap on
a large graph.
"""),
    code("""
ego = kg.to_networkx(focus="UNTFSSE", depth=1)
kinds = Counter(kind for _, kind in ego.nodes(data="type"))
print(ego, dict(kinds))
assert {"id:ilo", "id:unctad", "id:diesis-network"} <= set(ego)
roles = Counter(data["role"] for u, v, data in ego.edges(data=True) if v == "id:untfsse" and data["role"])
print("roles in the Task Force:", dict(roles))
assert roles["member"] >= 10 and roles["observer"] >= 10

colours = {"organisation": "#0072B2", "person": "#CC79A7", "milestone": "#D55E00", "event": "#009E73",
           "place": "#E69F00"}
simple = nx.Graph(ego)
layout = nx.spring_layout(simple, seed=7, k=0.35)
fig, ax = plt.subplots(figsize=(9, 7))
nx.draw_networkx_edges(simple, layout, ax=ax, alpha=0.25)
nx.draw_networkx_nodes(simple, layout, ax=ax, node_size=[40 + 12 * simple.degree(n) for n in simple],
                       node_color=[colours.get(simple.nodes[n]["type"], "grey") for n in simple])
hubs = sorted((n for n in simple if simple.nodes[n]["type"] == "organisation"), key=lambda n: (-simple.degree(n), n))
nx.draw_networkx_labels(simple, layout, ax=ax, font_size=8,
                        labels={n: simple.nodes[n]["acronym"] or simple.nodes[n]["label"][:28] for n in hubs[:12]})
for kind, colour in colours.items():
    if kinds.get(kind):
        ax.scatter([], [], color=colour, label=f"{kind} ({kinds[kind]})")
ax.legend(loc="lower left", fontsize=8)
ax.set_title("The UNTFSSE and everything one step away")
ax.axis("off")
plt.show()
"""),
    md("""
## Export for Gephi

`ssegraph.export.write_graphml` writes the graph with scalar attributes only (`label`, `type`,
dates, `role` …), which Gephi, Cytoscape and yEd read; in Gephi, *File → Open* the file and
colour by `type`. Here the files go to a temporary folder, and are read back to check them.
"""),
    code("""
with tempfile.TemporaryDirectory() as folder:
    for name, graph in (("untfsse-ego.graphml", ego), ("organisations.graphml", orgs)):
        path = Path(folder) / name
        write_graphml(graph, path)
        back = nx.read_graphml(path)
        assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
        assert back.nodes["id:untfsse"]["type"] == "organisation"
        print(f"{name}: {back.number_of_nodes()} nodes, {back.number_of_edges()} edges, "
              f"{path.stat().st_size:,} bytes")
"""),
    code("""
print(f"direct network: {direct.number_of_nodes()} organisations, {direct.number_of_edges()} ties, "
      f"{len(isolated)} isolated; top broker {direct_centrality.iloc[0]['organisation']} "
      f"(betweenness {direct_centrality.iloc[0]['betweenness']})")
print(f"shared-activity network: {core.number_of_nodes()} organisations, {core.number_of_edges()} ties, "
      f"{len(communities)} communities (modularity {modularity:.2f})")
print(f"UNTFSSE ego network: {ego.number_of_nodes()} nodes, {ego.number_of_edges()} edges")
"""),
    md("""
## What the data shows

- Direct ties (memberships, organs, founders, links) join only part of the 136 organisations:
  50 have no direct tie, and the largest connected group is a star of 71 around the UNTFSSE, whose
  betweenness (0.83) dwarfs RIPESS (0.29, the hub of its continental networks) and the UN (0.23,
  through its organs).
- Counting shared events and milestones connects 102 organisations with 701 ties. The ILO is then
  the most connected organisation, ahead of UN DESA, UNCTAD and UNRISD, and the brokers change:
  the Government of Spain has the highest betweenness (0.20), ahead of RIPESS (0.19) and the ILO
  (0.12), because it links the governments that co-led A/RES/77/281 or signed the European
  declarations to the UN and EU bodies.
- Louvain finds six communities (modularity 0.23): the SSE networks and research centres with
  the European bodies (40: EURICSE, CIRIEC, GSEF, RIPESS, Euclid Network, Social Economy Europe
  …), the UN system with the OECD (34: ILO, UNRISD, the UNTFSSE, UNCTAD, UN DESA, UNDP), the
  national governments (17, led by Spain, Luxembourg and Italy), and three local groups: Quebec
  and North America (6), Senegal (3) and Mexico (2).
- The UNTFSSE's ego network has 59 entities: 31 organisations (its members and observers, with
  their roles on the edges), 17 events, 7 milestones and 4 people.

The numbers are those of this release of the data.
"""),
]

NOTEBOOKS: dict[str, list[Cell]] = {
    "01-tour.ipynb": TOUR,
    "02-policy-timeline.ipynb": POLICY,
    "03-network-analysis.ipynb": NETWORK,
}


def build(name: str, cells: list[Cell]) -> nbformat.NotebookNode:
    """A notebook without outputs and with stable cell ids, so regenerating it changes nothing."""
    nb = new_notebook()
    stem = name.split(".")[0]
    for i, (kind, source) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell["id"] = f"{stem}-{i:02d}"
        nb.cells.append(cell)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nbformat.validate(nb)
    return nb


def render(name: str) -> str:
    return nbformat.writes(build(name, NOTEBOOKS[name])) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Exit 1 if a notebook differs from its cells here.")
    args = parser.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        path = HERE / name
        text = render(name)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale: {', '.join(stale)}: run python notebooks/make_notebooks.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
