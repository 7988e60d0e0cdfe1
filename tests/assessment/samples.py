"""Module texts with typed questions, shared by the assessment tests."""

from __future__ import annotations

from conftest import law_body, module_text

#: Four objectives: two with ids, two plain.
OBJECTIVES = ("\n  - {id: name-offences, text: Name the offences.}\n  - Explain consent."
              "\n  - {id: distinguish, text: Tell smuggling from trafficking.}"
              "\n  - Apply the law.")

QUESTIONS = """\
::: question {type=choice objectives=1,3 points=2 difficulty=easy id=benefit}
Which element must the prosecution prove for {{ region.name }}?

- [x] An intent to obtain a financial benefit
  > Right: the benefit purpose is part of the offence.
- [ ] That the migrant did not consent
  > No: consent is not an element.
- [ ] That the migrant was exploited
:::

::: answer
The benefit purpose is the SECRET-EXPLANATION.
:::

::: question {type=true-false answer=false objectives=2 pool=pre}
Consent of the migrant is an element of smuggling.
:::

::: answer
Consent is irrelevant: SECRET-TF.
:::

::: question {type=short-answer objectives=distinguish pool=post}
Which protocol defines smuggling?

- [x] SECRET-PALERMO
- [x] Smuggling Protocol
:::

::: question {type=matching objectives=4 points=3}
Match each offence with its element.

- Smuggling -> SECRET-BENEFIT
- Trafficking -> SECRET-EXPLOITATION
- Corruption -> SECRET-BRIBE
:::

::: question {objectives=4}
Describe a case you met.
:::

::: answer
SECRET-MODEL-ANSWER.
:::

::: exercise Role play {objectives=2}
Act out an interview.
:::
"""


def typed_module(questions: str = QUESTIONS, objectives: str = OBJECTIVES) -> str:
    """``02-law.md`` with typed ``questions`` after its section."""
    return module_text(law_body("")[len(module_text("")):] + "\n" + questions,
                       learning_objectives=objectives)


SECRETS = ("SECRET-EXPLANATION", "SECRET-TF", "SECRET-PALERMO", "SECRET-MODEL-ANSWER",
           "Right: the benefit", "No: consent is not")
