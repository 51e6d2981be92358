"""sparkads: an open Spark Ads engine.

Creators authorize their posts for ads, advertisers sponsor them through a TikTok v1.3 compatible
API, a feed asks which sponsored post to show. See docs/architecture.md for the layers.
"""

__version__ = "0.1.0"
