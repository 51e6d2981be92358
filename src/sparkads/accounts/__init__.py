"""Accounts: business centers, advertisers, creators, and the scoped access tokens that act for them.

May import: foundation (config, errors, clock, ids, money, db).
"""
