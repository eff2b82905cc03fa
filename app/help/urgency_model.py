"""The urgency model: n-grams and two logistic regressions.

Features are hashed (scikit-learn's HashingVectorizer), so the model needs no
vocabulary: character n-grams of 2 to 5 inside words (they catch spellings
the normaliser does not know: "suicidr", "mourrir", "tannee") and word
n-grams of 1 to 3 (they catch "me laisse pas", "i owe him", "? lol"), each
block weighted by tf-idf (sublinear counts, the idf learnt from the corpus)
and scaled to unit length.

Two readers decide together, each giving a probability of urgency, and the
message's is their mean (`Decider`):
- a logistic regression (classes weighted by their frequency), which
  weighs each n-gram on its own;
- its NEIGHBOURS nearest corpus messages (cosine of the same features),
  each counting as much as its similarity to the power WEIGHT_POWER: a
  message close to ordinary ones stays ordinary even when it shares
  danger's words ("ma mere va me tuer si elle lapprend"). The mean cut
  cross-validated false alarms by a third at the same recall.
A third reader, a logistic regression trained on the urgent messages only,
names the category a worker sees beside the mark. A message is urgent when
its probability reaches its language's threshold, chosen at training
(app/help/urgency_corpus.py); a text of no known language gets the lowest.

`flask help urgency-train` trains on the corpus and writes MODEL_FILE with
the corpus's SHA-256, which a test compares so that the shipped model cannot
fall behind it. The file holds arrays only (the neighbours as their
normalised texts, whose features are computed at load) and is read with
allow_pickle=False: loading it runs no code.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from app.help import urgency

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "urgency_model.npz"
C = 10.0
N_FEATURES = 2**18
NEIGHBOURS = 15
WEIGHT_POWER = 4

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
    """tf-idf of `blocks`, each row of each block scaled to unit length.

    Each stored count is multiplied by its feature's idf in place: the same
    numbers as a product with the idf's diagonal matrix, without making or
    walking a matrix as wide as the hashed features (2**18), which was most
    of the cost of weighing one message."""
    weighed = []
    for block, idf in zip(blocks, idfs, strict=True):
        # HashingVectorizer's counts are summed per feature and at least 1.
        block = block.astype(np.float64)
        block.data = (np.log(block.data) + 1) * idf[block.indices]  # sublinear tf × idf
        weighed.append(_unit_rows(block))
    return sp.hstack(weighed, format="csr")


def _unit_rows(matrix):
    """sklearn's normalize(matrix) (l2, rows) without its checks of the
    arguments, which cost more than the arithmetic for one message: the
    same function on a fresh float64 CSR matrix, so the same numbers."""
    matrix = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
    inplace_csr_row_normalize_l2(matrix)
    return matrix


def _softmax(scores):
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass
class Decider:
    """The probability that a message is urgent: a regression and neighbours."""

    idfs: list  # one array per feature block
    coef: sp.csr_matrix  # 1 × features
    intercept: float
    neighbour_texts: list  # normalised corpus messages
    neighbour_urgent: np.ndarray  # bool, one per neighbour text
    neighbours: sp.csr_matrix = None  # their features, computed from the texts

    def __post_init__(self):
        if self.neighbours is None:
            self.neighbours = self.features(self.neighbour_texts)
        # Kept transposed, row-compressed: one message against all of them is
        # then a sparse product in under a millisecond (70 times faster).
        self._neighbours_t = self.neighbours.T.tocsr()
        # The coefficients as a plain vector (4 MB): a message's score is then
        # its few hundred features looked up, not a sparse product.
        self._coef = np.asarray(self.coef.todense(), dtype=np.float64).ravel()

    def features(self, normalised_texts):
        return weigh(counts(normalised_texts), self.idfs)

    def probabilities(self, x):
        """For each row of features, the mean of the two readers' probabilities."""
        scores = x @ self._coef + self.intercept
        by_regression = 1 / (1 + np.exp(-scores))
        similar = (x @ self._neighbours_t).toarray()
        k = min(NEIGHBOURS, similar.shape[1])
        nearest = np.argpartition(-similar, k - 1, axis=1)[:, :k]
        weights = np.take_along_axis(similar, nearest, axis=1) ** WEIGHT_POWER
        votes = self.neighbour_urgent[nearest]
        by_neighbours = (weights * votes).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return (by_regression + by_neighbours) / 2


