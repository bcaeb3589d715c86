"""The mathematics of scoring, on plain numbers: the formula language of formula criteria, and
AHP weights with their consistency ratio; and the names of the scoring, weighting and selection
methods, which the command line offers as its choices.

Validation checks a scoring model with these (does the formula parse, are the judgements
consistent) before analysis scores with them, so they sit below both stages: they import only
pfm's shared modules (model, errors).
"""

from typing import Literal

Method = Literal["weighted", "wsjf", "rice", "npv", "formula"]
METHODS: tuple[Method, ...] = ("weighted", "wsjf", "rice", "npv", "formula")
WeightsMethod = Literal["eigenvector", "geometric-mean"]  # how AHP weights come from pairwise comparisons
WEIGHTS_METHODS: tuple[WeightsMethod, ...] = ("eigenvector", "geometric-mean")
SelectMethod = Literal["optimal", "greedy"]  # the exact selection, or the greedy baseline beside it
SELECT_METHODS: tuple[SelectMethod, ...] = ("optimal", "greedy")
