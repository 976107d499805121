/**
 * A minimal protobuf writer for the ONNX messages the graph builder emits (ModelProto and what it
 * contains). Field numbers follow onnx/onnx.proto3. Writing protobuf by hand keeps the engine free
 * of a protobuf runtime and code generation: the graph is small (weights live in external data),
 * so clarity beats speed here.
 */

/** ONNX TensorProto.DataType values used by the engine. */
export const enum DType {
  FLOAT = 1,
  UINT8 = 2,
  INT32 = 6,
  INT64 = 7,
  DOUBLE = 11,
  BOOL = 9,
  FLOAT16 = 10,
  BFLOAT16 = 16,
}

class Writer {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];

  private flush(): void {
    if (this.scratch.length) {
      this.chunks.push(Uint8Array.from(this.scratch));
      this.scratch = [];
    }
  }

  varint(v: number | bigint): void {
    let n = BigInt.asUintN(64, BigInt(v));
    while (n >= 0x80n) {
      this.scratch.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.scratch.push(Number(n));
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(v);
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.scratch.push(...b);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.flush();
    this.chunks.push(b);
  }

  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: Writer) => void): void {
    const inner = new Writer();
    build(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

export type AttrValue = number | string | number[] | { float: number } | { floats: number[] } | TensorInit;

/** A tensor stored either inline (raw little-endian bytes) or in an external file at an offset. */
export interface TensorInit {
  name: string;
  dtype: DType;
  dims: number[];
  raw?: Uint8Array;
  external?: { location: string; offset: number; length: number };
}

export interface NodeInit {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs?: Record<string, AttrValue>;
  domain?: string;
}

export interface ValueInfo {
  name: string;
  dtype: DType;
  /** A number is a fixed size, a string a symbolic dimension. */
  shape: (number | string)[];
}

export interface ModelInit {
  nodes: NodeInit[];
  initializers: TensorInit[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  opset: number;
  producer: string;
  graphName: string;
}

function writeTensor(w: Writer, t: TensorInit): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dtype);
  w.string(8, t.name);
  if (t.raw) w.bytes(9, t.raw);
  if (t.external) {
    const entries: [string, string][] = [
      ['location', t.external.location],
      ['offset', String(t.external.offset)],
      ['length', String(t.external.length)],
    ];
    for (const [k, v] of entries) {
      w.message(13, (e) => {
        e.string(1, k);
        e.string(2, v);
      });
    }
    w.int(14, 1); // data_location = EXTERNAL
  }
}

const enum AttrType {
  FLOAT = 1,
  INT = 2,
  STRING = 3,
  TENSOR = 4,
  FLOATS = 6,
  INTS = 7,
}

function writeAttr(w: Writer, name: string, v: AttrValue): void {
  w.string(1, name);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: use {float: x} for non-integers`);
    w.int(3, v);
    w.int(20, AttrType.INT);
  } else if (typeof v === 'string') {
    w.string(4, v);
    w.int(20, AttrType.STRING);
  } else if (Array.isArray(v)) {
    for (const x of v) w.int(8, x);
    w.int(20, AttrType.INTS);
  } else if ('float' in v) {
    w.float(2, v.float);
    w.int(20, AttrType.FLOAT);
  } else if ('floats' in v) {
    for (const x of v.floats) w.float(7, x);
    w.int(20, AttrType.FLOATS);
  } else {
    w.message(5, (t) => writeTensor(t, v));
    w.int(20, AttrType.TENSOR);
  }
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tt) => {
      tt.int(1, v.dtype);
      tt.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

/** Serialises a whole model. ir_version 8 pairs with opset 18, both supported by onnxruntime ≥ 1.14. */
export function encodeModel(m: ModelInit): Uint8Array {
  const w = new Writer();
  w.int(1, 8);
  w.string(2, m.producer);
  w.message(7, (g) => {
    for (const n of m.nodes) {
      g.message(1, (nw) => {
        for (const i of n.inputs) nw.string(1, i);
        for (const o of n.outputs) nw.string(2, o);
        nw.string(3, n.name);
        nw.string(4, n.op);
        for (const [k, v] of Object.entries(n.attrs ?? {})) nw.message(5, (a) => writeAttr(a, k, v));
        if (n.domain) nw.string(7, n.domain);
      });
    }
    g.string(2, m.graphName);
    for (const t of m.initializers) g.message(5, (tw) => writeTensor(tw, t));
    for (const i of m.inputs) g.message(11, (vw) => writeValueInfo(vw, i));
    for (const o of m.outputs) g.message(12, (vw) => writeValueInfo(vw, o));
  });
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, m.opset);
  });
  w.message(8, (o) => {
    o.string(1, 'com.microsoft');
    o.int(2, 1);
  });
  return w.finish();
}
