"""Authorizations: Spark codes a creator issues on a post (R9), the creative library an advertiser
fills by applying them (R10), Business Center and own-account access (R6, R11), and the identities
these produce (AUTH_CODE, TT_USER, BC_AUTH_TT).

May import: posts, accounts, foundation. `codes.py` and `throttle.py` are pure.
"""
