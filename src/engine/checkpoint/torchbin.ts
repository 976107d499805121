/**
 * Reads `pytorch_model.bin` (PyTorch's zip + pickle format, `torch.save` since 1.6) without
 * executing it: the pickle goes through the restricted unpickler (pickle.ts) with an allowlist of
 * exactly what a state dict needs (tensor rebuild functions, storage types, OrderedDict), the same
 * set `torch.load(weights_only=True)` accepts. Tensors become `TensorEntry`s pointing into the
 * stored zip entries, so their data is read in place like a safetensors file's.
 */
import { statUserFile } from '../io/userFile';
import { UserError } from '../errors';
import { PickleError, unpickle, type PickleGlobal, type PickleValue } from './pickle';
import type { NumericDType, SafetensorsDType, TensorEntry } from './safetensors';
import { isZip, readZipDirectory, readZipEntry, type ZipEntry } from './zip';

/** Element sizes of every storage type torch writes; only the float ones become weights. */
const STORAGES: Record<string, { bytes: number; dtype?: SafetensorsDType; numeric?: NumericDType }> = {
  FloatStorage: { bytes: 4, dtype: 'F32' },
  HalfStorage: { bytes: 2, dtype: 'F16' },
  BFloat16Storage: { bytes: 2, dtype: 'BF16' },
  DoubleStorage: { bytes: 8, numeric: 'F64' },
  LongStorage: { bytes: 8, numeric: 'I64' },
  IntStorage: { bytes: 4, numeric: 'I32' },
  ShortStorage: { bytes: 2 },
  CharStorage: { bytes: 1 },
  ByteStorage: { bytes: 1 },
  BoolStorage: { bytes: 1 },
};

const REBUILD = new Set([
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch._tensor._rebuild_from_type_v2',
]);
const TYPES = new Set(['collections.OrderedDict', 'torch.Tensor', 'torch.nn.parameter.Parameter']);

function allowGlobal(module: string, name: string): boolean {
  const full = `${module}.${name}`;
  return REBUILD.has(full) || TYPES.has(full) || (module === 'torch' && name in STORAGES);
}

interface Storage {
  key: string;
  type: string;
  numel: number;
  entry: ZipEntry;
}
interface Tensor {
  storage: Storage;
  offset: number;
  size: number[];
  stride: number[];
}

/** A tensor the engine cannot use as a weight (integer or bool buffers such as GPT-2's attn.bias). */
export interface OtherTensor {
  name: string;
  storageType: string;
}

const isGlobal = (v: PickleValue, full: string): v is PickleGlobal => !!v && typeof v === 'object' && 'kind' in v && v.kind === 'global' && `${v.module}.${v.name}` === full;
const asObject = <T>(v: PickleValue | undefined): T | undefined => (v && typeof v === 'object' && 'kind' in v && v.kind === 'object' ? (v.value as T) : undefined);
const ints = (v: PickleValue | undefined, what: string): number[] => {
  const items = v && typeof v === 'object' && 'kind' in v && v.kind === 'tuple' ? v.items : undefined;
  if (!items || !items.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) throw new PickleError(`tensor ${what} is not a tuple of non-negative integers`);
  return items as number[];
};

/**
 * `numeric`: F64/I64/I32 tensors (never weights; statistics such as the LAPE reference's
 * `over_zero` counts), and `scalars`: plain numbers stored next to the tensors (its token count `n`).
 */
