"""Audiences: custom (files of hashed identifiers), engagement (rules over events) and lookalike
audiences an ad group can include or exclude, with their members. Pure cores: `hashing.py` (how a
viewer's identifier is hashed, reading files), `lookalike.py` (vector similarity, NumPy) and
`rules.py` (engagement rules). `membership.py` loads members for the delivery snapshot. Building
members from the population and events happens above, in `sparkads.marketplace.audience_builder`.

May import: accounts, foundation.
"""
