"""What a Portfolio says: finance, scores by every method, ranking and its stability, the
dependency graph and critical path, capacity, the roadmap, scenario overlays, and earned value and
earned schedule at a status date.

Imports the shared modules, `pfm.methods`, `pfm.io` and `pfm.validation`; never selection,
review or reporting.
"""
