"""What the analyses ask for unless told otherwise, shared by the commands and the board pack.

The board pack must print the figures the commands print, so both take their defaults from here.
This module imports nothing: the command line reads it on every start.
"""

from __future__ import annotations

ENTRY_PRICES = 20  # items left out that `pfm select` prices, the most valuable first
SELECT_TIME_LIMIT = 10.0  # seconds for a whole selection: its optimum, entry prices and the mandates' cost
# Unless told otherwise, the extras (entry prices and the mandates' cost) take as long again as the optimum took,
# and at least this: the answer comes in about twice the time of the optimum, the extras as intervals where unproven.
EXTRAS_TIME = 0.5
FRONTIER_POINTS = 11
FRONTIER_GAP = 1e-3  # a frontier is a picture: each point proven within 0.1 % is plenty
FRONTIER_TIME_LIMIT = 10.0  # seconds per point
COMPARE_GAP = 1e-3  # scenarios side by side are a picture too: each selection proven within 0.1 %
# The board pack's page on moving starts is proven within 0.01 %, as `pfm select --schedule` is, but settles for
# 1 % after a second: a small portfolio gets the best schedule, one of 1,000 items its answer in seconds
PACK_SCHEDULE_SETTLE = (1.0, 0.01)
# `pfm rank --sensitivity`: the top-N shares have a standard error of at most 0.5 / sqrt(draws), 0.05 percentage
# points at a million draws; more only costs time (about ten minutes at 10,000 items).
SENSITIVITY_MAX_DRAWS = 1_000_000
# Rows of each table in the board pack that lists items (the ranking, the business cases, the items moved...):
# the first by the table's own order, then a line saying how many more and which command lists them all. Totals
# and counts still cover every item. 50 lists the whole of a portfolio the size of the example's.
PACK_ROWS = 50
