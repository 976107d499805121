"""Loads the exported UDHR corpus (export-corpus.ts) and splits it into training and held-out
paragraphs. Whole articles are held out, never parts of one, so a held-out paragraph's
translation is never seen in training in any language either."""
import json

# Articles 3, 13 and 23: one every ten articles, spread over the document, so held-out text is
# neither all short nor all long. Their 7 paragraphs + 3 titles are ~11% of the ~92 per language.
HELD_OUT_ARTICLES = ("3", "13", "23")


def is_held_out(pid):
    parts = pid.split(".")
    return parts[0] == "article" and parts[1] in HELD_OUT_ARTICLES


def load(path):
    """Returns [{code, name, paragraphs: [{id, text}]}] in the exported (fixed) order."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)["languages"]


def split(langs):
    """(train, held_out): dicts code -> [(id, text)] in document order."""
    train, held = {}, {}
    for lang in langs:
        ps = [(p["id"], p["text"]) for p in lang["paragraphs"]]
        train[lang["code"]] = [p for p in ps if not is_held_out(p[0])]
        held[lang["code"]] = [p for p in ps if is_held_out(p[0])]
    return train, held


def block_sizes(paragraphs):
    sizes = {}
    for pid, _ in paragraphs:
        b = pid.rsplit(".", 1)[0]
        sizes[b] = sizes.get(b, 0) + 1
    return sizes


def parallel(a, b):
    """[(text_a, text_b)] for ids whose block has the same paragraph count in both languages
    (translators split some preamble paragraphs differently; those are not translations of
    each other position by position). Same rule as udhrParallelIds in udhr.ts."""
    sa, sb = block_sizes(a), block_sizes(b)
    tb = dict(b)
    out = []
    for pid, text in a:
        blk = pid.rsplit(".", 1)[0]
        if pid in tb and sa.get(blk) == sb.get(blk):
            out.append((text, tb[pid]))
    return out
