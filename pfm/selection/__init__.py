"""Choosing the portfolio: the optimisation model given to HiGHS (`program`, held by `milp`), the
selection and why each item is out (`explain`), solving it (`optimise`, with `pfm.select`), the check of
every answer against its constraints, the greedy baseline, the efficient frontier and scenario comparison.

Imports the earlier stages (io, validation, analysis) and the shared modules; never review or reporting.
"""
