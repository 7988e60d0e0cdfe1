"""Tests of `trainkit.cli`."""
