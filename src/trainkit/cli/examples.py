"""The examples that end each command's help (``--help``): real command lines."""

from __future__ import annotations

#: Command name -> examples, each a command line and what it does.
EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "validate": [
        ("trainkit validate --strict", "check the project here; warnings fail too"),
        ("trainkit validate manual --format github", "annotations on a pull request"),
        ("trainkit validate --format sarif > trainkit.sarif", "for code scanning"),
    ],
    "build": [
        ("trainkit build --region west-africa --edition participant --format pdf",
         "one edition as PDF"),
        ("trainkit build --all", "every region x edition x format; only what changed"),
        ("trainkit build --region north-africa --lang ar --format docx", "right to left"),
    ],
    "handout": [
        ("trainkit handout legal-framework --region north-africa --format pdf",
         "one module's handout"),
        ("trainkit handout --all --region north-africa --format docx", "every module"),
    ],
    "agenda": [
        ("trainkit agenda --region north-africa --days 8", "print the timetable"),
        ("trainkit agenda --region north-africa --days 8 --format docx", "as a Word file"),
    ],
    "list": [
        ("trainkit list", "modules x regions, with durations"),
        ("trainkit list --format json", "the same, for scripts"),
    ],
    "schema": [
        ("trainkit schema manifest > manifest.schema.json", "for an editor"),
        ("trainkit schema module", "the module front-matter's schema"),
    ],
    "coverage": [
        ("trainkit coverage --region north-africa", "what assesses each objective"),
        ("trainkit coverage --format json", "the same, for scripts"),
    ],
    "test": [
        ("trainkit test --region north-africa --seed 7", "a test paper and its answer key"),
        ("trainkit test --draw pre --count 10 --format docx", "a pre-test from the pool"),
        ("trainkit test --evaluation", "the course evaluation form"),
    ],
    "init": [
        ("trainkit init my-course", "a new project in my-course/"),
        ('trainkit init . --title "Interviewing Witnesses"', "here, with a title"),
    ],
    "module": [
        ('trainkit new module "Taking statements"', "modules/NN-taking-statements.md"),
        ('trainkit new module "Cas pratique" --id case-practice', "with a chosen id"),
    ],
    "matrix": [
        ("trainkit matrix", "the build matrix as JSON"),
        ('trainkit matrix --shards 4 --format github >> "$GITHUB_OUTPUT"', "4 CI jobs"),
    ],
    "moodle": [
        ("trainkit export moodle --region north-africa", "Moodle XML and GIFT in dist/"),
        ("trainkit export moodle --region north-africa --lang fr --format xml",
         "the French question bank, Moodle XML only"),
    ],
    "scorm": [
        ("trainkit export scorm --region north-africa", "one SCORM 1.2 zip per module"),
        ("trainkit export scorm --region north-africa --lang ar --per edition --mastery 70",
         "one Arabic package for the edition; 70 % passes"),
    ],
    "preview": [
        ("trainkit preview", "serve the default edition at http://127.0.0.1:8000/"),
        ("trainkit preview --region north-africa --edition participant --lang fr",
         "another edition, in French"),
    ],
}


def epilog(command: str) -> str | None:
    """The examples of ``command`` as a help epilog (``\\b`` keeps Click from rewrapping)."""
    examples = EXAMPLES.get(command)
    if not examples:
        return None
    lines = [f"  {line}\n      {what}" for line, what in examples]
    return "\b\nExamples:\n" + "\n".join(lines)
