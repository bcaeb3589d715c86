"""What a Portfolio says: finance, scores by every method, ranking and its stability, the
dependency graph, its critical path and the network results built on it, capacity, the roadmap, scenario
overlays, and earned value and earned schedule at a status date.

Imports the shared modules, `pfm.methods`, `pfm.io` and `pfm.validation`; never selection,
review or reporting.
"""
