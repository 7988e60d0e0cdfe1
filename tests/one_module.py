"""A manual of one module, on A4, with one region and a trainer edition: for the tests
that need to know where things land on a page (print marks, layout cases, preflight)."""

from __future__ import annotations

from pathlib import Path


def one_module_project(root: Path, body: str, *, module_id: str = "case",
                       title: str = "Layout cases", manual_title: str | None = None,
                       part: str | None = None,
                       summary: str = "One situation at a page foot.",
                       duration: str = "30m") -> Path:
    """Write the project at ``root``: ``modules/01-<module_id>.md`` (titled ``title``)
    holds ``body`` after its front-matter; the manual is titled ``manual_title`` (else
    ``title``); ``part`` puts the module in a part of that title."""
    path = f"modules/01-{module_id}.md"
    entry = (f"  - part: {part}\n    modules:\n      - {path}\n" if part
             else f"  - {path}\n")
    manifest = (f"title: {manual_title or title}\nversion: \"1.0\"\nlanguage: en\nmodules:\n{entry}"
                "audiences:\n  police: Police officers\n"
                "editions:\n  trainer:\n    title: Trainer's manual\n"
                "output:\n  region: north\n  edition: trainer\n  page_size: A4\n")
    front = (f"---\nid: {module_id}\ntitle: {title}\nversion: \"1.0\"\nstatus: approved\n"
             f"summary: {summary}\nduration: {duration}\naudiences: [police]\n"
             "learning_objectives: [Check the layout.]\n---\n\n")
    files = {"trainkit.yaml": manifest, "regions/north.yaml": "name: North\nlanguages: [en]\n",
             path: front + body}
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root
