"""The command line, on top of everything: options in, messages and exit codes out.

In: the arguments a person typed. Out: calls into ``trainkit.commands`` and
``trainkit.checks``, text on the terminal, an exit code. ``app.py`` declares the
commands, ``options.py`` the options several commands share, ``display.py`` how results
are printed, and ``errors.py`` the one place where a library error becomes a message and
an exit code (0 success, 1 content errors or a failed render, 2 usage errors). Nothing
else in trainkit prints or exits.
"""

from trainkit.cli.app import main

__all__ = ["main"]
