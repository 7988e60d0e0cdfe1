"""Tests of `trainkit.assembly`."""
