"""Audiences: custom (hashed identifiers), engagement and lookalike audiences an ad group can include
or exclude. This first cut holds the catalogue of audiences that targeting validates against; building
them (file upload, rules, lookalikes) comes with the audiences issue.

May import: accounts, foundation.
"""
