"""Exports for learning platforms: a manual's typed questions as a Moodle question bank
(Moodle XML, GIFT) and as SCORM 1.2 packages.

In: the participant editions of ``assembly/exports.py``. Out: files (``moodle.py``,
``gift.py``, ``scorm.py`` with ``quiz.py``), written atomically.
"""
