"""Events: what a feed reports after a decision (impressions, views, clicks, likes, comments, shares,
follows, profile visits, conversions), made durable before they are acknowledged, deduplicated per
decision and type, billed by bid type into the spend ledger, attributed (conversions), and counted
on the original post and creator (R2), paid apart from organic.

May import: delivery, campaigns, posts, accounts, foundation.
"""
