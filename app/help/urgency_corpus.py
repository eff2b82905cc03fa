"""The urgency corpus, and what the model is measured and tuned by.

The corpus is tests/data/urgency/*.tsv (`label<TAB>text`, label one of
urgency.CATEGORIES or "none"; the file's name begins with its language).
holdout.tsv is not part of it: it was written apart and is only measured.

`train` chooses each language's threshold from a cross-validation: the
highest at which rules and model catch OPERATING_RECALL of that language's
urgent messages (a miss costs more than a look), then trains the model
(app/help/urgency_model.py) on the whole corpus. `cross_validate` and
`score` give the recall and false alarms that `flask help urgency-report`
prints and tests/test_urgency.py holds to the targets.
"""

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.model_selection import StratifiedKFold

from app.help import urgency, urgency_model

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS_DIR = ROOT / "tests" / "data" / "urgency"
HOLDOUT_FILE = CORPUS_DIR / "holdout.tsv"
NONE = "none"
# The recall the threshold is chosen for, a little above the target so that
# messages unlike the corpus's keep some margin.
OPERATING_RECALL = 0.96
# What the issue asks of it, per language (tests/test_urgency.py).
TARGET_RECALL = 0.95
TARGET_FALSE_ALARMS = 0.10
# Above this similarity two messages are one message twice (near_duplicates).
NEAR_DUPLICATE = 0.9


@dataclass(frozen=True)
class Example:
    lang: str
    label: str
    text: str

    @property
    def urgent(self):
        return self.label != NONE


def read_tsv(path, *, lang=None):
    """Examples from a corpus file: `label<TAB>text` (lang from the file's name),
    or `lang<TAB>urgent<TAB>text` as the held-out file has it."""
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    examples = []
    for row in rows:
        if "label" in row:
            label = row["label"].strip()
            if label != NONE and label not in urgency.CATEGORIES:
                raise ValueError(f"{path.name}: unknown label {label!r}")
            examples.append(Example(lang or path.stem[:2], label, row["text"]))
        else:
            label = "urgent" if row["urgent"].strip() == "1" else NONE
            examples.append(Example(row["lang"].strip(), label, row["text"]))
    return examples


def corpus_files(folder=CORPUS_DIR):
    files = sorted(p for p in Path(folder).glob("*.tsv") if p.name != HOLDOUT_FILE.name)
    if not files:
        raise FileNotFoundError(
            f"The urgency corpus is not here ({folder}): it lives in the repository's "
            "tests/data/urgency/, not in an installed copy."
        )
    return files


def read_corpus(folder=CORPUS_DIR):
    return [e for path in corpus_files(folder) for e in read_tsv(path, lang=path.stem[:2])]


def corpus_sha256(folder=CORPUS_DIR):
    digest = hashlib.sha256()
    for path in corpus_files(folder):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def near_duplicates(examples, *, limit=NEAR_DUPLICATE):
    """Pairs of examples (indices, similarity) whose normalised texts share so many
    character 4-grams (cosine >= limit) that one is a light rewording of the other.

    Such a pair would sit in two folds and flatter the cross-validation."""
    texts = [urgency.normalise(e.text) for e in examples]
    grams = HashingVectorizer(
        analyzer="char_wb", ngram_range=(4, 4), alternate_sign=False, binary=True
    ).transform(texts)
    similar = sp.triu(grams @ grams.T, k=1).tocoo()
    return [
        (int(i), int(j), float(s))
        for i, j, s in zip(similar.row, similar.col, similar.data, strict=True)
        if s >= limit
    ]


def train(examples, *, corpus_sha="", folds=5):
    """The model for `examples`, with thresholds from their cross-validation."""
    thresholds = choose_thresholds(examples, out_of_fold(examples, folds=folds))
    return urgency_model.train(examples, thresholds=thresholds, corpus_sha=corpus_sha)


def out_of_fold(examples, *, folds=5, seed=0):
    """Each example's probability of urgency from a decider trained without it."""
    texts = [urgency.normalise(e.text) for e in examples]
    urgent = np.array([e.urgent for e in examples])
    strata = [f"{e.lang}:{e.label}" for e in examples]
    probabilities = np.zeros(len(examples))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, strata):
        decider = urgency_model.fit_decider([texts[i] for i in train_idx], urgent[train_idx])
        test = decider.features([texts[i] for i in test_idx])
        probabilities[test_idx] = decider.probabilities(test)
    return probabilities


def choose_thresholds(examples, probabilities, *, recall=OPERATING_RECALL):
    """Per language, the highest threshold at which rules and model together catch
    `recall` of its urgent messages: as few false alarms as that recall allows."""
    by_rule = np.array(
        [urgency.rule_category(urgency.normalise(e.text)) is not None for e in examples]
    )
    thresholds = {}
    for lang in sorted({e.lang for e in examples}):
        mine = np.array([e.lang == lang and e.urgent for e in examples])
        left = np.sort(probabilities[mine & ~by_rule])
        misses_allowed = int(np.floor((1 - recall) * mine.sum()))
        thresholds[lang] = float(left[min(misses_allowed, len(left) - 1)]) if len(left) else 1.0
    return thresholds


def decide(model, examples):
    """Rules, then the model, as urgency.assess does: urgent or not, per example."""
    texts = [urgency.normalise(e.text) for e in examples]
    by_model = model.predict_many(texts, [e.lang for e in examples])
    return [
        urgency.rule_category(text) is not None or predicted is not None
        for text, predicted in zip(texts, by_model, strict=True)
    ]


@dataclass(frozen=True)
class Score:
    lang: str
    urgent: int
    caught: int
    ordinary: int
    false_alarms: int

    @property
    def recall(self):
        return self.caught / self.urgent if self.urgent else 1.0

    @property
    def false_alarm_rate(self):
        return self.false_alarms / self.ordinary if self.ordinary else 0.0


def score(examples, decisions):
    """Per language (and "all"): recall on urgent ones, false alarms on the others."""
    results = {}
    for lang in [*sorted({e.lang for e in examples}), "all"]:
        pairs = [
            (e, d) for e, d in zip(examples, decisions, strict=True) if lang in (e.lang, "all")
        ]
        results[lang] = Score(
            lang=lang,
            urgent=sum(e.urgent for e, _d in pairs),
            caught=sum(e.urgent and d for e, d in pairs),
            ordinary=sum(not e.urgent for e, _d in pairs),
            false_alarms=sum((not e.urgent) and d for e, d in pairs),
        )
    return results


def cross_validate(examples, *, folds=5, thresholds=None, seed=0):
    """Rules, and for the rest a decider trained without the example; (scores, misses).

    Without thresholds, those chosen from these same folds (as `train` does):
    one number per language fitted to the data it is measured on, so the
    held-out set is the honest check."""
    probabilities = out_of_fold(examples, folds=folds, seed=seed)
    if thresholds is None:
        thresholds = choose_thresholds(examples, probabilities)
    decisions = [
        urgency.rule_category(urgency.normalise(e.text)) is not None or p >= thresholds[e.lang]
        for e, p in zip(examples, probabilities, strict=True)
    ]
    misses = [e for e, d in zip(examples, decisions, strict=True) if e.urgent != d]
    return score(examples, decisions), misses
