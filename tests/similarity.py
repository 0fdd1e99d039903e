"""TF-IDF cosine similarity of short texts (stdlib only), for the near-duplicate check."""

import math
import re
from collections import Counter
from itertools import combinations

STOPWORDS = frozenset(
    (
        "a an and are as at be by can do does for from how i if in is it its of on or our should "
        "that the their them then there these they this to we what when where which while who why "
        "will with would you your"
    ).split()
)


SUFFIXES = ("isation", "ization", "ising", "izing", "ised", "ized", "ise", "ize", "ing", "ed", "es", "s")


def stem(word: str) -> str:
    """A light suffix strip so optimise/optimising and index/indexes meet."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [stem(w) for w in words if w not in STOPWORDS and len(w) > 1]


def most_similar_pairs(texts: dict[str, str], top: int = 5) -> list[tuple[float, str, str]]:
    """The `top` most similar pairs of texts as (cosine, key_a, key_b), most similar first."""
    counts = {key: Counter(tokens(text)) for key, text in texts.items()}
    df = Counter(word for c in counts.values() for word in c)
    n = len(counts)
    vectors = {}
    for key, c in counts.items():
        # Sublinear tf: a word said twice is not twice the evidence.
        v = {w: (1 + math.log(tf)) * math.log((1 + n) / (1 + df[w])) for w, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[key] = {w: x / norm for w, x in v.items()}
    pairs = []
    for a, b in combinations(vectors, 2):
        va, vb = vectors[a], vectors[b]
        if len(va) > len(vb):
            va, vb = vb, va
        pairs.append((sum(x * vb.get(w, 0.0) for w, x in va.items()), a, b))
    pairs.sort(reverse=True)
    return pairs[:top]
