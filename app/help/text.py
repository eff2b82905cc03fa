"""Text the way students type it: folded (no case, no accents), then written
out (`normalise`: texting spellings, contractions and elisions), so that the
urgency rules and model see one spelling of each word."""

import re
import unicodedata


def fold(text):
    """Lower case, accents removed ("Élève" -> "eleve")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# Texting spellings, whole words, after folding. French and English share
# one table: a word of one is rarely a word of the other, and students mix.
SPELLINGS = {
    # French
    "chu": "je suis",
    "chui": "je suis",
    "chuis": "je suis",
    "shui": "je suis",
    "jsuis": "je suis",
    "jsui": "je suis",
    "jss": "je suis",
    "jai": "je ai",
    "jve": "je veux",
    "jvx": "je veux",
    "veu": "veux",
    "veut": "veux",
    "pu": "plus",
    "pus": "plus",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pcq": "parce que",
    "psk": "parce que",
    "mtn": "maintenant",
    "asteur": "maintenant",
    "astheure": "maintenant",
    "tsais": "tu sais",
    "jsp": "je sais pas",
    "jpp": "je peux plus",
    "cque": "ce que",
    "cquil": "ce que il",
    "ptete": "peut etre",
    "ya": "il y a",
    "y": "il",
    "toute": "tout",
    "toutte": "tout",
    "stun": "c est un",
    "cest": "c est",
    "ctait": "c etait",
    "cetait": "c etait",
    "qqn": "quelqu un",
    "qqch": "quelque chose",
    "tjrs": "toujours",
    "tjs": "toujours",
    "bcp": "beaucoup",
    "slm": "seulement",
    "ke": "que",
    "kil": "que il",
    "kelle": "que elle",
    "quil": "que il",
    "quelle": "que elle",
    "jlai": "je le ai",
    "mavait": "me avait",
    "mont": "me ont",
    # English
    "im": "i am",
    "ive": "i have",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "wouldnt": "would not",
    "isnt": "is not",
    "aint": "is not",
    "wasnt": "was not",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "thats": "that is",
    "whats": "what is",
    "its": "it is",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    "lemme": "let me",
    "u": "you",
    "ur": "your",
    "youre": "you are",
    "r": "are",
    "rn": "right now",
    "bc": "because",
    "cuz": "because",
    "cos": "because",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "pics": "pictures",
    "pic": "picture",
    "nudes": "naked pictures",
    "kms": "kill myself",
    "kys": "kill yourself",
    "tho": "though",
    "smth": "something",
    "sth": "something",
    "ppl": "people",
    "plz": "please",
    "pls": "please",
    "plzz": "please",
    "pleasee": "please",
    "idk": "i do not know",
    "idc": "i do not care",
    "ngl": "not going to lie",
    "tbh": "to be honest",
    "n": "and",
    "w": "with",
    "abt": "about",
    "bday": "birthday",
    "yr": "year",
    "yrs": "years",
}

# A "j" glued to a verb ("jveux", "jpeux", "jme"): French has no word that
# begins with j and a consonant, so the j is always "je".
_J_GLUED = re.compile(r"^j([bcdfghklmnpqrstvwxz]\w+)$")
_REPEATS = re.compile(r"(\w)\1{2,}")
# Words, and the signs that change what words mean: a question mark (a
# question about a topic, not a story) and emoji ("jvais mourir 😭💀" is a
# joke far more often than not).
_WORD = re.compile(r"[a-z0-9]+|\?|[^\x00-\x7f\s]")
_APOSTROPHES = re.compile(r"[’‘`´ʼ]")
# Apostrophes written: English contractions first ("don't", "he'll"), then
# French elisions at the start of a word ("j'me", "m'a", "qu'il").
_CONTRACTIONS = [
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"(\w)n't\b"), r"\1 not"),
    (re.compile(r"(\w)'ll\b"), r"\1 will"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"(\w)'re\b"), r"\1 are"),
    (re.compile(r"(\w)'ve\b"), r"\1 have"),
    (re.compile(r"\b(j|m|t|l|s|d|n|c|qu)'(?=\w)"), r"\1e "),
]


def normalise(text):
    """The words of `text` as the rules and the model read them."""
    folded = _REPEATS.sub(r"\1\1", _APOSTROPHES.sub("'", fold(text)))
    for pattern, replacement in _CONTRACTIONS:
        folded = pattern.sub(replacement, folded)
    words = []
    for word in _WORD.findall(folded):
        if word in SPELLINGS:
            word = SPELLINGS[word]
        elif glued := _J_GLUED.match(word):
            word = "je " + SPELLINGS.get(glued.group(1), glued.group(1))
        words.append(word)
    return " ".join(words)
