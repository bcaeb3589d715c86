"""Change over time: two revisions of a portfolio compared (`diff` reads them from git, folders or
snapshots; `comparison`, `entities` and `rank_changes` compare them), and the history of the
portfolio's figures across commits.

Imports every earlier stage (io, validation, analysis, selection); never reporting.
"""
