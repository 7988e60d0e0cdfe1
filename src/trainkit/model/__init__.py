"""The shared vocabulary every stage speaks: the document model and the assembled edition.

Nothing here reads files or imports a heavy library. ``document.py`` holds the frozen node
types a module body is made of (parsing builds them, assembly transforms them, writers
walk them); ``edition.py`` the assembled edition writers receive; ``status.py`` a
module's review status.
"""
