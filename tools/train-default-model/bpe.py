"""Byte-level BPE, trained and applied here, saved as a standard Hugging Face tokenizer.json.

Pre-tokenization is a regex split followed by GPT-2 byte-to-unicode mapping (the layout Llama-3
and Qwen tokenizers use). Our regex differs from GPT-2's in one way that matters for this corpus:
letters *and combining marks* (\\p{M}) and the zero-width (non-)joiners stay in one word.
GPT-2's `\\p{L}+` cuts Devanagari, Thai and Sinhala words at every vowel sign, which would waste
the vocabulary on mark fragments. Scripts without spaces (Chinese, Japanese, Thai) form long
letter runs between punctuation; BPE merges inside those runs, so it learns frequent
multi-character words there."""
import heapq
import json
import regex

SPECIALS = ["<unk>", "<s>", "</s>", "<pad>"]  # ids 0-3: Llama's unk/bos/eos ids, then padding
UNK, BOS, EOS, PAD = 0, 1, 2, 3
PATTERN = r" ?[\p{L}\p{M}\u200c\u200d]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}\u200c\u200d]+|\s+(?!\S)|\s+"
_RE = regex.compile(PATTERN)


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character map (what HF's ByteLevel uses)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


B2U = bytes_to_unicode()
U2B = {v: k for k, v in B2U.items()}


def pre_tokenize(text):
    return ["".join(B2U[b] for b in piece.encode("utf-8")) for piece in _RE.findall(text)]


def train(texts, vocab_size):
    """Returns merges [(a, b)] in rank order. Ties are broken by the pair's string order so the
    result does not depend on dict iteration order or hashing."""
    words = {}
    for t in texts:
        for w in pre_tokenize(t):
            words[w] = words.get(w, 0) + 1
    seqs = [list(w) for w in words]
    freqs = list(words.values())
    pair_count, where = {}, {}
    for i, s in enumerate(seqs):
        for p in zip(s, s[1:]):
            pair_count[p] = pair_count.get(p, 0) + freqs[i]
            where.setdefault(p, set()).add(i)
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    merges = []
    n_merges = vocab_size - len(SPECIALS) - 256
    while len(merges) < n_merges and heap:
        negc, p = heapq.heappop(heap)
        if pair_count.get(p, 0) != -negc or negc == 0:
            continue  # stale heap entry
        merges.append(p)
        new = p[0] + p[1]
        changed = set()
        for i in where.pop(p, ()):
            s, f = seqs[i], freqs[i]
            for q in zip(s, s[1:]):  # remove this word's old pairs
                pair_count[q] -= f
                changed.add(q)
            j, out = 0, []
            while j < len(s):
                if j + 1 < len(s) and s[j] == p[0] and s[j + 1] == p[1]:
                    out.append(new)
                    j += 2
                else:
                    out.append(s[j])
                    j += 1
            seqs[i] = out
            for q in zip(out, out[1:]):
                pair_count[q] = pair_count.get(q, 0) + f
                where.setdefault(q, set()).add(i)
                changed.add(q)
        pair_count.pop(p, None)
        for q in changed:
            if q != p and pair_count.get(q, 0) > 0:
                heapq.heappush(heap, (-pair_count[q], q))
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.vocab = {s: i for i, s in enumerate(SPECIALS)}
        for b in range(256):
            self.vocab[B2U[b]] = len(self.vocab)
        for a, b in self.merges:
            self.vocab[a + b] = len(self.vocab)
        self.id_to_token = {i: s for s, i in self.vocab.items()}
        self.rank = {m: r for r, m in enumerate(self.merges)}
        self.cache = {}

    def bpe_word(self, word):
        """Ids of one pre-token (already byte-mapped, as pre_tokenize returns it)."""
        if word in self.cache:
            return self.cache[word]
        s = list(word)
        while len(s) > 1:
            best = min(zip(s, s[1:]), key=lambda q: self.rank.get(q, float("inf")))
            if best not in self.rank:
                break
            j, out = 0, []
            while j < len(s):
                if j + 1 < len(s) and s[j] == best[0] and s[j + 1] == best[1]:
                    out.append(best[0] + best[1])
                    j += 2
                else:
                    out.append(s[j])
                    j += 1
            s = out
        ids = [self.vocab[t] for t in s]
        self.cache[word] = ids
        return ids

    def encode(self, text, bos=True):
        """Text without special tokens; BOS first, as tokenizer.json's post-processor does."""
        ids = [BOS] if bos else []
        for w in pre_tokenize(text):
            ids.extend(self.bpe_word(w))
        return ids

    def decode(self, ids):
        data = bytearray()
        for i in ids:
            if i >= len(SPECIALS):
                data.extend(U2B[c] for c in self.id_to_token[i])
        return data.decode("utf-8", errors="replace")

    def __len__(self):
        return len(self.vocab)

    def save(self, folder, model_max_length):
        """tokenizer.json + tokenizer_config.json + special_tokens_map.json."""
        added = [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": True} for i, s in enumerate(SPECIALS)]
        bos = {"SpecialToken": {"id": "<s>", "type_id": 0}}
        tok = {
            "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": PATTERN}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
            "post_processor": {"type": "TemplateProcessing",
                               "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}],
                               "pair": [bos, {"Sequence": {"id": "A", "type_id": 0}},
                                        {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                               "special_tokens": {"<s>": {"id": "<s>", "ids": [BOS], "tokens": ["<s>"]}}},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                      "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                      "vocab": self.vocab, "merges": [f"{a} {b}" for a, b in self.merges]},
        }
        with open(f"{folder}/tokenizer.json", "w", encoding="utf-8") as f:
            json.dump(tok, f, ensure_ascii=False)
        cfg = {"add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "eos_token": "</s>",
               "unk_token": "<unk>", "pad_token": "<pad>", "clean_up_tokenization_spaces": False,
               "model_max_length": model_max_length, "tokenizer_class": "PreTrainedTokenizerFast"}
        with open(f"{folder}/tokenizer_config.json", "w") as f:
            json.dump(cfg, f, indent=2)
        with open(f"{folder}/special_tokens_map.json", "w") as f:
            json.dump({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}, f, indent=2)

    @staticmethod
    def load(folder):
        with open(f"{folder}/tokenizer.json", encoding="utf-8") as f:
            return Tokenizer([m.split(" ") for m in json.load(f)["model"]["merges"]])
