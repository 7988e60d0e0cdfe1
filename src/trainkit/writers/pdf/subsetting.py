"""Font subsets whose glyph ids are the face's own, so the merge can share them.

WeasyPrint 70 subsets a face in two HarfBuzz passes: the first keeps the glyph ids
(``RETAIN_GIDS``), the second drops the empty glyphs after the last one used and, in
doing so, renumbers the components of composite glyphs that lie beyond it (accents of
bold "é", some Arabic forms). Two pieces then give one component two ids, and their
subsets cannot be merged into one program (``font_share.py``). ``keep_glyph_ids`` makes
the workers stop after the first pass: a few empty ``loca`` entries more per subset,
which the merge then stores once. It is installed once per process, in the workers only
(``pieces.render_chunk``); a WeasyPrint without this method is left alone.
"""

from __future__ import annotations

from typing import Any

_INSTALLED: list[bool] = []


def keep_glyph_ids() -> None:
    """Make WeasyPrint's HarfBuzz subsetting keep every glyph id (once per process)."""
    if _INSTALLED:
        return
    _INSTALLED.append(True)
    from weasyprint.pdf import fonts

    font_class: Any = getattr(fonts, "Font", None)
    if font_class is None or not hasattr(font_class, "_harfbuzz_subset"):
        return
    font_class._harfbuzz_subset = _retaining_subset


#: The tables WeasyPrint drops from every subset (``Font._harfbuzz_subset``).
_DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
            b"LTSH", b"PCLT", b"SVG ")


def _retaining_subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint's first subsetting pass (glyph ids kept), without the second."""
    from weasyprint.logger import LOGGER
    from weasyprint.text.fonts import get_hb_object_data
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    subset = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(),
                    harfbuzz_subset.hb_subset_input_destroy)
    glyphs = harfbuzz_subset.hb_subset_input_glyph_set(subset)
    used = ffi.new(f"hb_codepoint_t[{len(to_unicode)}]", sorted(to_unicode))
    harfbuzz.hb_set_add_sorted_array(glyphs, used, len(to_unicode))
    flags = (harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS
             | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
             | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if self.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset, flags)
    dropped = harfbuzz_subset.hb_subset_input_set(
        subset, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = tuple(harfbuzz.hb_tag_from_string(name, -1) for name in _DROPPED)
    harfbuzz.hb_set_add_sorted_array(dropped, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags),
                                     len(tags))
    face = ffi.gc(harfbuzz_subset.hb_subset_or_fail(self.hb_face, subset),
                  harfbuzz.hb_face_destroy)
    if face:
        content = get_hb_object_data(face)
        if content:
            self.file_content = content
            return
    LOGGER.warning('Unable to subset "%s" with HarfBuzz', self.family)
