"""Checking loaded documents: each against its kind's JSON Schema, then the rules across files
(references, identity, dependencies, gates, the scoring model), and building the typed Portfolio.

Imports the shared modules and `pfm.io`; nothing from analysis, selection, review or reporting.
"""
