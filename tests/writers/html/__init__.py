"""Tests of `trainkit.writers.html`."""
