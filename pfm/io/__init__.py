"""Files in and out: which files make a portfolio, reading YAML fast or carefully, source positions,
git revisions, writing files whole, and scaffolding new portfolios and entities.

The first stage: it imports only pfm's shared modules (model, periods, errors, findings, defaults,
parallel, resources), never a later stage.
"""
