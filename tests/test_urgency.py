"""Urgency as teens write it: the corpus, the shipped model, and the targets.

The targets are the issue's, per language: recall >= 0.95 on urgent messages
and <= 0.10 false alarms on ordinary ones, measured by cross-validation on
the corpus (tests/data/urgency/*.tsv) and on the held-out set, which was
written apart by someone who never saw the corpus and is never trained on.
"""

import collections
import csv
import os

import pytest

from app.help import urgency, urgency_corpus, urgency_model
from app.help.urgency import assess, is_urgent, normalise

# The messages the issue found misjudged.
ISSUE_URGENT = [
    ("jveux plus vivre jsuis tanné de toute", "fr"),
    ("jsuis chez un gars que je connais pas pis il me laisse pas partir", "fr"),
    ("i dont wanna live anymore", "en"),
    ("my bf makes me see guys for money", "en"),
    ("he'll post my pics if i don't send more", "en"),
]
ISSUE_ORDINARY = [
    ("how do pimps find girls?", "en"),
    ("c'est quoi la peine pour la sextorsion?", "fr"),
    ("what does the law say about threats online?", "en"),
]
# The table the word list was tested with, written before the corpus.
EARLIER_URGENT = [
    "Je veux mourir",
    "jveux mourir pu capable",
    "chu en danger ce soir",
    "mon chum ma frappé hier",
    "Il m’a forcée à envoyer des photos",
    "je me fais menacer par une gang",
    "je pense au suicide",
    "Mon oncle m’a touchée",
    "Je suis obligée de coucher avec ses amis pour rembourser",
    "ils veulent me tuer",
    "I want to die",
    "i wanna die lol not joking",
    "kms",
    "He threatened to post my nudes",
    "my uncle touched me",
    "I am being forced to sell",
    "he hits me when he is drunk",
    "they are going to kill me",
    "I cut myself again",
    "I was raped",
]
EARLIER_ORDINARY = [
    "Qu’est-ce qu’une relation saine?",
    "C’est quoi le consentement?",
    "Comment aider une amie qui ne va pas bien?",
    "On a vu la force de la gravité en sciences, c’est en lien?",
    "Comment savoir si un gars est un recruteur?",
    "What is a healthy relationship?",
    "How do I know if my friend is in a gang?",
    "Is it normal to argue with my boyfriend?",
    "What is grooming online?",
    "Is it forced if I said yes?",
]


@pytest.fixture(scope="module")
def corpus():
    return urgency_corpus.read_corpus()


@pytest.mark.parametrize(("text", "lang"), ISSUE_URGENT)
def test_the_issues_distress_messages_are_urgent(text, lang):
    assert is_urgent(text, lang)


@pytest.mark.parametrize(("text", "lang"), ISSUE_ORDINARY)
def test_the_issues_ordinary_questions_are_not(text, lang):
    assert not is_urgent(text, lang)


@pytest.mark.parametrize("text", EARLIER_URGENT)
def test_the_earlier_table_of_danger(text):
    assert is_urgent(text)


@pytest.mark.parametrize("text", EARLIER_ORDINARY)
def test_the_earlier_table_of_ordinary_questions(text):
    assert not is_urgent(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("jveux plus vivre", "suicide"),
        ("il me laisse pas partir de chez lui", "confinement"),
        ("he'll post my pics if i don't send more", "sextortion"),
        ("my bf makes me see guys for money", "exploitation"),
    ],
)
def test_the_worker_is_told_why(text, reason):
    assert assess(text) == urgency.Assessment(True, reason)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Jsuis TANNÉÉÉÉ", "je suis tannee"),
        ("chu pu capable", "je suis plus capable"),
        ("j’me suis coupée", "je me suis coupee"),
        ("I don't wanna go, he'll know", "i do not want to go he will know"),
        ("kms rn", "kill myself right now"),
        ("c quoi?? 😭", "c quoi ? ? 😭"),
    ],
)
def test_texting_spellings_are_written_out(written, read):
    assert normalise(written) == read


