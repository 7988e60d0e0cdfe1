"""Tests of `trainkit.parsing`."""
