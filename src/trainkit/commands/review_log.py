"""Review logs: ``reviews/<date>-<name>.md``, one per ``review import``.

Each log is Markdown with a YAML front-matter (``schemas/review_log.py``, validated when
read back): when the import ran, the files, the reviewers and, per module file, the
number of comments, open comments and tracked changes. The body lists every item as
``path:line:column``, what the reviewer asked, and how sure the location is.
``trainkit list`` reads the front-matter of the newest log mentioning each module.
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import yaml

from trainkit.commands.review_import import ImportResult, describe
from trainkit.files import write_text_atomic
from trainkit.loading.module_file import split_front_matter
from trainkit.loading.review_logs import REVIEWS_DIR
from trainkit.loading.strict_yaml import load
from trainkit.schemas.review_log import LoggedModule, ReviewLog



def build_log(result: ImportResult, now: datetime.datetime) -> ReviewLog:
    comments: Counter[str] = Counter()
    open_comments: Counter[str] = Counter()
    changes: Counter[str] = Counter()
    for item in result.items:
        if item.kind == "comment":
            comments[item.path] += 1
            open_comments[item.path] += not item.resolved
        elif item.kind != "reply":
            changes[item.path] += 1
    paths = sorted({item.path for item in result.items})
    export = next(iter(result.exports.values()), {})
    return ReviewLog(
        imported=now, files=result.files, region=export.get("region"),
        edition=export.get("edition"), language=export.get("language"),
        reviewers=sorted({item.author for item in result.items if item.author}),
        modules=[LoggedModule(path=p, comments=comments[p], open_comments=open_comments[p],
                              changes=changes[p]) for p in paths])


def log_text(log: ReviewLog, result: ImportResult) -> str:
    data = log.model_dump(mode="json")
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    lines = ["---", front.rstrip("\n"), "---", "", f"# Review of {', '.join(log.files)}", ""]
    for item in result.items:
        lines.append(f"- `{item.where()}` {describe(item)} (location: {item.confidence})")
    if not result.items:
        lines.append("No comments or tracked changes.")
    return "\n".join(lines) + "\n"


def write_log(root: Path, result: ImportResult,
              now: datetime.datetime | None = None) -> Path:
    """Write the log of ``result`` to a new file in ``reviews/``; its path."""
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    log = build_log(result, now)
    folder = root / REVIEWS_DIR
    folder.mkdir(exist_ok=True)
    stem = f"{now.date().isoformat()}-{Path(result.files[0]).stem}"
    target = folder / f"{stem}.md"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{stem}-{counter}.md"
    write_text_atomic(target, log_text(log, result))
    return target


def read_log(path: Path) -> ReviewLog | None:
    """The front-matter of a log, or None when it is not a valid log."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    split = split_front_matter(text, path.name)
    if not isinstance(split, tuple):
        return None
    loaded = load(split[0])
    if loaded.failed or loaded.problems:
        return None
    try:
        return ReviewLog.model_validate(loaded.value)
    except ValueError:
        return None


def open_comments(root: Path) -> dict[str, int]:
    """Module path -> open comments, from the newest log that reviewed it."""
    newest: dict[str, tuple[datetime.datetime, int]] = {}
    folder = root / REVIEWS_DIR
    if not folder.is_dir():
        return {}
    for path in sorted(folder.glob("*.md")):
        log = read_log(path)
        if log is None:
            continue
        for module in log.modules:
            seen = newest.get(module.path)
            if seen is None or log.imported >= seen[0]:
                newest[module.path] = (log.imported, module.open_comments)
    return {path: count for path, (_, count) in newest.items()}
