"""Write a synthetic, valid trainkit project for benchmarks.

The project has ``modules`` module files of about 2,500 words each, grouped into parts of
ten in ``trainkit.yaml``, and ``regions`` region profiles with variables. Every module uses
the whole format once: full front-matter (prerequisites point to earlier modules, legal
references to instruments the manifest defines), ``##``/``###`` headings, paragraphs,
bullet and numbered lists, a GFM table, a footnote, a link to the previous module, the
named blocks (``case-study``, ``exercise``, ``trainer-note``, ``key-points``, three
``question``/``answer`` pairs), an ``only region=`` block and ``{{ region.* }}`` variables.

The prose is pseudo-random but deterministic: the same ``seed`` gives the same files, so
runs can be compared. The result passes ``trainkit validate --strict`` with no findings.

Command line::

    python benchmarks/generate.py OUT_DIR --modules 100 [--seed 1] [--regions 2]

Library (other benchmarks)::

    from generate import generate
    generate(Path("benchmarks/out/m100"), 100)
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

#: Written into every generated project, so ``generate`` only ever replaces its own output.
MARKER = ".trainkit-benchmark-project"

WORDS_PER_MODULE = 2500
PART_SIZE = 10

_WORDS = (
    "investigation prosecution evidence migrant smuggler network border route vessel "
    "crossing officer prosecutor judge court witness interview testimony document passport "
    "visa permit checkpoint port airport harbour coast desert vehicle lorry boat payment "
    "transfer account broker recruiter driver guide safe house transit destination origin "
    "protection victim rights assistance shelter interpreter lawyer consular authority "
    "cooperation request mutual legal assistance extradition warrant seizure confiscation "
    "asset proceeds financial analysis intelligence surveillance undercover operation "
    "joint team agency ministry police customs immigration coast guard navy prosecutor "
    "office case file offence element intent benefit material profit danger life safety "
    "dignity child family group organised crime corruption forgery fraud identity "
    "statement record phone message data extraction forensic chain custody exhibit "
    "hearing trial verdict sentence appeal penalty aggravating circumstance mitigating "
    "factor jurisdiction territory flag state rescue sea distress obligation principle "
    "standard practice procedure guideline checklist training module participant trainer "
    "session discussion example scenario role exercise question answer point lesson "
    "the a an of to in on for with by from at as and or but that which when where while "
    "each every many several most some other new early late careful clear strong weak "
    "local national regional international cross-border informal formal direct indirect "
    "collect verify assess compare identify explain plan apply review protect prevent "
    "support request share record report question confirm document trace follow secure "
    "often usually rarely quickly slowly closely first then later finally together"
).split()

_TITLE_WORDS = (
    "Evidence Routes Networks Cooperation Protection Interviews Finance Borders Sea "
    "Land Air Documents Victims Witnesses Courts Prosecution Intelligence Assets "
    "Jurisdiction Prevention Corruption Forgery Rescue Identification Planning Analysis"
).split()

_AUDIENCES = {
    "law-enforcement": "Law enforcement officers",
    "prosecutors": "Prosecutors",
    "judges": "Judges",
    "border-guards": "Border guards",
    "financial-investigators": "Financial investigators",
}

_INSTRUMENTS = {
    "untoc": "United Nations Convention against Transnational Organized Crime (2000)",
    "smuggling-protocol": "Protocol against the Smuggling of Migrants by Land, Sea and Air (2000)",
    "trafficking-protocol":
        "Protocol to Prevent, Suppress and Punish Trafficking in Persons (2000)",
    "refugee-convention": "Convention relating to the Status of Refugees (1951)",
    "unclos": "United Nations Convention on the Law of the Sea (1982)",
    "solas": "International Convention for the Safety of Life at Sea (1974)",
    "uncac": "United Nations Convention against Corruption (2003)",
    "crc": "Convention on the Rights of the Child (1989)",
}

_REGION_NAMES = ("North Coast", "South Plains", "East Highlands", "West Islands",
                 "Central Valley", "Far North", "Great Lakes", "Desert Belt")


class _Prose:
    """Deterministic pseudo-random text from the word list."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def phrase(self, low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        return " ".join(self.rng.choice(_WORDS) for _ in range(count))

    def sentence(self, low: int = 8, high: int = 20) -> str:
        text = self.phrase(low, high)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int = 5) -> str:
        """A paragraph wrapped at about 88 characters, as authors write them."""
        text = " ".join(self.sentence() for _ in range(sentences))
        return _wrap(text)

    def title(self, words: int = 3) -> str:
        chosen = [self.rng.choice(_TITLE_WORDS) for _ in range(words)]
        return " ".join([chosen[0], *(w.lower() for w in chosen[1:])])


def _wrap(text: str, width: int = 88) -> str:
    lines: list[str] = []
    current: list[str] = []
    length = 0
    for word in text.split():
        if current and length + 1 + len(word) > width:
            lines.append(" ".join(current))
            current, length = [], 0
        length += len(word) + (1 if current else 0)
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines)


