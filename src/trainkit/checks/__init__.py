"""Check: every rule a project must keep, over the loaded models.

In: a ``Project`` from ``trainkit.loading``. Out: located ``Diagnostic`` findings, and a
``ValidProject`` (typed manifest, regions and modules) for a project without errors.
``validate.py`` runs every family; ``structure.py`` (manifest, regions, ids,
prerequisites), ``content.py`` (conditions, variables, links, images),
``translations.py`` (languages, drift) and ``terminology.py`` (glossary wordings) each
check one family.
"""
