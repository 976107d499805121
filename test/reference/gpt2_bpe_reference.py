"""Independent GPT-2 byte-level BPE tokenizer, written from Hugging Face's tokenization_gpt2.py
(GPT2Tokenizer) and the fast tokenizer's rules (no transformers, no tokenizers import). It

1. learns a small BPE vocabulary (byte symbols + MERGES merges) from a multilingual corpus, and
   writes two checkpoint-style tokenizer folders without a tokenizer.json under
   test/fixtures/gpt2-files/: `gpt2` (byte symbols first, `<|endoftext|>` last, GPT-2's defaults)
   and `mgpt-style` (`<pad> <s> </s> <unk>` first, special_tokens_map.json naming them plus a
   `<mask>` the vocabulary lacks, add_bos_token and add_prefix_space in tokenizer_config.json);
2. tokenizes CASES with each folder and writes the expected ids and decoded text to
   test/fixtures/gpt2-files/expected.json, which test/engine/gpt2Files.test.ts compares against.

    /usr/bin/python3 test/reference/gpt2_bpe_reference.py

Needs Debian's python3-regex (the `regex` module, for \\p{L} in GPT-2's split pattern).
Rules followed (tokenization_gpt2.py and the tokenizers library's ByteLevel / added tokens):
- special tokens are cut out of the text first (longest first) and map to their ids;
- each remaining segment gets a leading space when add_prefix_space and it does not start with
  one (the fast tokenizer's ByteLevel pre-tokenizer; the slow one always adds it);
- GPT-2's regex splits the segment; each piece's UTF-8 bytes become byte symbols; the pair with
  the lowest merge rank is merged until none applies;
- with add_bos_token the BOS id is put first;
- decoding drops special tokens, joins the symbols and maps them back to bytes (UTF-8).
A special token missing from vocab.json gets the next id after the vocabulary, as
transformers adds it.
"""
import json
import os
from collections import Counter

import regex

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "gpt2-files")

SPLIT = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
MERGES = 120

CORPUS = [
    "the cat sat on the mat and the cat ate the rat",
    "Héllo wörld, café crème brûlée à la carte, naïve résumé",
    "Привет, мир! Как дела? Привет всем, мир прекрасен",
    "日本語のテキストです。日本語は面白い。中文文本",
    "Ελληνικά κείμενα και ελληνικά γράμματα",
    "emoji 😀😀 and 👍🏽 thumbs, don't we'll I'm",
    "line one\nline two\n\n  indented line",
    "numbers 12345 and 3.14 and 2024",
]

CASES = [
    "the cat sat on the mat",
    "Héllo wörld, café!",
    "Привет, мир! Как дела?",
    "日本語のテキスト",
    "emoji 😀👍🏽 ok",
    "  leading spaces",
    "line one\nline two\n\n  indented",
    "tabs\tand  double  spaces ",
    "numbers 12345 and 3.14",
    "don't we'll I'm",
    "mixed: naïve résumé Ελληνικά 中文",
    " Привет",
]
GPT2_ONLY = ["the<|endoftext|>next", "a <|endoftext|> b"]
MGPT_ONLY = ["<s>hello</s> мир", "x<mask>y"]


