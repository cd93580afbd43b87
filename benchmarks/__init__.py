"""Benchmarks of peak_trade side by side with the tools users would pick instead (issue 6)."""
