"""The manifest's ``theme:``: a logo, colours, fonts, a cover image and extra CSS.

File references are kept as written (relative to the project folder); ``checks/theme.py``
resolves each through the project resolver and validates colours, so the model itself
accepts any text and every problem is reported with its location.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from trainkit.schemas.common import StrictModel, Text

#: The colour keys of ``theme.colors`` besides the training blocks.
GENERAL_COLOURS = ("headings", "accent")


class ThemeColors(StrictModel):
    """Colours as CSS writes them: ``#1f5f8b``, ``rgb(31 95 139)``, ``teal``."""

    headings: Text | None = Field(default=None, description="Colour of headings and titles.")
    accent: Text | None = Field(
        default=None, description="Accent colour: links, rules under titles, the cover.")
    case_study: Text | None = Field(default=None, alias="case-study",
                                    description="Rule and label of case studies.")
    exercise: Text | None = Field(default=None, description="Rule and label of exercises.")
    trainer_note: Text | None = Field(default=None, alias="trainer-note",
                                      description="Rule and label of trainer notes.")
    key_points: Text | None = Field(default=None, alias="key-points",
                                    description="Rule and label of key points.")
    question: Text | None = Field(default=None, description="Rule and label of questions.")
    answer: Text | None = Field(default=None, description="Rule and label of answers.")

    def given(self) -> dict[str, str]:
        """The colours set, by their key in ``trainkit.yaml`` (``case-study``...)."""
        return {key: value for key, value in self.model_dump(by_alias=True).items()
                if value is not None}


class ThemeFont(StrictModel):
    """A font family: from font files inside the project, or installed on the machine."""

    family: Text = Field(description="Family name, as the files declare it or as installed.")
    file: Text | None = Field(
        default=None, description="Regular face: a .ttf, .otf or .woff2 file in the project.")
    bold: Text | None = Field(
        default=None, description="Bold face: a .ttf, .otf or .woff2 file in the project.")

    def files(self) -> dict[str, str]:
        """The font's files by weight (``normal``, ``bold``)."""
        found = {"normal": self.file, "bold": self.bold}
        return {weight: path for weight, path in found.items() if path is not None}


class ThemeFonts(StrictModel):
    """Fonts of the body text and of headings."""

    body: ThemeFont | None = Field(default=None, description="Font of the body text.")
    headings: ThemeFont | None = Field(
        default=None, description="Font of headings, block labels, tables and the cover.")


@dataclass(frozen=True, slots=True)
class ThemeFile:
    """A file the theme refers to: where in ``theme:`` and the reference as written."""

    key: tuple[str, ...]
    reference: str
    kind: str  # "image", "font" or "css"


class Theme(StrictModel):
    """How the manual looks: applied to PDF, HTML and DOCX (unless --reference-docx)."""

    logo: Text | None = Field(
        default=None, description="Logo on the cover and the imprint page: a PNG, JPEG, GIF "
                                  "or SVG file in the project.")
    cover_image: Text | None = Field(
        default=None, description="A picture on the cover: an image file in the project.")
    colors: ThemeColors = Field(default_factory=ThemeColors,
                                description="Colours of headings, accents and blocks.")
    fonts: ThemeFonts = Field(default_factory=ThemeFonts,
                              description="Fonts of body text and headings.")
    css: Text | None = Field(
        default=None, description="A CSS file in the project, applied after trainkit's own "
                                  "(PDF and HTML).")

    def files(self) -> list[ThemeFile]:
        """Every file the theme refers to, with where it is set."""
        found: list[ThemeFile] = []
        for key in ("logo", "cover_image"):
            value = getattr(self, key)
            if value is not None:
                found.append(ThemeFile((key,), value, "image"))
        for role in ("body", "headings"):
            font: ThemeFont | None = getattr(self.fonts, role)
            if font is not None:
                for field, path in (("file", font.file), ("bold", font.bold)):
                    if path is not None:
                        found.append(ThemeFile(("fonts", role, field), path, "font"))
        if self.css is not None:
            found.append(ThemeFile(("css",), self.css, "css"))
        return found


@dataclass(frozen=True, slots=True)
class Rgb:
    """A colour in sRGB, 0-255 per channel, and its opacity (0-1)."""

    red: int
    green: int
    blue: int
    alpha: float = 1.0

    @property
    def hex(self) -> str:
        """``1F5F8B``, as OOXML writes colours (without the opacity)."""
        return f"{self.red:02X}{self.green:02X}{self.blue:02X}"

    @property
    def css(self) -> str:
        if self.alpha >= 1:
            return f"#{self.hex.lower()}"
        return f"rgba({self.red}, {self.green}, {self.blue}, {self.alpha:.3g})"

    def tint(self, amount: float) -> Rgb:
        """This colour mixed with white, ``amount`` (0-1) of it kept: a box's background."""
        def mix(channel: int) -> int:
            return round(255 - (255 - channel) * amount)
        return Rgb(mix(self.red), mix(self.green), mix(self.blue))


def parse_colour(text: str) -> Rgb | None:
    """The colour a CSS colour value names, or None: hex, ``rgb()``, ``hsl()``, ``hwb()``
    and the named colours (CSS Color 4); not ``currentcolor`` or other colour spaces."""
    from tinycss2.color4 import parse_color

    parsed = parse_color(text.strip())
    if parsed is None or isinstance(parsed, str):
        return None
    try:
        red, green, blue = parsed.to("srgb").coordinates
    except NotImplementedError:  # lab(), oklch()...: no sRGB conversion in tinycss2
        return None

    def channel(value: float) -> int:
        return min(255, max(0, round(float(value) * 255)))
    return Rgb(channel(red), channel(green), channel(blue), float(parsed.alpha))
