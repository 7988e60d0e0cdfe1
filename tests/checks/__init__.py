"""Tests of `trainkit.checks`."""
