"""The mathematics of scoring, on plain numbers: the formula language of formula criteria, and
AHP weights with their consistency ratio.

Validation checks a scoring model with these (does the formula parse, are the judgements
consistent) before analysis scores with them, so they sit below both stages: they import only
pfm's shared modules (model, errors).
"""
