"""Trains the three SentencePiece models the tokenizer parity fixtures are converted from.

Usage: /usr/bin/python3 train_spm.py CORPUS.txt OUT_DIR   (Debian: apt-get install python3-sentencepiece)

- unigram.model: Unigram with SentencePiece's nmt_nfkc normalization rule, so the model carries
  the `precompiled_charsmap` (double-array trie) that XGLM's tokenizer.json ships;
- llama.model: BPE with byte fallback and the trainer options of Llama 2's tokenizer (identity
  normalization, digits split, whitespace kept), <unk> <s> </s> as ids 0-2;
- gemma.model: the same with Gemma's special-token layout (<pad> <eos> <bos> <unk> as ids 0-3).
Small vocabularies keep the committed fixtures small; characters outside the coverage become
<unk> (Unigram) or byte tokens (BPE), which the parity test wants to exercise.
"""
import sys
import sentencepiece as spm

corpus, out = sys.argv[1], sys.argv[2]
common = dict(input=corpus, input_sentence_size=0, num_threads=1, character_coverage=0.995, minloglevel=2)
spm.SentencePieceTrainer.train(
    model_prefix=f"{out}/unigram", model_type="unigram", vocab_size=6000, normalization_rule_name="nmt_nfkc", **common
)
llama_like = dict(
    model_type="bpe", vocab_size=3000, byte_fallback=True, normalization_rule_name="identity", split_digits=True,
    allow_whitespace_only_pieces=True, remove_extra_whitespaces=False, add_dummy_prefix=True, **common
)
spm.SentencePieceTrainer.train(model_prefix=f"{out}/llama", unk_id=0, bos_id=1, eos_id=2, pad_id=-1, **llama_like)
spm.SentencePieceTrainer.train(model_prefix=f"{out}/gemma", pad_id=0, eos_id=1, bos_id=2, unk_id=3, **llama_like)