def module_id(index: int) -> str:
    """The id of module ``index`` (1-based): ``module-0001``."""
    return f"module-{index:04d}"


def module_file(index: int) -> str:
    """The project-relative path of module ``index``."""
    return f"modules/{module_id(index)}.md"


def region_ids(regions: int) -> list[str]:
    """The ids of the generated regions: ``region-1``, ``region-2``..."""
    return [f"region-{number}" for number in range(1, regions + 1)]


def _front_matter(index: int, rng: random.Random, prose: _Prose) -> str:
    audiences = sorted(rng.sample(sorted(_AUDIENCES), rng.randint(1, 3)))
    earlier = [module_id(i) for i in range(max(1, index - 5), index)]
    prerequisites = sorted(rng.sample(earlier, min(len(earlier), 2)))
    instruments = sorted(rng.sample(sorted(_INSTRUMENTS), 2))
    hours, quarter = rng.randint(1, 3), rng.choice((0, 15, 30, 45))
    duration = f"{hours}h{quarter:02d}m" if quarter else f"{hours}h"
    lines = [
        "---",
        f"id: {module_id(index)}",
        f"title: {prose.title(4)} {index}",
        f'version: "1.{rng.randint(0, 9)}"',
        "status: approved",
        "summary: >-",
        f"  {prose.sentence(12, 20)}",
        f"duration: {duration}",
        f"audiences: [{', '.join(audiences)}]",
        "learning_objectives:",
        *(f"  - {prose.sentence(8, 14)}" for _ in range(3)),
        f"prerequisites: [{', '.join(prerequisites)}]",
        f"keywords: [{', '.join(prose.phrase(1, 2) for _ in range(4))}]",
        "legal_references:",
    ]
    for instrument in instruments:
        lines += [f"  - instrument: {instrument}", f'    article: "{rng.randint(1, 40)}"']
    lines += [
        "authors: [Benchmark author]",
        "reviewers: [Benchmark reviewer]",
        f"last_reviewed: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "---",
    ]
    return "\n".join(lines)


def _bullets(prose: _Prose, count: int) -> str:
    return "\n".join(f"- {prose.sentence(6, 14)}" for _ in range(count))


def _numbered(prose: _Prose, count: int) -> str:
    return "\n".join(f"{n}. {prose.sentence(6, 14)}" for n in range(1, count + 1))


def _table(prose: _Prose, rng: random.Random) -> str:
    rows = ["| Stage | Evidence | Responsible |", "|:---|:---|---:|"]
    for _ in range(rng.randint(4, 6)):
        rows.append(f"| {prose.phrase(1, 3)} | {prose.phrase(4, 10)} | {prose.phrase(1, 2)} |")
    return "\n".join(rows)


def _body(index: int, rng: random.Random, prose: _Prose, regions: list[str]) -> str:
    parts: list[str] = []
    region = rng.choice(regions)
    previous = (f"Read [the previous module]({module_id(index - 1)}.md) first."
                if index > 1 else "This module opens the manual.")

    parts += [f"## {prose.title()}", prose.paragraph() + "[^1]",
              f"This edition is prepared for {{{{ region.name }}}}. {previous}",
              prose.paragraph(4)]
    parts += [f"### {prose.title()}", prose.paragraph(), _bullets(prose, 5)]
    parts += [f"### {prose.title()}", prose.paragraph(4), _numbered(prose, 5)]
    parts += [f"## {prose.title()}", prose.paragraph(), _table(prose, rng), prose.paragraph(3)]
    parts += [f"::: case-study {prose.title()} (fictional)", prose.paragraph(6),
              prose.paragraph(4), ":::"]
    parts += [f"::: exercise {prose.title()}", prose.paragraph(4), _numbered(prose, 3), ":::"]
    parts += ["::: trainer-note", prose.paragraph(3), ":::"]
    parts += [f"::: only region={region}",
              f"In {{{{ region.name }}}}, cooperation goes through "
              f"{{{{ region.police_cooperation }}}}. {prose.sentence()}",
              ":::"]

    tail = [f"## {prose.title()}", prose.paragraph(3), "::: key-points", _bullets(prose, 4),
            ":::"]
    for _ in range(3):
        tail += ["::: question", prose.sentence(10, 18)[:-1] + "?", ":::",
                 "::: answer", prose.paragraph(2), ":::"]
    tail.append(f"[^1]: {prose.sentence()}")

    written = sum(len(part.split()) for part in (*parts, *tail))
    filler = 0
    while written < WORDS_PER_MODULE:
        filler += 1
        section = [f"## {prose.title()} {filler}", prose.paragraph()]
        if filler % 2:
            section += [f"### {prose.title()}", prose.paragraph(4)]
        if filler % 3 == 0:
            section.append(_bullets(prose, 4))
        written += sum(len(part.split()) for part in section)
        parts += section
    parts += tail
    return "\n\n".join(parts)


