"""Benchmarks: the planner and the window, outside the shipped package."""
