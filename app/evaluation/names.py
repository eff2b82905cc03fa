"""Does a teacher's comment name someone? A check before it is saved.

A comment may reach a report: it must name no student (nor anyone else).
Three patterns, on the words as written:

- a capitalised word that is a first name of app/data/first_names.txt
  (accents and case aside), unless it opens a sentence and is also a common
  word ("Claire explication", "Rose" the colour); a hyphenated word counts
  when all its parts are first names ("Marie-Ève"), not a school's or a
  street's name ("Jacques-Rousseau", "Saint-Jean");
- a capitalised word followed by an initial ("Kayden B.");
- a capitalised word right after a word that introduces a person ("l'élève
  Kayden", "my student Kayden", "une amie nommée Kayden").

It errs on the side of refusing: the teacher is told which word, and can
write "a student" instead. No list of names is complete; the coordinator
reads every comment before it shows anywhere.
"""

import functools
import re
import unicodedata

from app.config import PROJECT_ROOT

NAMES_FILE = PROJECT_ROOT / "app" / "data" / "first_names.txt"
WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*\.?")
SENTENCE_END = re.compile(r"[.!?:;«»\"“”]\s*$")
# First names that are also ordinary words, allowed at a sentence's start.
COMMON_WORDS = frozenset(
    {"claire", "rose", "jade", "violette", "louise", "mila", "lou", "eve", "marine", "aurore",
     "blanche", "olive", "ambre", "grace", "hope", "joy", "will", "may", "june", "mark",
     "bill", "art", "pat", "sage", "iris", "lily", "victoire", "jean", "paul", "simon"}
)  # fmt: skip
# Words after which a capitalised word is a person's name.
CUES = frozenset(
    {"eleve", "eleves", "student", "students", "jeune", "garcon", "fille", "boy", "girl",
     "ami", "amie", "friend", "nomme", "nommee", "named", "appele", "appelee", "called",
     "surnomme", "surnommee"}
)  # fmt: skip


def plain(word):
    """Lower case, without accents nor a final period."""
    decomposed = unicodedata.normalize("NFKD", word.rstrip("."))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@functools.cache
def first_names():
    lines = NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_name(word, *, opens_sentence):
    parts = re.split(r"-", plain(word))
    if not all(part in first_names() for part in parts):
        return False
    return not (opens_sentence and len(parts) == 1 and parts[0] in COMMON_WORDS)


def named_people(text):
    """The words of `text` that look like someone's name, in order (no repeats)."""
    found = []
    words = list(WORD.finditer(text or ""))
    for n, match in enumerate(words):
        word = match.group()
        if not word[0].isupper():
            continue
        opens = n == 0 or bool(SENTENCE_END.search(text[words[n - 1].end() - 1 : match.start()]))
        after_cue = n > 0 and plain(words[n - 1].group().split("’")[-1].split("'")[-1]) in CUES
        initial = n + 1 < len(words) and re.fullmatch(r"[A-Z]\.", words[n + 1].group())
        name = word.rstrip(".")
        if (
            _is_name(name, opens_sentence=opens)
            or (initial and len(name) > 1)
            or (after_cue and not opens)
        ) and name not in found:
            found.append(name)
    return found
