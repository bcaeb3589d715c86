"""Change over time: two revisions of a portfolio compared, the rank changes between them, and
the history of the portfolio's figures across commits.

Imports every earlier stage (io, validation, analysis, selection); never reporting.
"""
