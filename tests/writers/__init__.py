"""Tests of `trainkit.writers`."""
