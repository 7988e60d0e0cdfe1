"""The commands as library calls: validate, assemble and write, for one user request.

In: a project folder and the options of one command. Out: result records (files written,
failures, warnings) for the command line to print, or a ``TrainkitError``. ``build.py``
builds one edition, ``build_all.py`` every output in parallel with ``build_record.py``
remembering what each was built from, ``watch.py`` rebuilds on change,
``handout.py``, ``agenda.py`` and ``listing.py`` serve the other commands.
"""
