"""The web app: Creator Studio and Ads Manager in the browser, server-rendered with Jinja2, in English
and French, every asset served from this package (no CDN).

An entrypoint like `api`: routes open a unit of work, call the domain services, commit, render.
Business rules stay in the domains; this package only turns forms into the same schemas the APIs
use and results into pages. May import: api.context, every domain, foundation.
"""
