/** Row-major [rows, cols] → [cols, rows]: GPT-2's Conv1D weights are stored [in, out]. */
export function transpose2d<T extends Float32Array | Uint8Array>(a: T, rows: number, cols: number): T {
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[base + c]!;
  }
  return out;
}