def bytes_to_unicode():
    """Byte value -> printable character: printable Latin-1 bytes keep their character, the rest
    (controls, space, soft hyphen, ...) take 256, 257, ... in byte order."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    table = {b: chr(b) for b in keep}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    order = keep + [b for b in range(256) if b not in keep]
    return table, order


BYTE_CHAR, BYTE_ORDER = bytes_to_unicode()
CHAR_BYTE = {c: b for b, c in BYTE_CHAR.items()}


def to_symbols(piece):
    return "".join(BYTE_CHAR[b] for b in piece.encode("utf-8"))


def learn_merges(corpus, n):
    words = Counter()
    for line in corpus:
        for piece in SPLIT.findall(line):
            words[tuple(to_symbols(piece))] += 1
    merges = []
    for _ in range(n):
        pairs = Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        merged = Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += c
        words = merged
    return merges


def bpe(symbols, ranks):
    word = list(symbols)
    while len(word) > 1:
        pairs = [(ranks.get((a, b)), i) for i, (a, b) in enumerate(zip(word, word[1:])) if (a, b) in ranks]
        if not pairs:
            break
        rank = min(r for r, _ in pairs)
        a, b = next((word[i], word[i + 1]) for r, i in pairs if r == rank)
        out, i = [], 0
        while i < len(word):
            if i + 1 < len(word) and word[i] == a and word[i + 1] == b:
                out.append(a + b)
                i += 2
            else:
                out.append(word[i])
                i += 1
        word = out
    return word


class Reference:
    def __init__(self, vocab, merges, specials, add_prefix_space, bos):
        self.vocab = vocab
        self.inv = {i: t for t, i in vocab.items()}
        self.ranks = {m: r for r, m in enumerate(merges)}
        self.specials = specials  # content -> id
        self.add_prefix_space = add_prefix_space
        self.bos = bos

    def segments(self, text):
        """Splits out special tokens, longest first, leftmost first."""
        out, i, start = [], 0, 0
        order = sorted(self.specials, key=len, reverse=True)
        while i < len(text):
            hit = next((s for s in order if text.startswith(s, i)), None)
            if hit is None:
                i += 1
                continue
            if start < i:
                out.append(text[start:i])
            out.append(hit)
            i += len(hit)
            start = i
        if start < len(text):
            out.append(text[start:])
        return out

    def encode(self, text):
        ids = [self.specials[self.bos]] if self.bos else []
        for seg in self.segments(text):
            if seg in self.specials:
                ids.append(self.specials[seg])
                continue
            if self.add_prefix_space and not seg.startswith(" "):
                seg = " " + seg
            for piece in SPLIT.findall(seg):
                ids.extend(self.vocab[s] for s in bpe(to_symbols(piece), self.ranks))
        return ids

    def decode(self, ids):
        special_ids = set(self.specials.values())
        symbols = "".join(self.inv[i] for i in ids if i not in special_ids)
        return bytes(CHAR_BYTE[c] for c in symbols).decode("utf-8", errors="replace")


def write_folder(name, vocab, merges, files):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, indent=0)
        f.write("\n")
    with open(os.path.join(d, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")
    for fname, obj in files.items():
        with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=1)
            f.write("\n")


def main():
    merges = learn_merges(CORPUS, MERGES)
    symbols = [BYTE_CHAR[b] for b in BYTE_ORDER]
    for a, b in merges:
        if a + b not in symbols:
            symbols.append(a + b)

    gpt2_vocab = {s: i for i, s in enumerate(symbols)}
    gpt2_vocab["<|endoftext|>"] = len(gpt2_vocab)
    write_folder("gpt2", gpt2_vocab, merges, {"tokenizer_config.json": {"model_max_length": 1024}})
    gpt2 = Reference(gpt2_vocab, merges, {"<|endoftext|>": gpt2_vocab["<|endoftext|>"]}, False, None)

    heads = ["<pad>", "<s>", "</s>", "<unk>"]
    mgpt_vocab = {s: i for i, s in enumerate(heads + symbols)}
    mask_id = len(mgpt_vocab)  # not in vocab.json: appended after it
    write_folder(
        "mgpt-style",
        mgpt_vocab,
        merges,
        {
            "special_tokens_map.json": {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"},
            "tokenizer_config.json": {"tokenizer_class": "GPT2Tokenizer", "add_bos_token": True, "add_prefix_space": True, "bos_token": "<|endoftext|>"},
        },
    )
    mgpt_specials = {t: mgpt_vocab[t] for t in heads}
    mgpt_specials["<mask>"] = mask_id
    mgpt = Reference(mgpt_vocab, merges, mgpt_specials, True, "<s>")

    cases = []
    for variant, ref, extra in (("gpt2", gpt2, GPT2_ONLY), ("mgpt-style", mgpt, MGPT_ONLY)):
        for text in CASES + extra:
            ids = ref.encode(text)
            cases.append({"folder": variant, "text": text, "ids": ids, "decoded": ref.decode(ids)})
    expected = {
        "merges": len(merges),
        "vocab": {"gpt2": len(gpt2_vocab), "mgpt-style": len(mgpt_vocab) + 1},
        "specialIds": {"gpt2": {"eos": gpt2_vocab["<|endoftext|>"]}, "mgpt-style": {"bos": 1, "eos": 2, "pad": 0, "unk": 3, "mask": mask_id}},
        "cases": cases,
    }
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(merges)} merges, {len(cases)} cases -> {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
