"""Tests of `trainkit.writers.pdf`."""
