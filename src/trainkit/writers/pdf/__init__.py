"""PDF: the print edition rendered by WeasyPrint in pieces, in parallel, and merged.

In: an ``AssembledEdition`` and the project resolver. Out: one PDF file. ``edition.py``
cuts the edition into pieces and merges them (contents page numbers, outline, links,
page labels); ``pieces.py`` renders one piece in a worker; ``render_pool.py`` owns the
workers; ``piece_cache.py`` keeps rendered pieces between builds; ``single.py`` renders
one small document (handouts, agendas) in this process.
"""
