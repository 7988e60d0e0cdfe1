"""Parse: a module's Markdown body into the typed document model, once.

In: Markdown text and the line it starts on. Out: a ``Body`` of ``trainkit.model.document``
nodes, its facts, and local findings. ``markdown.py`` configures markdown-it (CommonMark
without raw HTML, tables, footnotes, ``:::`` blocks, ``{{ variables }}``); ``builder.py``
turns its tokens into nodes, with the small token helpers of ``tokens.py``.
"""
