"""Campaigns: campaigns, ad groups (budget, bidding, targeting, schedule) and Spark ads, with the
rules of R4, R13 and R14 in pure modules (`rules.py`, `targeting.py`, `status.py`) and the
targeting catalogue in `catalog.py`.

May import: authorizations, posts, audiences, accounts, foundation.
"""
