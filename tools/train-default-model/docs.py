"""Training documents: monolingual paragraphs and translation pairs, as token ids.

Monolingual: "<s>{paragraph}</s>". Translation (methods.md §3 format, one demonstration):
"<s>{Src}: {s}</s>{Tgt}: {t}</s>", so prompts like "French: …</s>English:" mean something to
the model. Ids are built piecewise; this equals tokenizing the text with the literal "</s>"
because HF tokenizers split special tokens out before pre-tokenization (checked in Node)."""
import bpe


def mono_ids(tok, text):
    return tok.encode(text) + [bpe.EOS]


def translation_ids(tok, src_name, s, tgt_name, t):
    return (tok.encode(f"{src_name}: {s}") + [bpe.EOS]
            + tok.encode(f"{tgt_name}: {t}", bos=False) + [bpe.EOS])


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
