/**
 * A small typed DSL over ONNX nodes: each method appends one node and returns the name of its
 * output, so adapters read like the model's forward pass. Shapes are noted in comments at the
 * call sites (`// [N, d_model]`).
 */
import { DType, encodeModel, type AttrValue, type NodeInit, type TensorInit, type ValueInfo } from './proto';

/** Opset 18: ReduceMean/ReduceSum take axes as inputs; supported by every onnxruntime ≥ 1.14. */
export const OPSET = 18;

export class GraphBuilder {
  readonly nodes: NodeInit[] = [];
  readonly initializers: TensorInit[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  private counter = 0;
  private readonly constCache = new Map<string, string>();

  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  op(op: string, inputs: string[], attrs?: Record<string, AttrValue>, hint = op, outputName?: string): string {
    const out = outputName ?? this.fresh(hint);
    this.nodes.push({ op, inputs, outputs: [out], name: this.fresh(`n_${op}`), attrs });
    return out;
  }

  /** Makes an existing value available under a stable name (hook points, graph outputs). */
  name(value: string, as: string): string {
    return this.op('Identity', [value], undefined, 'id', as);
  }

  input(name: string, dtype: DType, shape: (number | string)[]): string {
    this.inputs.push({ name, dtype, shape });
    return name;
  }

  output(name: string, dtype: DType, shape: (number | string)[]): void {
    this.outputs.push({ name, dtype, shape });
  }

  /** An int64 constant vector (shapes, axes), shared between uses. */
  ints(values: number[]): string {
    const key = `i64:${values.join(',')}`;
    let name = this.constCache.get(key);
    if (!name) {
      name = this.fresh('c_i64');
      const raw = new BigInt64Array(values.map((v) => BigInt(v)));
      this.initializers.push({ name, dtype: DType.INT64, dims: [values.length], raw: new Uint8Array(raw.buffer) });
      this.constCache.set(key, name);
    }
    return name;
  }

  /** A float scalar constant. */
  scalar(value: number): string {
    const key = `f32:${value}`;
    let name = this.constCache.get(key);
    if (!name) {
      name = this.fresh('c_f32');
      this.initializers.push({ name, dtype: DType.FLOAT, dims: [], raw: new Uint8Array(new Float32Array([value]).buffer) });
      this.constCache.set(key, name);
    }
    return name;
  }

  /** A float32 constant tensor of the given shape (ALiBi slopes, frequency tables), shared between uses. */
  floats(values: ArrayLike<number>, dims: number[] = [values.length]): string {
    const data = Float32Array.from(values);
    const key = `f32v:${dims.join('x')}:${data.join(',')}`;
    let name = this.constCache.get(key);
    if (!name) {
      name = this.fresh('c_f32v');
      this.initializers.push({ name, dtype: DType.FLOAT, dims, raw: new Uint8Array(data.buffer) });
      this.constCache.set(key, name);
    }
    return name;
  }

  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  reshape(x: string, shape: number[]): string {
    return this.op('Reshape', [x, this.ints(shape)]);
  }
  transpose(x: string, perm: number[]): string {
    return this.op('Transpose', [x], { perm });
  }
  matmul(a: string, b: string): string {
    return this.op('MatMul', [a, b]);
  }
  /** y = x · Wᵀ (+ bias): HF Linear weights are [out, in], used as stored. */
  linear(x: string, w: string, bias?: string): string {
    return this.op('Gemm', bias ? [x, w, bias] : [x, w], { transB: 1 });
  }

  encode(graphName: string): Uint8Array {
    return encodeModel({
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      opset: OPSET,
      producer: 'polyglot-lens',
      graphName,
    });
  }
}
