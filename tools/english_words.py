"""Writes src/text/english_words.txt: the 30,000 most common English words, most common
first, merged by rank (the better of the two) from the English dictionaries of zxcvbn-ts
(npm @zxcvbn-ts/language-en 4.1.1, MIT): commonWords.json, word frequencies of
OpenSubtitles 2024 via OPUS (ODC-BY, notice below), and wikipedia.json, zxcvbn's English
Wikipedia list (MIT, Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.).

    npm pack @zxcvbn-ts/language-en@4.1.1 && tar xzf zxcvbn-ts-language-en-4.1.1.tgz
    python3 tools/english_words.py package/src > src/text/english_words.txt

Only needed to regenerate the list; the bot embeds the file and downloads nothing.
"""

import json
import re
import sys

KEEP = 30000
HEADER = """\
# How common English words are: 30,000 lowercase words, most common first (line order is
# rank). Merged by rank from the English dictionaries of zxcvbn-ts (@zxcvbn-ts/language-en
# 4.1.1, MIT License) by tools/english_words.py: commonWords.json and wikipedia.json.
# commonWords.json is derived from OpenSubtitles 2024 via OPUS (https://opus.nlpl.eu/,
# provider Helsinki-NLP), License: ODC-BY (Open Data Commons Attribution License); original
# data is attributed to subtitle contributors and rights holders. wikipedia.json comes from
# zxcvbn (https://github.com/dropbox/zxcvbn), MIT License, Copyright (c) 2012-2016 Dan
# Wheeler and Dropbox, Inc."""

folder = sys.argv[1]
rank = {}
for name in ("commonWords.json", "wikipedia.json"):
    with open(f"{folder}/{name}") as f:
        for i, word in enumerate(json.load(f)):
            if re.fullmatch(r"[a-z]+", word):
                rank[word] = min(rank.get(word, i + 1), i + 1)
words = sorted(rank, key=lambda w: (rank[w], w))[:KEEP]
print(HEADER)
print("\n".join(words))
