"""Fonts for scripts the default fonts do not cover, starting with Arabic.

trainkit ships Amiri (SIL Open Font License, ``resources/fonts/OFL.txt``), a Naskh font
with full Arabic coverage, and serves it to WeasyPrint through its own fetcher under
``trainkit:font/<file>``. If the packaged files were stripped (some distributions
unbundle fonts), a system font with Arabic coverage is used instead; with neither, the
build stops with a message saying what to install.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from trainkit.errors import RenderError

FONT_SCHEME = "trainkit:font/"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})
_PACKAGED = {"regular": "Amiri-Regular.ttf", "bold": "Amiri-Bold.ttf"}
INSTALL_HINT = ("install a font with Arabic glyphs, e.g. `apt-get install fonts-hosny-amiri` "
                "(Debian, Ubuntu) or `dnf install amiri-fonts` (Fedora)")


@dataclass(frozen=True, slots=True)
class ScriptFont:
    """A font family for a script, with the files WeasyPrint may load for it."""

    family: str
    files: dict[str, Path]


def is_rtl(language: str) -> bool:
    """True for languages written from right to left."""
    return language.split("-")[0] in RTL_LANGUAGES


def packaged_font_dir() -> Path:
    return Path(str(resources.files("trainkit").joinpath("resources", "fonts")))


@lru_cache(maxsize=None)
def arabic_font() -> ScriptFont:
    """The font for Arabic text: the packaged Amiri, else a system font, else an error."""
    folder = packaged_font_dir()
    files = {weight: folder / name for weight, name in _PACKAGED.items()}
    if all(path.is_file() for path in files.values()):
        return ScriptFont("Amiri", files)
    system = _system_font("ar")
    if system is None:
        raise RenderError(f"no font with Arabic glyphs was found: {INSTALL_HINT}")
    return system


def _system_font(language: str) -> ScriptFont | None:
    if shutil.which("fc-list") is None:
        return None
    try:
        listing = subprocess.run(["fc-list", f":lang={language}", "family", "file"],
                                 capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(listing.stdout.splitlines()):
        path, _, family = line.partition(": ")
        if path.endswith((".ttf", ".otf")) and family:
            return ScriptFont(family.split(",")[0], {"regular": Path(path)})
    return None


def script_font(language: str) -> ScriptFont | None:
    """The font a language needs beyond the default ones, or None."""
    if language.split("-")[0] in ("ar", "fa", "ur"):
        return arabic_font()
    return None


def font_file(name: str) -> Path | None:
    """The file served as ``trainkit:font/<name>``: only the chosen script fonts' files."""
    font = arabic_font()
    for path in font.files.values():
        if path.name == name:
            return path
    return None


def font_face_css(language: str) -> str:
    """``@font-face`` rules and the font stack for ``language`` (empty if none is needed)."""
    font = script_font(language)
    if font is None:
        return ""
    rules = []
    for weight, path in font.files.items():
        css_weight = "bold" if weight == "bold" else "normal"
        rules.append(f'@font-face {{ font-family: "{font.family}"; font-weight: {css_weight}; '
                     f'src: url("{FONT_SCHEME}{path.name}"); }}')
    stack = f'"{font.family}", "DejaVu Sans", sans-serif'
    rules.append(f"html, h1, h2, h3, h4, .block-label, .module-number, .cover, .toc, th, dt "
                 f"{{ font-family: {stack}; }}")
    # Running heads and folios belong to the edition: in its script's face.
    rules.append(f"@page {{ @top-left {{ font-family: {stack}; }} @top-right {{ font-family: "
                 f"{stack}; }} @bottom-center {{ font-family: {stack}; }} }}")
    return "\n".join(rules) + "\n"


def foreign_module_css(language: str) -> str:
    """In an edition whose script needs its own font, a module in another language (a
    fallback: English in an Arabic edition) keeps the default faces; its notice, in the
    edition's language, keeps the edition's. Empty if the language needs no font."""
    font = script_font(language)
    if font is None:
        return ""
    owners = [f'{kind}[lang]:not([lang="{language}"])' for kind in (".module", ".handout-module")]
    tags = ("h1", "h2", "h3", "h4", ".block-label", ".module-number", "th", "dt")
    return (", ".join(owners) + ' { font-family: "DejaVu Serif", "Noto Serif", Georgia, serif; }\n'
            + ", ".join(f"{own} {tag}" for own in owners for tag in tags)
            + ' { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; }\n'
            + ", ".join(f'{own} [lang="{language}"]' for own in owners)
            + f' {{ font-family: "{font.family}", "Noto Naskh Arabic", "DejaVu Sans", '
            f"sans-serif; }}\n")


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str] | None:
    """The font families installed on this machine, lower-cased (None: unknown, no
    ``fc-list``)."""
    if shutil.which("fc-list") is None:
        return None
    try:
        listing = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                                 timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(name.strip().lower() for line in listing.stdout.splitlines()
                     for name in line.split(","))


#: The first bytes of the font files a theme may name: TrueType, OpenType (CFF), WOFF2.
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"true", b"OTTO", b"wOF2")


def is_font_file(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a font trainkit can embed."""
    return head[:4] in FONT_SIGNATURES
