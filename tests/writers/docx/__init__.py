"""Tests of `trainkit.writers.docx`."""
