"""The urgency model: n-grams and two logistic regressions, trained on the corpus.

Features are hashed (scikit-learn's HashingVectorizer), so the model needs no
vocabulary: character n-grams of 2 to 5 inside words (they catch spellings
the normaliser does not know: "suicidr", "mourrir", "tannee") and word
n-grams of 1 to 3 (they catch "me laisse pas", "i owe him", "? lol"), each
block weighted by tf-idf (sublinear counts, the idf learnt from the corpus)
and scaled to unit length.

Two logistic regressions read them: one decides (urgent or not, classes
weighted by their frequency), the other, trained on the urgent messages
only, names the category a worker sees beside the mark. A message is urgent
when the first gives it at least its language's threshold: the operating
point chosen at training from a cross-validation, the highest at which rules
and model catch OPERATING_RECALL of that language's urgent messages (a miss
costs more than a look). A text of no known language gets the lowest.

The corpus is tests/data/urgency/*.tsv (`label<TAB>text`, label one of
urgency.CATEGORIES or "none"; the file's name begins with its language).
holdout.tsv is not part of it: it was written apart and is only measured.
`flask help urgency-train` trains on the corpus and writes MODEL_FILE with
the corpus's SHA-256, which a test compares so that the shipped model cannot
fall behind it. The file holds arrays only and is read with
allow_pickle=False: loading it runs no code.
"""

import csv
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize

from app.help import urgency

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS_DIR = ROOT / "tests" / "data" / "urgency"
HOLDOUT_FILE = CORPUS_DIR / "holdout.tsv"
MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "urgency_model.npz"
NONE = "none"
# The recall the threshold is chosen for, a little above the target so that
# messages unlike the corpus's keep some margin.
OPERATING_RECALL = 0.96
# What the issue asks of it, per language (tests/test_urgency.py).
TARGET_RECALL = 0.95
TARGET_FALSE_ALARMS = 0.10
C = 10.0
N_FEATURES = 2**18

_VECTORIZERS = (
    HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
    ),
    HashingVectorizer(
        analyzer="word",
        ngram_range=(1, 3),
        token_pattern=r"\S+",  # noqa: S106  (a regular expression, not a password)
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
    ),
)


def counts(normalised_texts):
    return [v.transform(normalised_texts) for v in _VECTORIZERS]


def learn_idf(blocks):
    """Smoothed idf per hashed feature, as scikit-learn's TfidfTransformer makes it."""
    idfs = []
    for block in blocks:
        n = block.shape[0]
        df = np.bincount(block.indices, minlength=block.shape[1])
        idfs.append((np.log((1 + n) / (1 + df)) + 1).astype(np.float32))
    return idfs


def weigh(blocks, idfs):
    weighed = []
    for block, idf in zip(blocks, idfs, strict=True):
        block = block.astype(np.float64)
        block.data = np.log(block.data) + 1  # sublinear term frequency
        weighed.append(normalize(block @ sp.diags(idf)))
    return sp.hstack(weighed, format="csr")


