"""Delivery: which sponsored post a feed shows a viewer. A snapshot of live ads is compiled from the
database (`compile.py`) into in-memory indexes; `decide()` (`engine.py`) runs targeting, pacing,
frequency caps and the auction on it without touching the database. Hot shared state (spend,
exposures, pacing) sits behind the `Counters` interface (`counters.py`).

`prepare()` also lays each snapshot out as NumPy columns (`columns.py`), on which requests with
many candidates are checked and scored at once (`scoring.py`).

Pure modules (no database, no wall clock, no global random): targeting, auction, pacing, tokens,
columns, scoring, engine. May import: campaigns, authorizations, posts, accounts, foundation.
"""
