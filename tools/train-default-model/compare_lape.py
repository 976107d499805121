"""Cross-check: the product's `polyglot-lens neurons` (TypeScript + onnxruntime) against
lape_reference.py on the same model and UDHR paragraphs, default settings. Prints which languages
agree and, for the others, the neurons only one side selected. A neuron whose LAPE lies at the
entropy threshold can flip when a gate pre-activation within float rounding of 0 is counted
differently by onnxruntime and PyTorch (both F32, different summation orders); such a flip shows
up here instead of being hidden.
Usage: compare_lape.py ENGINE_OUT_DIR/lape.json REFERENCE.json"""
import json
import sys

eng = json.load(open(sys.argv[1]))
ref = json.load(open(sys.argv[2]))["settings"][0]
diffs = []
for c in ref["neurons"]:
    e = {(l, j) for l, js in enumerate(eng["neurons"][c]) for j in js}
    r = {(l, j) for l, js in enumerate(ref["neurons"][c]) for j in js}
    if e != r:
        fmt = lambda s: ", ".join(f"L{l}.N{j}" for l, j in sorted(s)) or "-"
        diffs.append(f"{c}: engine only {fmt(e - r)}; reference only {fmt(r - e)}")
n = len(ref["neurons"])
print(f"Cross-check: the product's `polyglot-lens neurons` vs lape_reference.py (default settings): bar {eng['bar']:.6f} vs {ref['bar']:.6f}; "
      f"neuron lists identical for {n - len(diffs)}/{n} languages" + (f"; differences: {'; '.join(diffs)}" if diffs else ""))
