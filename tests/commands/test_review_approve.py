"""``trainkit review approve``: status, reviewers and date edited in place, nothing else."""

from __future__ import annotations

import datetime

import pytest

from conftest import LAW, ProjectDir, module_text
from trainkit.commands.review_approve import approve, yaml_scalar
from trainkit.errors import UsageError

DAY = datetime.date(2026, 12, 4)


def test_approve_edits_only_the_review_fields(project: ProjectDir) -> None:
    before = project.read(LAW)
    approval = approve(project.root, "law", "Ana Reviewer", DAY)
    after = project.read(LAW)
    assert approval.path == LAW
    assert "status: approved\n" in after and "status: draft" not in after
    assert "reviewers: [Ana Reviewer]\nlast_reviewed: 2026-12-04\n---\n" in after
    untouched = [line for line in before.split("\n") if not line.startswith("status:")]
    assert all(line in after.split("\n") for line in untouched)
    assert project.codes() == []


def test_approve_keeps_comments_quotes_and_block_lists(project: ProjectDir) -> None:
    project.write(LAW, module_text(
        status='"in-review"   # waiting for legal',
        extra="reviewers:\n  - Tom Author\nlast_reviewed: 2025-01-02  # first pass\n"))
    approve(project.root, "law", "Ana: legal", DAY)
    text = project.read(LAW)
    assert "status: approved   # waiting for legal\n" in text
    assert 'reviewers:\n  - Tom Author\n  - "Ana: legal"\n' in text
    assert "last_reviewed: 2026-12-04  # first pass\n" in text
    assert project.codes() == []


def test_approve_adds_to_a_flow_list_once(project: ProjectDir) -> None:
    project.write(LAW, module_text(extra="reviewers: [Tom Author]\n"))
    approve(project.root, "law", "Ana Reviewer", DAY)
    approve(project.root, "law", "Ana Reviewer", DAY)
    assert "reviewers: [Tom Author, Ana Reviewer]\n" in project.read(LAW)


def test_approve_an_unknown_module_is_a_usage_error(project: ProjectDir) -> None:
    with pytest.raises(UsageError, match="unknown module `lawz`; did you mean `law`"):
        approve(project.root, "lawz", "Ana", DAY)


def test_names_are_quoted_when_yaml_needs_it() -> None:
    assert yaml_scalar("Ana Reviewer") == "Ana Reviewer"
    assert yaml_scalar("O'Neil") == "O'Neil"
    assert yaml_scalar("no") == '"no"' and yaml_scalar("#1") == '"#1"'