def _softmax(scores):
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass
class Model:
    idfs: list  # one array per feature block
    coef: sp.csr_matrix  # 1 × features: urgent or not
    intercept: float
    reason_coef: sp.csr_matrix  # categories × features
    reason_intercept: np.ndarray
    reasons: list
    thresholds: dict  # language -> probability at and above which a text is urgent
    corpus_sha256: str = ""

    def features(self, normalised_texts):
        return weigh(counts(normalised_texts), self.idfs)

    def _urgency(self, x):
        """The probability that each row of features is urgent."""
        scores = np.asarray((x @ self.coef.T).todense()).ravel() + self.intercept
        return 1 / (1 + np.exp(-scores))

    def threshold(self, lang):
        return self.thresholds.get(lang, min(self.thresholds.values()))

    def predict_many(self, normalised_texts, langs=None):
        """For each text, its most probable category when urgent, else None."""
        if not normalised_texts:
            return []
        langs = langs or [None] * len(normalised_texts)
        x = self.features(normalised_texts)
        limits = np.array([self.threshold(lang) for lang in langs])
        urgent = self._urgency(x) >= limits
        reasons = _softmax(np.asarray((x @ self.reason_coef.T).todense()) + self.reason_intercept)
        return [
            self.reasons[int(row.argmax())] if is_urgent else None
            for is_urgent, row in zip(urgent, reasons, strict=True)
        ]

    def predict(self, normalised_text, lang=None):
        return self.predict_many([normalised_text], [lang])[0]

    def save(self, path):
        arrays = {}
        for name, matrix in (("coef", self.coef), ("reason_coef", self.reason_coef)):
            matrix = matrix.tocsr()
            arrays[f"{name}_data"] = matrix.data.astype(np.float32)
            arrays[f"{name}_indices"] = matrix.indices.astype(np.int32)
            arrays[f"{name}_indptr"] = matrix.indptr.astype(np.int32)
            arrays[f"{name}_shape"] = np.array(matrix.shape, dtype=np.int64)
        for i, idf in enumerate(self.idfs):
            arrays[f"idf{i}"] = idf.astype(np.float32)
        np.savez_compressed(
            path,
            intercept=np.array(self.intercept),
            reason_intercept=self.reason_intercept.astype(np.float64),
            reasons=np.array(self.reasons),
            threshold_langs=np.array(sorted(self.thresholds)),
            thresholds=np.array([self.thresholds[k] for k in sorted(self.thresholds)]),
            corpus_sha256=np.array(self.corpus_sha256),
            **arrays,
        )


def _matrix(saved, name):
    return sp.csr_matrix(
        (saved[f"{name}_data"], saved[f"{name}_indices"], saved[f"{name}_indptr"]),
        shape=tuple(saved[f"{name}_shape"]),
    )


def load(path):
    with np.load(path, allow_pickle=False) as saved:
        return Model(
            idfs=[saved[f"idf{i}"] for i in range(len(_VECTORIZERS))],
            coef=_matrix(saved, "coef"),
            intercept=float(saved["intercept"]),
            reason_coef=_matrix(saved, "reason_coef"),
            reason_intercept=saved["reason_intercept"],
            reasons=[str(r) for r in saved["reasons"]],
            thresholds={
                str(k): float(v)
                for k, v in zip(saved["threshold_langs"], saved["thresholds"], strict=True)
            },
            corpus_sha256=str(saved["corpus_sha256"]),
        )


@functools.cache
def shipped():
    """The model in the repository, loaded once per process."""
    return load(MODEL_FILE)


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


def _decider():
    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000)


def train(examples, *, thresholds=None, corpus_sha="", folds=5):
    """The model for `examples`; without thresholds, those `choose_thresholds`
    finds in a cross-validation of the same examples."""
    if thresholds is None:
        thresholds = choose_thresholds(examples, out_of_fold(examples, folds=folds))
    blocks = counts([urgency.normalise(e.text) for e in examples])
    idfs = learn_idf(blocks)
    x = weigh(blocks, idfs)
    urgent = np.array([e.urgent for e in examples])
    decider = _decider().fit(x, urgent)
    namer = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    namer.fit(x[urgent], [e.label for e in examples if e.urgent])
    return Model(
        idfs=idfs,
        coef=sp.csr_matrix(decider.coef_),
        intercept=float(decider.intercept_[0]),
        reason_coef=sp.csr_matrix(namer.coef_),
        reason_intercept=namer.intercept_.copy(),
        reasons=[str(c) for c in namer.classes_],
        thresholds=dict(thresholds),
        corpus_sha256=corpus_sha,
    )


def out_of_fold(examples, *, folds=5, seed=0):
    """Each example's probability of urgency from a decider trained without it."""
    texts = [urgency.normalise(e.text) for e in examples]
    urgent = np.array([e.urgent for e in examples])
    strata = [f"{e.lang}:{e.label}" for e in examples]
    probabilities = np.zeros(len(examples))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, strata):
        blocks = counts([texts[i] for i in train_idx])
        idfs = learn_idf(blocks)
        decider = _decider().fit(weigh(blocks, idfs), urgent[train_idx])
        test = weigh(counts([texts[i] for i in test_idx]), idfs)
        probabilities[test_idx] = decider.predict_proba(test)[:, 1]
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
