"""Training documents: monolingual paragraphs and translation pairs, as token ids.

Monolingual: "<s>{paragraph}</s>". Translation (methods.md §3 format, one demonstration):
"<s>{Src}: {s}</s>{Tgt}: {t}</s>", so prompts like "French: …</s>English:" mean something to
the model. Ids are built piecewise; this equals tokenizing the text with the literal "</s>"
because HF tokenizers split special tokens out before pre-tokenization (checked in Node)."""
import bpe
from corpus import parallel


def mono_ids(tok, text):
    return tok.encode(text) + [bpe.EOS]


def translation_ids(tok, src_name, s, tgt_name, t):
    return (tok.encode(f"{src_name}: {s}") + [bpe.EOS]
            + tok.encode(f"{tgt_name}: {t}", bos=False) + [bpe.EOS])


def epoch_docs(tok, train, names, rng, pair_cache, translation_ratio):
    """One epoch: every training paragraph of every language once, plus
    translation_ratio × that many translation pairs with random (src, tgt) language pairs,
    drawn from rng so the epoch is a pure function of the seed."""
    out = [mono_ids(tok, t) for c in sorted(train) for _, t in train[c]]
    codes = sorted(train)
    n_pairs = int(len(out) * translation_ratio)
    while n_pairs > 0:
        src, tgt = rng.sample(codes, 2)
        key = (src, tgt)
        if key not in pair_cache:
            pair_cache[key] = parallel(train[src], train[tgt])
        pairs = pair_cache[key]
        s, t = pairs[rng.randrange(len(pairs))]
        out.append(translation_ids(tok, names[src], s, names[tgt], t))
        n_pairs -= 1
    rng.shuffle(out)
    return out


def pack(docs, seq_len):
    """Greedy packing into rows of seq_len: each row starts at a document's BOS (as at
    inference), documents are kept whole (a longer one is truncated), and the tail is <pad>,
    which the loss ignores. Right padding needs no attention mask with a causal model."""
    rows, cur = [], []
    for d in docs:
        d = d[:seq_len]
        if len(cur) + len(d) > seq_len:
            rows.append(cur + [bpe.PAD] * (seq_len - len(cur)))
            cur = []
        cur = cur + d
    if cur:
        rows.append(cur + [bpe.PAD] * (seq_len - len(cur)))
    return rows
