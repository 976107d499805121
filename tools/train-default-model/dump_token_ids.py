"""Writes [{text, ids}] for every UDHR paragraph (training and held-out) and for translation-
formatted strings, using the Python tokenizer, for check-tokenizer.mjs to compare against.
Usage: dump_token_ids.py CORPUS.json MODEL_DIR OUT.json"""
import json
import sys

import bpe
import corpus
import docs


def main(corpus_path, model_dir, out_path):
    langs = corpus.load(corpus_path)
    tok = bpe.Tokenizer.load(model_dir)
    cases = []
    for lang in langs:
        for p in lang["paragraphs"]:
            cases.append({"text": p["text"], "ids": tok.encode(p["text"])})
    # The product writes translation prompts as text with a literal "</s>" (methods.md §3); the
    # JS tokenizer splits special tokens out first, which must equal what training fed the model.
    names = {l["code"]: l["name"] for l in langs}
    train, _ = corpus.split(langs)
    for src, tgt in [("fr", "en"), ("en", "zh"), ("hi", "th"), ("ja", "ar")]:
        for s, t in corpus.parallel(train[src], train[tgt])[:5]:
            text = f"{names[src]}: {s}</s>{names[tgt]}: {t}</s>"
            cases.append({"text": text, "ids": docs.translation_ids(tok, names[src], s, names[tgt], t)})
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False)
    print(f"{len(cases)} strings -> {out_path}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