def fit_decider(normalised_texts, urgent):
    """The decider for these messages (`urgent`: one bool each)."""
    blocks = counts(normalised_texts)
    idfs = learn_idf(blocks)
    x = weigh(blocks, idfs)
    urgent = np.asarray(urgent, dtype=bool)
    regression = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(x, urgent)
    return Decider(
        idfs=idfs,
        coef=sp.csr_matrix(regression.coef_),
        intercept=float(regression.intercept_[0]),
        neighbour_texts=list(normalised_texts),
        neighbour_urgent=urgent,
        neighbours=x,
    )


@dataclass
class Model:
    decider: Decider
    reason_coef: sp.csr_matrix  # categories × features
    reason_intercept: np.ndarray
    reasons: list
    thresholds: dict  # language -> probability at and above which a text is urgent
    corpus_sha256: str = ""

    def __post_init__(self):
        self._reason_coef_t = self.reason_coef.T.tocsr()  # as Decider's coefficients

    def threshold(self, lang):
        return self.thresholds.get(lang, min(self.thresholds.values()))

    def predict_many(self, normalised_texts, langs=None):
        """For each text, its most probable category when urgent, else None."""
        if not normalised_texts:
            return []
        langs = langs or [None] * len(normalised_texts)
        x = self.decider.features(normalised_texts)
        limits = np.array([self.threshold(lang) for lang in langs])
        urgent = self.decider.probabilities(x) >= limits
        named = {}
        if urgent.any():  # named only when urgent: most messages are not
            rows = np.flatnonzero(urgent)
            scores = np.asarray((x[rows] @ self._reason_coef_t).todense()) + self.reason_intercept
            named = dict(zip(rows.tolist(), _softmax(scores).argmax(axis=1).tolist(), strict=True))
        return [self.reasons[named[i]] if i in named else None for i in range(len(urgent))]

    def predict(self, normalised_text, lang=None):
        return self.predict_many([normalised_text], [lang])[0]

    def save(self, path):
        decider = self.decider
        arrays = {}
        for name, matrix in (("coef", decider.coef), ("reason_coef", self.reason_coef)):
            matrix = matrix.tocsr()
            arrays[f"{name}_data"] = matrix.data.astype(np.float32)
            arrays[f"{name}_indices"] = matrix.indices.astype(np.int32)
            arrays[f"{name}_indptr"] = matrix.indptr.astype(np.int32)
            arrays[f"{name}_shape"] = np.array(matrix.shape, dtype=np.int64)
        for i, idf in enumerate(decider.idfs):
            arrays[f"idf{i}"] = idf.astype(np.float32)
        np.savez_compressed(
            path,
            intercept=np.array(decider.intercept),
            neighbour_texts=np.array("\n".join(decider.neighbour_texts)),
            neighbour_urgent=decider.neighbour_urgent.astype(bool),
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
        decider = Decider(
            idfs=[saved[f"idf{i}"] for i in range(len(_VECTORIZERS))],
            coef=_matrix(saved, "coef"),
            intercept=float(saved["intercept"]),
            neighbour_texts=str(saved["neighbour_texts"]).split("\n"),
            neighbour_urgent=saved["neighbour_urgent"].astype(bool),
        )
        return Model(
            decider=decider,
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


def train(examples, *, thresholds, corpus_sha=""):
    """The model for `examples` (anything with text, label and urgent), urgent at
    `thresholds` ({language: probability})."""
    texts = [urgency.normalise(e.text) for e in examples]
    decider = fit_decider(texts, [e.urgent for e in examples])
    urgent = decider.neighbour_urgent
    namer = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    namer.fit(decider.neighbours[urgent], [e.label for e in examples if e.urgent])
    return Model(
        decider=decider,
        reason_coef=sp.csr_matrix(namer.coef_),
        reason_intercept=namer.intercept_.copy(),
        reasons=[str(c) for c in namer.classes_],
        thresholds=dict(thresholds),
        corpus_sha256=corpus_sha,
    )
