#!/usr/bin/env bash
# The main job on the bundled data: install, build the graph, validate it, summarise it, answer
# one real question, and write the files an analyst opens (GraphML for Gephi, an HTML view).
source "$(dirname "$0")/_venv.sh"
.venv/bin/python -m pip install --quiet .
mkdir -p out
echo "== validate =="; .venv/bin/ssegraph validate
echo "== stats ==";    .venv/bin/ssegraph stats
echo "== Who are the members and observers of the UNTFSSE, and since when? =="
.venv/bin/ssegraph query --name untfsse-members
.venv/bin/ssegraph export graphml -o out/ssegraph.graphml
.venv/bin/ssegraph view -o out/ssegraph.html
.venv/bin/ssegraph timeline -o out/timeline.html
.venv/bin/ssegraph site -o out/site --force
echo "== done: open out/site/index.html or out/ssegraph.html in a browser, or out/ssegraph.graphml in Gephi =="
