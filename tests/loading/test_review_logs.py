"""Review logs under ``reviews/`` are validated with the project, each problem located."""

from __future__ import annotations

from conftest import ProjectDir

GOOD = """---
imported: 2026-12-04T10:00:00
files: [reviewed.docx]
region: north
edition: trainer
reviewers: [A. Reviewer]
modules:
  - path: modules/02-law.md
    comments: 2
    open_comments: 1
    changes: 3
---

# Review of reviewed.docx
"""


def test_a_log_written_as_review_import_writes_it_is_clean(project: ProjectDir) -> None:
    project.write("reviews/2026-12-04-reviewed.md", GOOD)
    assert project.validate(strict=True) == []


def test_a_misspelt_key_in_a_log_is_located(project: ProjectDir) -> None:
    project.write("reviews/2026-12-04-reviewed.md", GOOD.replace("reviewers:", "reviewer:"))
    found = [(d.path, d.line, d.column, d.code, d.message) for d in project.validate()]
    assert found == [("reviews/2026-12-04-reviewed.md", 6, 1, "TK201",
                      "unknown key `reviewer`")]


def test_a_negative_count_is_located(project: ProjectDir) -> None:
    project.write("reviews/2026-12-04-reviewed.md",
                  GOOD.replace("open_comments: 1", "open_comments: -1"))
    found = [(d.path, d.line, d.code) for d in project.validate()]
    assert found == [("reviews/2026-12-04-reviewed.md", 10, "TK203")]


def test_a_file_without_front_matter_is_a_warning_not_read(project: ProjectDir) -> None:
    project.write("reviews/notes.md", "Just notes.\n")
    found = [(d.path, d.line, d.column, d.code, d.message) for d in project.validate()]
    assert found == [("reviews/notes.md", 1, 1, "TK314",
                      "`reviews/notes.md` is not a review log (it has no front-matter), "
                      "so it is not read")]
    assert project.validation().ok
