"""Times sumy's TextRank on the sections briefbot's `sumy` bench wrote (one JSON string a line).

Run by `benches/sumy.rs` inside the virtualenv it creates (`target/sumy-venv`, sumy pinned
there). Prints one JSON object: sections, runs, mean and median microseconds a section.

sumy's English tokenizer loads NLTK's Punkt model, which NLTK downloads from GitHub at run
time; that host is out of reach here, so the tokenizer below is sumy's own `Tokenizer` with
the one thing it cannot load replaced: an untrained `PunktSentenceTokenizer` (the same
algorithm and code, default parameters, sumy's extra abbreviations) for sentences, and for
words what `nltk.word_tokenize` does (Punkt sentences, then the Treebank word tokenizer).
Everything else (sumy's word filter, the Snowball stemmer, sumy's stop words, the document
model, TextRank) is sumy's code unchanged.
"""

import json
import statistics
import sys
import time

from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer
from sumy.nlp.stemmers import Stemmer
from sumy.nlp.tokenizers import Tokenizer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words


class _WordTokenizer:
    """`nltk.word_tokenize` without its data download: Punkt sentences, Treebank words."""

    def __init__(self, sentences):
        self._sentences = sentences
        self._words = NLTKWordTokenizer()

    def tokenize(self, text):
        return [w for s in self._sentences.tokenize(text) for w in self._words.tokenize(s)]


class OfflineTokenizer(Tokenizer):
    def _get_sentence_tokenizer(self, language):
        return PunktSentenceTokenizer()

    def _get_word_tokenizer(self, language):
        return _WordTokenizer(PunktSentenceTokenizer())


def main():
    path, runs, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(path, encoding="utf-8") as f:
        sections = [json.loads(line) for line in f if line.strip()]
    tokenizer = OfflineTokenizer("english")
    summarizer = TextRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def summarize(text):
        document = PlaintextParser.from_string(text, tokenizer).document
        return summarizer(document, k)

    for text in sections:  # warm-up: imports, regex compilation, caches
        summarize(text)
    per_run = []
    chosen = 0
    for _ in range(runs):
        start = time.perf_counter()
        for text in sections:
            chosen += len(summarize(text))
        per_run.append((time.perf_counter() - start) / len(sections) * 1e6)
    print(json.dumps({
        "sections": len(sections),
        "runs": runs,
        "mean_us": statistics.fmean(per_run),
        "median_us": statistics.median(per_run),
        "sentences_chosen": chosen // runs,
    }))


if __name__ == "__main__":
    main()