def module_text(index: int, seed: int = 1, regions: int = 2) -> str:
    """The full text (front-matter and body) of module ``index``, 1-based."""
    rng = random.Random(f"trainkit-benchmark:{seed}:{index}")
    front = _front_matter(index, rng, _Prose(rng))
    prose = _Prose(rng)
    body = _body(index, rng, prose, region_ids(regions))
    return f"{front}\n\n{body}\n"


def manifest_text(modules: int, regions: int) -> str:
    """``trainkit.yaml`` listing the modules in parts of ten."""
    lines = [
        "# Generated by benchmarks/generate.py; do not edit.",
        f"title: Synthetic benchmark manual of {modules} modules",
        "subtitle: Generated text for performance measurements",
        "publisher: trainkit benchmarks",
        'version: "1.0"',
        "language: en",
        f"slug: benchmark-{modules}",
        "modules:",
    ]
    for start in range(1, modules + 1, PART_SIZE):
        end = min(start + PART_SIZE - 1, modules)
        lines += [f"  - part: Part {(start - 1) // PART_SIZE + 1}, modules {start} to {end}",
                  "    modules:"]
        lines += [f"      - {module_file(i)}" for i in range(start, end + 1)]
    lines.append("audiences:")
    lines += [f"  {key}: {label}" for key, label in _AUDIENCES.items()]
    lines.append("instruments:")
    lines += [f"  {key}: {label}" for key, label in _INSTRUMENTS.items()]
    lines += [
        "editions:",
        "  trainer:",
        "    title: Trainer's manual",
        "  participant:",
        "    title: Participant's manual",
        "    hide: [trainer-note, answer]",
        "variables:",
        "  police_cooperation: INTERPOL National Central Bureaus",
        "  sea_area: the sea areas off your coast",
        "output:",
        f"  region: {region_ids(regions)[0]}",
        "  edition: trainer",
        "  formats: [pdf]",
        "  page_size: A4",
        "  out_dir: dist",
    ]
    return "\n".join(lines) + "\n"


def region_text(number: int) -> str:
    """``regions/region-<number>.yaml``, with its own variables."""
    name = _REGION_NAMES[(number - 1) % len(_REGION_NAMES)]
    if number > len(_REGION_NAMES):
        name += f" {number}"
    return "\n".join([
        f"name: {name}",
        f"countries: [Country {number}A, Country {number}B, Country {number}C]",
        "languages: [en]",
        "variables:",
        f"  police_cooperation: the {name} police chiefs organisation and INTERPOL",
        f"  sea_area: the waters of {name}",
    ]) + "\n"


def _prepare(out_dir: Path) -> None:
    """Make ``out_dir`` empty, refusing to delete anything this script did not write."""
    if out_dir.exists():
        if not out_dir.is_dir():
            raise FileExistsError(f"{out_dir} exists and is not a folder")
        if any(out_dir.iterdir()):
            if not (out_dir / MARKER).is_file():
                raise FileExistsError(
                    f"{out_dir} is not empty and was not made by this script; "
                    "choose another folder")
            shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def generate(out_dir: Path, modules: int, seed: int = 1, regions: int = 2) -> None:
    """Write a project of ``modules`` modules and ``regions`` regions into ``out_dir``.

    ``out_dir`` must be missing, empty, or an earlier output of this function (which is
    replaced entirely, cache included).
    """
    if modules < 1:
        raise ValueError("modules must be at least 1")
    if regions < 1:
        raise ValueError("regions must be at least 1")
    out_dir = Path(out_dir)
    _prepare(out_dir)
    (out_dir / MARKER).write_text(
        f"modules={modules} seed={seed} regions={regions}\n", encoding="utf-8")
    (out_dir / "trainkit.yaml").write_text(manifest_text(modules, regions), encoding="utf-8")
    (out_dir / "regions").mkdir()
    for number in range(1, regions + 1):
        (out_dir / "regions" / f"region-{number}.yaml").write_text(
            region_text(number), encoding="utf-8")
    (out_dir / "modules").mkdir()
    for index in range(1, modules + 1):
        (out_dir / module_file(index)).write_text(
            module_text(index, seed, regions), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description="Write a synthetic trainkit project for benchmarks.")
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path,
                        help="folder to write (missing, empty or an earlier output)")
    parser.add_argument("--modules", type=int, required=True, help="number of modules")
    parser.add_argument("--seed", type=int, default=1, help="seed of the prose (default 1)")
    parser.add_argument("--regions", type=int, default=2,
                        help="number of region profiles (default 2)")
    args = parser.parse_args(argv)
    try:
        generate(args.out_dir, args.modules, seed=args.seed, regions=args.regions)
    except (ValueError, FileExistsError) as error:
        parser.error(str(error))
    print(f"wrote {args.modules} modules and {args.regions} regions to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
