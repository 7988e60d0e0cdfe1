"""A module with every kind of typed question, for the export tests: D's sample questions
(``assessment/samples.py``) and a few that test what exports must escape, embed or drop."""

from __future__ import annotations

from pathlib import Path

from assessment.samples import OBJECTIVES, QUESTIONS, typed_module
from conftest import LAW, ProjectDir, copy_valid

#: A multiple-answer question with GIFT's special characters, an image and a trainer note
#: inside the prompt; a true-false question with trainer-edition text in its prompt.
EXTRA_QUESTIONS = """
::::: question {type=choice objectives=1 points=3 id=specials}
Which are true of a {braces} ~tilde~ a=b #hash: colon \\\\ backslash?

![A map](../images/map.svg)

::: trainer-note
SECRET-NESTED-NOTE in the prompt.
:::

- [x] First = right #1
  > Yes: {one}.
- [x] Second ~ right
- [ ] Wrong: third
  > No.
- [ ] Wrong fourth
:::::

:::: question {type=true-false answer=true objectives=2}
The Protocol protects migrants from prosecution for being smuggled.

::: only edition=trainer
SECRET-TRAINER-EDITION only.
:::
::::

::: trainer-note
SECRET-TRAINER-NOTE after the questions.
:::
"""

#: Questions in the module, in order: (id, Moodle type, GIFT type).
EXPECTED = [
    ("benefit", "multichoice", "MC"), ("law-q2", "truefalse", "TF"),
    ("law-q3", "shortanswer", "Short"), ("law-q4", "matching", "Matching"),
    ("law-q5", "essay", "Essay"), ("specials", "multichoice", "MC"),
    ("law-q7", "truefalse", "TF"),
]
TRAINER_SECRETS = ("SECRET-NESTED-NOTE", "SECRET-TRAINER-NOTE", "Allow 20 minutes",
                   "SECRET-TRAINER-EDITION")


def export_project(destination: Path) -> ProjectDir:
    """The baseline project whose law module holds every kind of question."""
    project = copy_valid(destination)
    project.write(LAW, typed_module(QUESTIONS + EXTRA_QUESTIONS, OBJECTIVES))
    return project


#: The law module in French and Arabic: a true-false and a choice question each.
TRANSLATIONS = {
    "fr": ("Le droit", "Citer les infractions.", "Le consentement du migrant est un élément "
           "de l'infraction.", "Quel texte définit le trafic illicite de migrants ?",
           "Le Protocole", "Le Code de la route"),
    "ar": ("القانون", "ذكر الجرائم.", "موافقة المهاجر ركن من أركان الجريمة.",
           "أيّ نص يعرّف تهريب المهاجرين؟", "البروتوكول", "قانون المرور"),
}


def translation(language: str) -> str:
    """``modules/<language>/02-law.md``: the law module's translation with two questions."""
    title, objective, statement, prompt, right, wrong = TRANSLATIONS[language]
    return (f'---\ntranslation_of: law\nsource_version: "1.0"\ntitle: {title}\n'
            f"summary: {title}.\nlearning_objectives:\n  - {objective}\nstatus: approved\n---\n\n"
            f"## {title}\n\n{title}.\n\n"
            f"::: question {{type=true-false answer=false objectives=1}}\n{statement}\n:::\n\n"
            f"::: question {{type=choice objectives=1}}\n{prompt}\n\n- [x] {right}\n"
            f"- [ ] {wrong}\n:::\n")


def multilingual_project(destination: Path) -> ProjectDir:
    """The baseline with the law module translated into French and Arabic."""
    project = copy_valid(destination)
    project.edit("trainkit.yaml", "languages: [fr]", "languages: [fr, ar]")
    project.edit("regions/north.yaml", "languages: [en, fr]", "languages: [en, fr, ar]")
    for language in TRANSLATIONS:
        project.write(f"modules/{language}/02-law.md", translation(language))
    return project
