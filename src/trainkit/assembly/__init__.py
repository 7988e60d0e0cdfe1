"""Assemble: one edition of a validated project, as the model every writer walks.

In: a validated project and an ``EditionRequest`` (region, edition, audience, language).
Out: an ``AssembledEdition`` (``trainkit.model.edition``). ``transform.py`` and
``passes.py`` filter and rewrite bodies (edition filter, variables, image paths,
cross-references, numbering), ``edition.py`` puts it together; ``review.py``, ``handout.py`` and
``agenda.py`` derive review copies, handouts and timetables from it. Nothing dropped
here reaches a writer.
"""
