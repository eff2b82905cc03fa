"""Passphrases: six random words, easy to write down, forgiving to type.

The words come from the BIP-39 lists (2,048 words each, French and English,
from the `mnemonic` package), without the few words a child who has just
written about abuse should not be handed (see EXCLUDED), topped up with words
of our own (EXTRA) so that each list still holds at least 2,048 words. Six
words from 2,048 are 66 bits of randomness, drawn with `secrets`.

Typing is forgiving: `normalise` lowers the case, drops accents, and treats
spaces, hyphens, dots and commas between words alike, so "Abeille-ÉLÈVE"
and "abeille eleve" are the same passphrase. No two words of a list are the
same once normalised (a test checks it).
"""

import functools
import re
import secrets

from mnemonic import Mnemonic

from app.help.text import fold

WORDS = 6
LANGUAGES = {"fr": "french", "en": "english"}

EXCLUDED = {
    "fr": {
        "argent",
        "attaque",
        "cigare",
        "couteau",
        "cruel",
        "danger",
        "enlever",
        "ennemi",
        "frapper",
        "insulter",
        "intime",
        "menacer",
        "pleurer",
        "prison",
        "tabac",
        "virus",
        "toxique",
        "victime",
        "soumis",
        "brutal",
        "fusil",
        "poison",
        "cadavre",
        "venin",
        "proie",
        "chasseur",
        "embryon",
        "trahir",
        "cage",
        "piege",
        "fuite",
        "seul",
    },
    "en": {
        "alone",
        "betray",
        "cage",
        "escape",
        "prey",
        "trap",
        "abuse",
        "alcohol",
        "arrest",
        "attack",
        "bitter",
        "blood",
        "body",
        "bomb",
        "cash",
        "casino",
        "cigar",
        "crime",
        "cruel",
        "cry",
        "danger",
        "divorce",
        "enemy",
        "fat",
        "gloom",
        "gun",
        "hunt",
        "hurt",
        "insane",
        "kiss",
        "knife",
        "lonely",
        "naive",
        "orphan",
        "panic",
        "pistol",
        "prison",
        "riot",
        "sad",
        "scare",
        "shoot",
        "sick",
        "toilet",
        "ugly",
        "vicious",
        "virus",
        "weapon",
        "whip",
        "wine",
        "victim",
        "kill",
        "sex",
        "naked",
        "drug",
        "poison",
        "toxic",
        "slave",
        "shock",
        "fire",
        "fatal",
        "lawsuit",
        "jail",
    },
}

EXTRA = {
    "fr": (
        "huard castor caribou orignal bleuet framboise muscade pissenlit tournesol "
        "harfang mouette pingouin loutre marmotte hibou grenouille renard "
        "luciole coccinelle papillon dauphin baleine phoque morse tortue colibri "
        "carillon toboggan raquette traineau igloo chalet banquise aurore "
        "galaxie comete meteore satellite boussole lanterne accordeon harmonica xylophone"
    ),
    "en": (
        "otter beaver moose loon maple acorn pebble lantern compass comet meteor "
        "chipmunk blueberry raccoon porcupine cranberry heron seagull mitten "
        "galaxy rainbow harmonica xylophone accordion banjo kayak canoe toboggan "
        "snowshoe igloo cabin meadow prairie glacier iceberg puffin walrus seal "
        "narwhal hummingbird ladybug firefly butterfly dolphin tulip daisy orchid "
        "lilac clover thistle pinecone waffle pancake muffin pretzel noodle "
        "blueberry raspberry cranberry apricot coconut mango papaya kiwi lemonade "
        "teapot kettle ribbon marble puzzle kite trumpet violin cello"
    ),
}


def normalise(text):
    """Lower case, no accents, words separated by one space."""
    return " ".join(re.findall(r"[a-z]+", fold(text)))


@functools.cache
def wordlist(lang):
    """The words passphrases are drawn from in `lang`, normalised, in a fixed order."""
    words = [normalise(w) for w in Mnemonic(LANGUAGES[lang]).wordlist]
    excluded = {normalise(w) for w in EXCLUDED[lang]}
    kept = [w for w in words if w not in excluded]
    extra = [normalise(w).replace(" ", "") for w in EXTRA[lang].split()]
    kept += [w for w in extra if w not in set(kept)]
    return tuple(dict.fromkeys(kept))


def generate(lang):
    words = wordlist(lang)
    return " ".join(secrets.choice(words) for _ in range(WORDS))
