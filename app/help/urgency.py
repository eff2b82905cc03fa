"""Is a question urgent? Words of immediate danger, violence, sexual abuse,
being forced or threatened, or suicide, in French and English, as teens write
them (no accents, no apostrophes, texting spellings).

The text is normalised first (lower case, no accents, apostrophes and
punctuation as spaces), then matched against the patterns below, each a
regular expression over whole words. A false alarm costs a worker a quick
look; a missed one costs more, so the patterns lean towards alarm, but
ordinary questions about the program's topics must not trip them: the tests
hold a table of both.
"""

import re

from app.help.text import fold

PATTERNS = [
    # Suicide and self-harm.
    r"suicid\w*",
    r"(?:veu[xt]?|ve|ai envie de|voudrais|jveux|jve) (?:juste )?(?:mourir|crever|disparaitre)",
    r"(?:me|m) (?:tuer|tue|enlever la vie|suicider)",
    r"mtuer|en finir|plus envie de vivre|pu envie de vivre|plus le gout de vivre",
    r"(?:me|m) (?:faire|fais|fait) du mal|(?:me|m) (?:couper|coupe|scarifie|mutile)\w*",
    r"kms|kill(?:ing)? my ?self|want(?:ed)? to die|wanna die|end (?:it all|my life)",
    r"(?:hurt|hurting|cut|cutting) my ?self|self ?harm\w*|don ?t want to live",
    # Sexual abuse and exploitation.
    r"viol(?:e|ee|es|ees|er|ait)?|agress\w* sexuel\w*|attouchement\w*|abus(?:e|ee|es|ait)",
    r"rap(?:e|ed|ing)|molest\w*|sexual(?:ly)? (?:abus|assault)\w*|abused|abusing me",
    r"(?:touche|touchee|touched) (?:me|moi|my)|(?:m|ma|il m|elle m) (?:a )?touchee?",
    r"proxenete|pimp\w*|vendre mon corps|sell(?:ing)? my body|sextor\w*",
    r"(?:chantage|blackmail\w*)",
    # Forced or threatened.
    r"(?:m|me|ma|mont|on m) ?(?:a |ont )?(?:force|forcee|oblige|obligee)",
    r"(?:suis|es|est|etre|etais|etait|ete|me|m a|ma|mont|m ont) (?:force|forcee|obligee?)",
    r"forc(?:ed|ing|es) me|(?:being|been|was|am|got) forced|forced to",
    r"made me (?:do|have|send)|makes me (?:do|have|send)",
    r"menac\w*|threat\w*",
    # Violence and immediate danger.
    r"(?:me|m|ma|il m|elle m) ?(?:a )?(?:frappe|frappee|bat|battu|battue)",
    r"(?:hit|hits|beat|beats|beating|hurts|hurt) me|beat me up",
    r"en danger|peur pour ma vie|(?:va|vont|veut|veulent) me (?:tuer|faire mal|battre)",
    r"in danger|scared for my life|afraid for my life|(?:going|gonna|wants?) to (?:kill|hurt) me",
    r"arme|gun|fusil|couteau|knife|kidnap\w*|enleve(?:r|e)? par",
]

_URGENT = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in PATTERNS) + r")\b")


def normalise(text):
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def is_urgent(text):
    return _URGENT.search(normalise(text)) is not None
