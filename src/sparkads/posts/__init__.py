"""Posts: what creators publish (videos and carousels, duets, stitches, stories), their visibility,
counters (organic and paid kept apart) and history. Rules about which posts can be sponsored live in
`rules.py` (pure).

May import: accounts, foundation.
"""
