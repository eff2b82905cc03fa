"""Is a question urgent? A teen in danger now, as teens write it.

One entry point, `is_urgent(text, lang=None)` (and `assess`, which also says
why). Three steps:

1. `normalise` (app/help/text.py): lower case, no accents, no apostrophes
   or punctuation, letters repeated three times or more kept twice ("plzzzz" → "plzz"), and texting
   spellings written out ("jsuis", "chu" → "je suis"; "pu" → "plus"; "im" →
   "i am"; "wanna" → "want to"; "kms" → "kill myself"), so that rules and
   model see one spelling of each word.
2. Rules (`RULES`): a few unambiguous first-person sentences ("je veux
   mourir", "he wont let me leave"), each with its category. A rule that
   matches is enough.
3. A small model (app/help/urgency_model.py; its corpus, thresholds and
   measures in app/help/urgency_corpus.py): character and word n-grams;
   a logistic regression and the nearest corpus messages decide together,
   another regression names the category,
   trained on the labelled corpus in tests/data/urgency/ and shipped as
   app/data/urgency_model.npz; loaded once, nothing is downloaded. A message
   is urgent when the model's probability reaches its language's threshold.

`flask help urgency-report` prints the cross-validated recall and false
alarms per language; tests/test_urgency.py holds them to the targets
(recall ≥ 0.95 on urgent messages, ≤ 0.10 false alarms on ordinary ones),
and measures the held-out set that nobody tuned on.

A false alarm costs a worker a quick look and shows the student help
numbers; a miss costs more. A worker can mark or unmark urgency by hand.
"""

import logging
import re
from dataclasses import dataclass

from app.help.text import normalise

logger = logging.getLogger(__name__)

CATEGORIES = (
    "suicide",  # suicide and self-harm
    "exploitation",  # sexual exploitation, pimping, a debt paid "with my body"
    "confinement",  # held, phone or papers taken, cannot leave
    "sexual_assault",  # recent or ongoing, drugged drinks
    "sextortion",  # pictures used to threaten or to get more
    "violence",  # beaten, choked, threatened with death or a weapon
    "grooming",  # an adult meeting or asking things of a young teen
)

# Unambiguous first-person sentences, on normalised text. Each must be danger
# in any context it can appear in: ordinary questions on the same topics
# ("c'est quoi la peine pour la sextorsion") and jokes ("jvais mourir de
# honte lol") must not match one; FIGURATIVE turns every rule off for a text
# that laughs or exaggerates, and leaves it to the model.
RULES = {
    "suicide": [
        r"(?:plus|pas) (?:envie|le gout) de vivre",
        r"je veux (?:plus|pas) (?:vivre|exister)",
        r"je veux me (?:tuer|suicider)",
        r"je (?:pense|songe) (?:au|a me) suicid\w*",
        r"je (?:ai|fais) des idees (?:suicidaires|noires)|je suis suicidaire",
        r"je me (?:coupe|scarifie|mutile|suis coupee?|suis scarifiee?)",
        r"i (?:do not|no longer) want to (?:live|be alive|exist)",
        r"i want to (?:kill myself|end my life|end it all)",
        r"i (?:am|keep|have been) thinking (?:about|of) (?:suicide|killing myself|ending my life)",
        r"i think (?:about|of) (?:suicide|killing myself) (?:a lot|all the time|every day)",
        r"i (?:am|feel) suicidal",
        r"i (?:cut|burn|burned) myself",
        r"^(?:i )?(?:want to )?kill myself$",
    ],
    "sexual_assault": [
        r"(?:je me suis fait|me suis fait|il me a|ils me ont|on me a) violee?s?",
        r"i (?:was|got|have been|am being) raped|(?:he|they) raped me",
        r"(?:oncle|pere|beau pere|frere|cousin|coach|chum) (?:me a|ma|me) touchee?",
        r"my (?:uncle|dad|father|stepdad|step dad|brother|cousin|coach|boyfriend) "
        r"(?:touched|touches|keeps touching) me",
    ],
    "exploitation": [
        r"(?:payer|rembourser) avec mon corps|pay (?:it )?(?:back )?with my body",
        r"(?:obligee?|forcee?) (?:de|a) (?:coucher|vendre|faire des clients)",
        r"(?:forced|forcing|made|making) (?:me )?to (?:sell|sleep with)",
    ],
    "confinement": [
        r"(?:me|m) laisse (?:pas|plus) (?:partir|repartir|rentrer chez nous)",
        r"(?:will|would) not let me (?:leave|go home)",
    ],
    "violence": [
        r"(?:ils|il|y) (?:veulent|vont) me tuer|they (?:want to|are going to) kill me",
        r"je suis en danger|i am in danger",
        r"je me fais (?:menacer|battre|frapper)|(?:is|are|keeps?) threatening me",
        r"(?:peur|crainte) pour ma vie|(?:scared|afraid) for my life",
        r"(?:me a|ma|me) (?:frappee?|battue?|etranglee?)",
        r"(?:hits|beats|chokes|choked|strangled) me",
    ],
}
# "lol", "mdr", "de honte", an "if" (« il va me tuer si je rentre tard ») or a
# crying-laughing emoji: the rules stand aside and the model decides.
FIGURATIVE = re.compile(
    r"\b(?:lol|lmao|lmfao|mdr|ptdr|haha\w*|jk|de honte|of embarrassment"
    r"|(?:if|si) (?:i|je|she|he|il|elle|my|mon|ma|you|tu))\b"
    r"|[😭😂🤣💀]"
)
# Said to be meant, whatever else the message holds.
SERIOUS = re.compile(
    r"\b(?:die|mourir|kill myself|me tuer|suicide)\b.*"
    r"\b(?:not joking|i am serious|for real|pas une joke|je niaise pas|je suis serieuse?)\b"
)
_RULES = [
    (category, re.compile(r"\b(?:" + "|".join(patterns) + r")\b"))
    for category, patterns in RULES.items()
]


@dataclass(frozen=True)
class Assessment:
    urgent: bool
    reason: str | None = None  # one of CATEGORIES when urgent


def rule_category(normalised):
    if SERIOUS.search(normalised):
        return "suicide"
    if FIGURATIVE.search(normalised):
        return None
    for category, pattern in _RULES:
        if pattern.search(normalised):
            return category
    return None


def assess(text, lang=None):
    """Urgent or not, and why (`lang` is the page's; the model reads both).

    If the model cannot run (a missing or damaged file), the question is
    treated as urgent rather than lost: it is saved, the student sees the
    numbers, and a worker looks."""
    from app.help import urgency_model

    words = normalise(text)
    category = rule_category(words)
    if category is not None:
        return Assessment(True, category)
    try:
        predicted = urgency_model.shipped().predict(words, lang)
    except Exception as error:
        logger.error(
            "the urgency model failed (%s): question treated as urgent", type(error).__name__
        )
        return Assessment(True, None)
    return Assessment(predicted is not None, predicted)


def is_urgent(text, lang=None):
    return assess(text, lang).urgent
