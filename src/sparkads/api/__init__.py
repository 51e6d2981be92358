"""HTTP entrypoints: the TikTok v1.3 compatible API (`open_api`), the native API (`native`) and the
pages served to people (`pages`). Entrypoints own the transaction: each handler opens a unit of
work, calls services, commits.

May import: every domain and the foundation.
"""
