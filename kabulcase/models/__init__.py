"""Tradeoff models: small, pure, documented functions that learners drive.

One module per model; every assumption has a name, a default, a range and a reason.
"""
