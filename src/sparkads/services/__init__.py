"""Application services: one module per use-case family, called by every entrypoint (TikTok API,
native API, web app, CLI) and by the simulator, so each use case is wired once.

May import: every domain and the foundation; never an entrypoint or `simulation`.
"""
