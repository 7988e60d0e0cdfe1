"""HTML: the edition as one HTML document, for the screen and as WeasyPrint's input.

In: an ``AssembledEdition``. Out: HTML text (``render.py``: one method per node type,
Jinja2 templates in ``resources/templates/``) and the handout flavour (``handout.py``).
"""
