"""The training stream: a seeded mixture of five document kinds, so that every ability the model
card measures has data behind it (issue #15).

| kind | document | for |
|---|---|---|
| udhr    | "<s>{paragraph}</s>" (training articles of 21 languages)           | natural text, LAPE, continuation |
| udhr_mt | §3 pair of two training paragraphs in random languages             | translation format on real text |
| toy     | "<s>" + 2–6 toy-world clauses of one language, space-joined         | each language's grammar |
| toy_mt  | 1–4 §3 pairs of one direction: "{Src}: s</s>{Tgt}: t</s>…"        | translation, k-shot prompts |
| task    | "<s>{instruction prompt} {answer}</s>"                              | instructions (yes/no, size 1–5) |

Shares are of documents drawn; TOKEN_SHARES in train.py's log are measured, not assumed. Only
training clauses (toyworld's split) and training articles are used. Every draw comes from one
random.Random, so the stream is a pure function of the seed."""
import bpe
from corpus import parallel
from docs import mono_ids, translation_ids

NAMES = {"en": "English", "fr": "French", "de": "German", "ru": "Russian", "ja": "Japanese", "zh": "Chinese", "ar": "Arabic", "hi": "Hindi"}

# Document draw weights. Translation is the hardest ability and the one the studies measure, so
# it gets the most; natural text keeps ~a fifth of the tokens so continuation and LAPE have
# real language behind them without repeating the small UDHR too often (it is memorised past
# ~10 passes).
WEIGHTS = {"udhr": 0.10, "udhr_mt": 0.02, "toy": 0.18, "toy_mt": 0.40, "task": 0.30}
ENGLISH_CENTRIC = 0.75  # share of toy_mt documents with English on one side


class Cycle:
    """Draws items in shuffled passes, so every item is seen equally often."""

    def __init__(self, items, rng):
        self.items, self.rng, self.order = list(items), rng, []

    def next(self):
        if not self.order:
            self.order = list(range(len(self.items)))
            self.rng.shuffle(self.order)
        return self.items[self.order.pop()]


class Mixture:
    def __init__(self, tok, udhr_train, udhr_names, toy, rng):
        self.tok, self.rng, self.udhr_names = tok, rng, udhr_names
        self.udhr_train, self.udhr_codes = udhr_train, sorted(udhr_train)
        self.udhr = Cycle([t for c in self.udhr_codes for _, t in udhr_train[c]], rng)
        self.pair_cache = {}
        self.toy_langs = list(toy["languages"])
        self.toy = Cycle(toy["train"], rng)
        self.tasks = Cycle(toy["tasks"], rng)
        self.kinds = sorted(WEIGHTS)
        self.cum = []
        acc = 0.0
        for k in self.kinds:
            acc += WEIGHTS[k]
            self.cum.append(acc)

    def kind(self):
        x = self.rng.random() * self.cum[-1]
        return next(k for k, c in zip(self.kinds, self.cum) if x < c)

    def doc(self):
        k = self.kind()
        return k, getattr(self, "_" + k)()

    def _udhr(self):
        return mono_ids(self.tok, self.udhr.next())

    def _udhr_mt(self):
        src, tgt = self.rng.sample(self.udhr_codes, 2)
        if (src, tgt) not in self.pair_cache:
            self.pair_cache[(src, tgt)] = parallel(self.udhr_train[src], self.udhr_train[tgt])
        pairs = self.pair_cache[(src, tgt)]
        s, t = pairs[self.rng.randrange(len(pairs))]
        return translation_ids(self.tok, self.udhr_names[src], s, self.udhr_names[tgt], t)

    def _toy(self):
        lang = self.toy_langs[self.rng.randrange(len(self.toy_langs))]
        n = self.rng.randint(2, 6)
        return mono_ids(self.tok, " ".join(self.toy.next()["text"][lang] for _ in range(n)))

    def _toy_mt(self):
        if self.rng.random() < ENGLISH_CENTRIC:
            other = self.rng.choice([l for l in self.toy_langs if l != "en"])
            src, tgt = ("en", other) if self.rng.random() < 0.5 else (other, "en")
        else:
            src, tgt = self.rng.sample(self.toy_langs, 2)
        ids = []
        for i in range(self.rng.randint(1, 4)):
            r = self.toy.next()["text"]
            d = translation_ids(self.tok, NAMES[src], r[src], NAMES[tgt], r[tgt])
            ids += d if i == 0 else d[1:]  # one BOS per document, as in a k-shot prompt
        return ids

    def _task(self):
        item = self.tasks.next()
        return self.tok.encode(f"{item['prompt']} {item['answer']}") + [bpe.EOS]
