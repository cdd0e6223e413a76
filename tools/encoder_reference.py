#!/usr/bin/env python3
"""A numpy reference of briefbot's sentence encoder (src/text/encoder/): BERT's uncased
tokenizer and forward pass with mean pooling, written from the model's published
architecture, to check the Rust one against.

    python3 tools/encoder_reference.py DIR "sentence one" "sentence two" ...
        prints each sentence's first numbers and the cosine of each pair with the first
    python3 tools/encoder_reference.py --tiny DIR
        writes a tiny random BERT (2 layers, 16 numbers) to DIR, the fixture of
        src/text/encoder's tests, and prints what the tests expect of it

On all-MiniLM-L6-v2 (tools/model.sh) it gives the cosines sentence-transformers
publishes: "The new movie is awesome" / "The new movie is so great" 0.8939, "The cat sits
outside" / "The cat plays in the garden" 0.6788, "I love pasta" / "Do you like pizza?"
0.5096. Needs numpy.
"""
import json, math, os, struct, sys, unicodedata
import numpy as np


def read_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__" or v["dtype"] != "F32":
            continue
        a, b = v["data_offsets"]
        out[k] = np.frombuffer(data[8 + n + a: 8 + n + b], dtype="<f4").reshape(v["shape"])
    return out


def write_safetensors(path, tensors):
    header, blobs, at = {}, [], 0
    for k, t in sorted(tensors.items()):
        b = np.ascontiguousarray(t, dtype="<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [at, at + len(b)]}
        blobs.append(b)
        at += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


class Encoder:
    def __init__(self, folder):
        self.c = json.load(open(os.path.join(folder, "config.json")))
        self.w = read_safetensors(os.path.join(folder, "model.safetensors"))
        self.vocab = {l.rstrip("\n"): i for i, l in enumerate(open(os.path.join(folder, "vocab.txt"), encoding="utf-8"))}

    def basic(self, text):
        keep = []
        for ch in text:
            cat = unicodedata.category(ch)
            if ord(ch) == 0 or ord(ch) == 0xFFFD or (cat in ("Cc", "Cf") and ch not in "\t\n\r"):
                continue
            keep.append(" " if ch.isspace() else ch)
        out = []
        for w in "".join(keep).lower().split():
            w = "".join(ch for ch in unicodedata.normalize("NFD", w) if unicodedata.category(ch) != "Mn")
            cur = ""
            for ch in w:
                cp = ord(ch)
                if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126 or unicodedata.category(ch).startswith("P"):
                    if cur:
                        out.append(cur)
                        cur = ""
                    out.append(ch)
                else:
                    cur += ch
            if cur:
                out.append(cur)
        return out

    def pieces(self, w):
        if len(w) > 100:
            return ["[UNK]"]
        toks, s = [], 0
        while s < len(w):
            e, cur = len(w), None
            while s < e:
                sub = w[s:e] if s == 0 else "##" + w[s:e]
                if sub in self.vocab:
                    cur = sub
                    break
                e -= 1
            if cur is None:
                return ["[UNK]"]
            toks.append(cur)
            s = e
        return toks

    def ids(self, text, maxlen=256):
        t = [p for w in self.basic(text) for p in self.pieces(w)][: maxlen - 2]
        return [self.vocab["[CLS]"]] + [self.vocab[p] for p in t] + [self.vocab["[SEP]"]]

    def encode(self, text):
        W, c = self.w, self.c
        h, heads = c["hidden_size"], c["num_attention_heads"]
        eps = c.get("layer_norm_eps", 1e-12)
        ids = self.ids(text)
        n = len(ids)

        def ln(x, p):
            m = x.mean(-1, keepdims=True)
            v = ((x - m) ** 2).mean(-1, keepdims=True)
            return (x - m) / np.sqrt(v + eps) * W[p + ".weight"] + W[p + ".bias"]

        def lin(x, p):
            return x @ W[p + ".weight"].T + W[p + ".bias"]

        erf = np.vectorize(math.erf)
        x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:n] + W["embeddings.token_type_embeddings.weight"][0]
        x = ln(x.astype(np.float64), "embeddings.LayerNorm")
        d = h // heads
        for l in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{l}."
            q, k, v = (lin(x, p + "attention.self." + m).reshape(n, heads, d).transpose(1, 0, 2) for m in ("query", "key", "value"))
            s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(1, 0, 2).reshape(n, h)
            x = ln(lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            z = lin(x, p + "intermediate.dense")
            z = 0.5 * z * (1 + erf(z / math.sqrt(2)))
            x = ln(lin(z, p + "output.dense") + x, p + "output.LayerNorm")
        e = x.mean(0)
        return e / np.linalg.norm(e)


def tiny(folder):
    """A tiny BERT with seeded random weights and a small vocabulary."""
    rng = np.random.default_rng(7)
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "cat", "sat", "on", "mat", "dog", "ran", "home", ".", "##s", "a", "bank", "river", "money"]
    h, inner, layers, heads, positions = 16, 32, 2, 4, 32
    c = {"hidden_size": h, "num_hidden_layers": layers, "num_attention_heads": heads, "intermediate_size": inner,
         "max_position_embeddings": positions, "vocab_size": len(words), "layer_norm_eps": 1e-12, "hidden_act": "gelu", "type_vocab_size": 2}
    r = lambda *s: rng.normal(0, 0.5, s).astype(np.float32)
    t = {"embeddings.word_embeddings.weight": r(len(words), h), "embeddings.position_embeddings.weight": r(positions, h),
         "embeddings.token_type_embeddings.weight": r(2, h), "embeddings.LayerNorm.weight": 1 + r(h) / 5, "embeddings.LayerNorm.bias": r(h) / 5}
    for l in range(layers):
        p = f"encoder.layer.{l}."
        for m in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            t[p + m + ".weight"], t[p + m + ".bias"] = r(h, h), r(h)
        t[p + "intermediate.dense.weight"], t[p + "intermediate.dense.bias"] = r(inner, h), r(inner)
        t[p + "output.dense.weight"], t[p + "output.dense.bias"] = r(h, inner), r(h)
        for m in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[p + m + ".weight"], t[p + m + ".bias"] = 1 + r(h) / 5, r(h) / 5
    os.makedirs(os.path.join(folder, "1_Pooling"), exist_ok=True)
    json.dump(c, open(os.path.join(folder, "config.json"), "w"), indent=1)
    json.dump({"word_embedding_dimension": h, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True},
              open(os.path.join(folder, "1_Pooling", "config.json"), "w"), indent=1)
    open(os.path.join(folder, "vocab.txt"), "w").write("\n".join(words) + "\n")
    write_safetensors(os.path.join(folder, "model.safetensors"), t)


def main():
    if sys.argv[1:2] == ["--tiny"]:
        tiny(sys.argv[2])
        e = Encoder(sys.argv[2])
        for s in ["The cats sat on a mat.", "A dog ran home."]:
            print(s, e.ids(s), " ".join(f"{x:.6f}" for x in e.encode(s)))
        print("cosine", float(e.encode("The cats sat on a mat.") @ e.encode("A dog ran home.")))
        return
    e = Encoder(sys.argv[1])
    v = [e.encode(s) for s in sys.argv[2:]]
    for s, x in zip(sys.argv[2:], v):
        print(f"{float(x @ v[0]):.4f}", " ".join(f"{y:.5f}" for y in x[:4]), s)


if __name__ == "__main__":
    main()
