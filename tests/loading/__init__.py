"""Tests of `trainkit.loading`."""
