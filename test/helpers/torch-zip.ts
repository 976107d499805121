/**
 * Writes torch.save-shaped files byte by byte, so tests can build the hostile variants a probe
 * tried (a directory that lies about its size, duplicate entries, a 200k-deep pickle) without
 * Python. The layout is what torch.save writes: a STORED zip holding `archive/data.pkl` (a pickle
 * whose tensors are persistent ids pointing at storages), `archive/data/<key>` and
 * `archive/byteorder`. Written from the zip APPNOTE and pickle's opcode table (protocol 2).
 */

export interface ZipFile {
  name: string;
  data: Buffer;
}

/** A STORED zip archive (no compression, no zip64) of `files`, in order. */
export function storedZip(files: ZipFile[]): { bytes: Buffer; centralOffset: number; centralSize: number; eocdOffset: number } {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt32LE(0, 14); // crc (not checked by readers of torch files)
    local.writeUInt32LE(f.data.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(f.data.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, f.data);
    centrals.push(central, name);
    offset += 30 + name.length + f.data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return { bytes: Buffer.concat([...locals, cd, eocd]), centralOffset: offset, centralSize: cd.length, eocdOffset: offset + cd.length };
}

/** Pickle opcodes, protocol 2 (the subset torch.save writes). */
export const op = {
  proto: Buffer.from([0x80, 2]),
  emptyDict: Buffer.from('}'),
  emptyList: Buffer.from(']'),
  mark: Buffer.from('('),
  tuple: Buffer.from('t'),
  setitems: Buffer.from('u'),
  appends: Buffer.from('e'),
  append: Buffer.from('a'),
  reduce: Buffer.from('R'),
  binpersid: Buffer.from('Q'),
  newFalse: Buffer.from([0x89]),
  emptyTuple: Buffer.from(')'),
  stop: Buffer.from('.'),
  global: (module: string, name: string): Buffer => Buffer.from(`c${module}\n${name}\n`),
  str: (s: string): Buffer => {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    return Buffer.concat([Buffer.from('X'), len, b]);
  },
  int: (v: number): Buffer => {
    const b = Buffer.alloc(5);
    b.write('J', 0);
    b.writeInt32LE(v, 1);
    return b;
  },
};

export interface PickledTensor {
  name: string;
  storage: 'IntStorage' | 'FloatStorage' | 'LongStorage';
  key: string;
  numel: number;
  shape: number[];
}

/** A state-dict pickle: tensors rebuilt with _rebuild_tensor_v2 from persistent storages, plus int scalars. */
export function stateDictPickle(tensors: PickledTensor[], scalars: Record<string, number> = {}): Buffer {
  const parts: Buffer[] = [op.proto, op.emptyDict, op.mark];
  for (const t of tensors) {
    const stride = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    parts.push(
      op.str(t.name),
      op.global('torch._utils', '_rebuild_tensor_v2'),
      op.mark,
      op.mark, op.str('storage'), op.global('torch', t.storage), op.str(t.key), op.str('cpu'), op.int(t.numel), op.tuple, op.binpersid,
      op.int(0),
      op.mark, ...t.shape.map(op.int), op.tuple,
      op.mark, ...stride.map(op.int), op.tuple,
      op.newFalse,
      op.global('collections', 'OrderedDict'), op.emptyTuple, op.reduce,
      op.tuple,
      op.reduce,
    );
  }
  for (const [k, v] of Object.entries(scalars)) parts.push(op.str(k), op.int(v));
  parts.push(op.setitems, op.stop);
  return Buffer.concat(parts);
}

/** The files of a torch.save archive: `archive/data.pkl`, one `archive/data/<key>` per storage, `archive/byteorder`. */
export function torchSaveFiles(pickle: Buffer, storages: Record<string, Buffer>): ZipFile[] {
  return [
    { name: 'archive/data.pkl', data: pickle },
    { name: 'archive/byteorder', data: Buffer.from('little') },
    ...Object.entries(storages).map(([key, data]) => ({ name: `archive/data/${key}`, data })),
  ];
}

/** What the LAPE reference's activation.py saves for one language: over_zero int32 [L, F] and n. */
export function activationCounts(over: number[][], n: number): Buffer {
  const L = over.length;
  const F = over[0]!.length;
  const data = Buffer.alloc(4 * L * F);
  over.flat().forEach((v, i) => data.writeInt32LE(v, 4 * i));
  const pickle = stateDictPickle([{ name: 'over_zero', storage: 'IntStorage', key: '0', numel: L * F, shape: [L, F] }], { n });
  return storedZip(torchSaveFiles(pickle, { '0': data })).bytes;
}
