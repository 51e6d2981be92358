"""An ad account's creative assets besides its Spark posts and uploaded videos: the images and
sounds of the posts in its library (derived, nothing stored), its CTA portfolios, and its pixels
(conversion sources, their events and the events they received)."""
