"""Benchmarks at national scale: a data generator and benchmarks against floors (docs/performance.md)."""
