"""Tests of `trainkit.commands`."""