export function readTorchBinHeader(file: string): { tensors: TensorEntry[]; others: OtherTensor[]; numeric: TensorEntry[]; scalars: Map<string, number> } {
  // stat before open: opening a FIFO for reading would block the loader forever.
  const size = statUserFile(file, 'data');
  if (size < 22) throw new UserError(file, `truncated PyTorch checkpoint (${size} bytes)`);
  if (!isZip(file)) {
    throw new UserError(file, `not a zip-format PyTorch checkpoint (the legacy pre-1.6 torch.save format is not supported; re-save it with a current PyTorch or convert it to safetensors)`);
  }
  const entries = readZipDirectory(file);
  const pkl = entries.filter((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (pkl.length !== 1) throw new UserError(file, `not a PyTorch checkpoint (expected one <archive>/data.pkl entry, found ${pkl.length})`);
  const prefix = pkl[0]!.name.slice(0, -'data.pkl'.length);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const order = byName.get(`${prefix}byteorder`);
  if (order && readZipEntry(file, order).toString('ascii').trim() !== 'little') throw new UserError(file, 'big-endian PyTorch checkpoints are not supported');

  const storages = new Map<string, Storage>();
  const persistentLoad = (pid: PickleValue): PickleValue => {
    const t = pid && typeof pid === 'object' && 'kind' in pid && pid.kind === 'tuple' ? pid.items : [];
    const [tag, type, key, , numel] = t;
    if (tag !== 'storage' || !(type && typeof type === 'object' && 'kind' in type && type.kind === 'global') || typeof key !== 'string' || typeof numel !== 'number') {
      throw new PickleError('malformed storage reference in the pickle');
    }
    if (type.module !== 'torch' || !(type.name in STORAGES)) throw new PickleError(`storage ${key} has type ${type.module}.${type.name}, which is not a storage type`);
    let s = storages.get(key);
    if (!s) {
      const info = STORAGES[type.name]!;
      const entry = byName.get(`${prefix}data/${key}`);
      if (!entry) throw new PickleError(`storage ${key} is missing from the archive (truncated?)`);
      if (entry.method !== 0) throw new PickleError(`storage ${key} is compressed; torch.save writes storages uncompressed`);
      if (entry.size !== numel * info.bytes) throw new PickleError(`storage ${key} holds ${entry.size} bytes but ${type.name} of ${numel} elements needs ${numel * info.bytes}`);
      s = { key, type: type.name, numel, entry };
      storages.set(key, s);
    }
    return { kind: 'object', value: s };
  };
  const reduce = (fn: PickleGlobal, args: PickleValue[]): PickleValue => {
    const full = `${fn.module}.${fn.name}`;
    if (full === 'collections.OrderedDict') {
      const pairs = args[0];
      const entries: [PickleValue, PickleValue][] = [];
      if (Array.isArray(pairs)) for (const p of pairs) if (p && typeof p === 'object' && 'kind' in p && p.kind === 'tuple' && p.items.length === 2) entries.push([p.items[0]!, p.items[1]!]);
      return { kind: 'dict', entries };
    }
    if (full === 'torch._utils._rebuild_tensor' || full === 'torch._utils._rebuild_tensor_v2') {
      const storage = asObject<Storage>(args[0]);
      if (!storage || !('entry' in storage)) throw new PickleError('tensor rebuilt from something that is not a storage');
      const offset = args[1];
      if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw new PickleError('tensor storage offset is not a non-negative integer');
      const t: Tensor = { storage, offset, size: ints(args[2], 'size'), stride: ints(args[3], 'stride') };
      return { kind: 'object', value: t };
    }
    if (full === 'torch._utils._rebuild_parameter' || full === 'torch._utils._rebuild_parameter_with_state') return args[0] ?? null;
    if (full === 'torch._tensor._rebuild_from_type_v2') {
      const [func, type, inner] = args;
      if (!(isGlobal(type ?? null, 'torch.Tensor') || isGlobal(type ?? null, 'torch.nn.parameter.Parameter'))) throw new PickleError('tensor subclass other than Tensor/Parameter');
      if (!(func && typeof func === 'object' && 'kind' in func && func.kind === 'global' && REBUILD.has(`${func.module}.${func.name}`))) throw new PickleError('tensor rebuilt by an unexpected function');
      // torch wraps a tensor rebuild in _rebuild_from_type_v2 once; a rebuild of a rebuild would
      // only recurse (200k deep, until the stack overflows).
      if (isGlobal(func, 'torch._tensor._rebuild_from_type_v2')) throw new PickleError('_rebuild_from_type_v2 nested inside itself (torch never writes that)');
      if (!(inner && typeof inner === 'object' && 'kind' in inner && inner.kind === 'tuple')) throw new PickleError('tensor rebuild without arguments');
      return reduce(func, inner.items);
    }
    throw new PickleError(`global ${full} cannot be called in a state dict`);
  };

  let root: PickleValue;
  try {
    root = unpickle(readZipEntry(file, pkl[0]!), { allowGlobal, reduce, persistentLoad });
  } catch (e) {
    if (e instanceof PickleError) throw new UserError(file, e.message);
    // The unpickler is iterative; should any structure still nest past the stack, say so by file.
    if (e instanceof RangeError) throw new UserError(file, `the pickle nests too deeply to be a state dict (${e.message})`);
    throw e;
  }
  if (!(root && typeof root === 'object' && 'kind' in root && root.kind === 'dict')) throw new UserError(file, 'not a state dict (the pickle holds no dictionary of tensors)');

  const tensors: TensorEntry[] = [];
  const others: OtherTensor[] = [];
  const numeric: TensorEntry[] = [];
  const scalars = new Map<string, number>();
  for (const [k, v] of root.entries) {
    if (typeof k === 'string' && typeof v === 'number') scalars.set(k, v);
    const t = asObject<Tensor>(v);
    if (typeof k !== 'string' || !t || !('storage' in t)) continue;
    const info = STORAGES[t.storage.type]!;
    const numel = t.size.reduce((a, b) => a * b, 1);
    let expect = 1;
    for (let d = t.size.length - 1; d >= 0; d--) {
      if (t.size[d] !== 1 && t.stride[d] !== expect) throw new UserError(file, `tensor ${k} is not contiguous (stride [${t.stride.join(', ')}] for shape [${t.size.join(', ')}]); re-save it with .contiguous()`);
      expect *= t.size[d]!;
    }
    if (numel > 0 && t.offset + numel > t.storage.numel) throw new UserError(file, `tensor ${k} runs past the end of its storage`);
    if (!info.dtype) {
      if (info.numeric) numeric.push({ name: k, dtype: info.numeric, shape: t.size, file, offset: t.storage.entry.dataOffset + t.offset * info.bytes, byteLength: numel * info.bytes });
      others.push({ name: k, storageType: t.storage.type });
      continue;
    }
    tensors.push({ name: k, dtype: info.dtype, shape: t.size, file, offset: t.storage.entry.dataOffset + t.offset * info.bytes, byteLength: numel * info.bytes });
  }
  return { tensors, others, numeric, scalars };
}
