"""Benchmarks and reports that print figures (run with `make bench`)."""
