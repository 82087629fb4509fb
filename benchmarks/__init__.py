"""Benchmarks outside the shipped package: the window (``benchmarks.window``)."""
