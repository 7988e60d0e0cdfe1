"""Load: project files from disk into typed models with positions, and nothing else.

In: a project folder (``trainkit.yaml``, ``regions/*.yaml``, ``modules/**/*.md``,
``glossary.yaml``). Out: a ``Project`` (``project.py``) holding the manifest, regions,
module sources and translations, each with the findings met while loading. Every file
reference goes through ``resolver.py``; YAML goes through ``strict_yaml.py``; one module
file is read by ``module_file.py`` (translations by ``translations.py``), in worker
processes when there are many (``workers.py``) and from the content-hash cache
(``module_cache.py``) when nothing changed. ``schema_messages.py`` words schema
errors for authors; ``selection.py`` says which modules each region's editions include.
"""
