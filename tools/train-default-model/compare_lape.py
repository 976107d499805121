"""Cross-check: the product's `polyglot-lens neurons` (TypeScript + onnxruntime) against
lape_reference.py on the same model and UDHR paragraphs, default settings.
Usage: compare_lape.py ENGINE_OUT_DIR/lape.json REFERENCE.json"""
import json
import sys

eng = json.load(open(sys.argv[1]))
ref = json.load(open(sys.argv[2]))["settings"][0]
same = all(eng["neurons"][c] == ref["neurons"][c] for c in ref["neurons"])
print(f"Cross-check: the product's `polyglot-lens neurons` vs lape_reference.py (default settings): bar {eng['bar']:.6f} vs {ref['bar']:.6f}; "
      f"neuron lists {'identical' if same else 'DIFFERENT'} for all {len(ref['neurons'])} languages")
sys.exit(0 if same else 1)
