"""Reporting: hourly rollups per ad built idempotently from events and the spend ledger, the KPI
definitions, the v1.3 integrated report, and recommendations.

May import: traffic, events, delivery, campaigns, authorizations, posts, accounts, foundation.
"""
