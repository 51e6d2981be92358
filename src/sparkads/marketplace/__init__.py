"""Marketplace: creator discovery (R18, R19) and the audiences built from what sparkads knows about
viewers. Creators opt in with a profile; their audience and engagement are computed from events,
post counters and the viewer profiles built from the traffic (`creator_stats.py`); advertisers search and rank them
by expected engaged views per euro (`ranking.py`, pure) and invite them to collaborations that end
with a Spark code applied to the brand's library (`service.py`). `viewers.py` is the directory of
known viewers (traffic profiles + events) that `audience_builder.py` (customer files, engagement rules,
lookalikes) and `reach.py` (ad group audience size estimates) also read.

May import: audiences, campaigns (catalogue, ad groups), posts, accounts, authorizations, events,
traffic, reporting, foundation.
"""
