"""Simulation: the sandbox world. A synthetic audience reproducible from a seed (`population.py`),
how its viewers react to sponsored posts (`behaviour.py`), and the traffic simulator and forecasts
built on them, which drive the real decision and event paths.

May import: delivery, campaigns (catalog), foundation.
"""