def test_a_joke_does_not_trip_a_rule_but_a_serious_word_does():
    assert urgency.rule_category(normalise("je veux pas vivre")) == "suicide"
    assert urgency.rule_category(normalise("lol je veux pas vivre sans ma switch")) is None
    assert urgency.rule_category(normalise("i wanna die lol not joking")) == "suicide"


def test_the_corpus_is_large_balanced_and_written_both_ways(corpus):
    assert len(corpus) >= 400
    for lang in ("fr", "en"):
        mine = [e for e in corpus if e.lang == lang]
        share = sum(e.urgent for e in mine) / len(mine)
        assert 0.4 <= share <= 0.6, lang
        labels = collections.Counter(e.label for e in mine)
        assert set(labels) == {*urgency.CATEGORIES, "none"}, lang
        assert min(labels.values()) >= 20, (lang, labels)
    texts = [e.text.casefold() for e in corpus]
    assert len(texts) == len(set(texts))


def test_no_corpus_message_is_a_light_rewording_of_another(corpus):
    pairs = urgency_corpus.near_duplicates(corpus)
    assert not [(corpus[i].text, corpus[j].text, round(s, 2)) for i, j, s in pairs]


def test_a_light_rewording_is_found():
    example = urgency_corpus.Example
    pairs = urgency_corpus.near_duplicates(
        [
            example(
                "fr", "none", "cest quoi la difference entre un chum protecteur pis controlant"
            ),
            example(
                "fr", "none", "c'est quoi la différence entre un chum protecteur et controlant?"
            ),
            example("fr", "none", "jai peur de lexam du ministere"),
        ]
    )
    assert [(i, j) for i, j, _s in pairs] == [(0, 1)]


def test_no_held_out_message_is_in_the_corpus(corpus):
    held = urgency_corpus.read_tsv(urgency_corpus.HOLDOUT_FILE)
    both = corpus + held
    crossing = [(i, j) for i, j, _s in urgency_corpus.near_duplicates(both) if i < len(corpus) <= j]
    assert not [(both[i].text, both[j].text) for i, j in crossing]


def test_every_corpus_line_has_a_label_and_a_text():
    for path in urgency_corpus.corpus_files():
        with open(path, encoding="utf-8", newline="") as file:
            rows = list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
        assert rows[0] == ["label", "text"], path.name
        assert all(len(row) == 2 and row[1].strip() for row in rows[1:]), path.name


def test_the_shipped_model_was_trained_on_this_corpus():
    assert urgency_model.shipped().corpus_sha256 == urgency_corpus.corpus_sha256(), (
        "The corpus changed: run `flask help urgency-train` and commit the model."
    )


def test_the_model_file_runs_no_code_when_loaded(tmp_path):
    model = urgency_model.shipped()
    path = tmp_path / "model.npz"
    model.save(path)
    again = urgency_model.load(path)
    texts = [normalise(t) for t, _lang in ISSUE_URGENT + ISSUE_ORDINARY]
    assert again.predict_many(texts) == model.predict_many(texts)


def _assert_levels(scores, kind):
    for lang in ("fr", "en"):
        s = scores[lang]
        assert s.recall >= urgency_corpus.TARGET_RECALL, (kind, lang, s)
        assert s.false_alarm_rate <= urgency_corpus.TARGET_FALSE_ALARMS, (kind, lang, s)


# The model's measures touch no database: measured once, in the SQLite run,
# not again in the PostgreSQL run that make test runs beside it.
once = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="no database: measured in the SQLite run"
)


@once
def test_cross_validated_recall_and_false_alarms(corpus):
    scores, _misses = urgency_corpus.cross_validate(corpus)
    _assert_levels(scores, "cross-validation")


def test_the_held_out_set():
    held = urgency_corpus.read_tsv(urgency_corpus.HOLDOUT_FILE)
    assert len(held) >= 200
    decisions = urgency_corpus.decide(urgency_model.shipped(), held)
    _assert_levels(urgency_corpus.score(held, decisions), "held-out")


@once
def test_the_report_command(runner):
    result = runner.invoke(args=["help", "urgency-report", "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert "Cross-validation, 3 folds" in result.output
    assert "fr: recall" in result.output and "en: recall" in result.output
    assert "Held-out set" in result.output
