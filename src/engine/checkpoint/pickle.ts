/**
 * A restricted unpickler: it interprets the pickle opcodes a PyTorch state dict uses and nothing
 * that could run code. A pickle names callables by GLOBAL (module, name); each one is checked
 * against an allowlist the moment it is read, so a forbidden global (`posix system`,
 * `builtins eval`, …) stops the load before anything after it is even parsed. Allowed callables
 * are never "called": REDUCE hands them to the caller's `reduce`, which builds plain data.
 * This is the TypeScript counterpart of `torch.load(weights_only=True)`.
 */

export class PickleError extends Error {}

export interface PickleGlobal {
  kind: 'global';
  module: string;
  name: string;
}
export interface PickleTuple {
  kind: 'tuple';
  items: PickleValue[];
}
export interface PickleDict {
  kind: 'dict';
  entries: [PickleValue, PickleValue][];
}
/** Whatever the caller's `reduce` or `persistentLoad` built. */
export interface PickleObject {
  kind: 'object';
  value: unknown;
}
export type PickleValue = null | boolean | number | string | Uint8Array | PickleValue[] | PickleGlobal | PickleTuple | PickleDict | PickleObject;

export interface UnpickleHooks {
  /** Whether `module.name` may appear at all; `describe` is used in the error when not. */
  allowGlobal(module: string, name: string): boolean;
  /** REDUCE of an allowed global with its argument tuple. */
  reduce(fn: PickleGlobal, args: PickleValue[]): PickleValue;
  /** BINPERSID: the persistent id (torch: a storage reference). */
  persistentLoad(pid: PickleValue): PickleValue;
}

const MARK = Symbol('mark');
const PY2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };
type Slot = PickleValue | typeof MARK;

export function unpickle(data: Uint8Array, hooks: UnpickleHooks): PickleValue {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const stack: Slot[] = [];
  const memo = new Map<number, PickleValue>();
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > data.length) throw new PickleError(`pickle ends early at byte ${pos} (truncated?)`);
  };
  const u8 = (): number => (need(1), data[pos++]!);
  const u16 = (): number => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = (): number => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const bytes = (n: number): Uint8Array => (need(n), (pos += n), data.subarray(pos - n, pos));
  const text = (n: number): string => new TextDecoder('utf-8').decode(bytes(n));
  const line = (): string => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) throw new PickleError(`pickle ends early at byte ${pos} (truncated?)`);
    const s = new TextDecoder('utf-8').decode(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw new PickleError(`malformed pickle: stack underflow at byte ${pos}`);
    return v;
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw new PickleError(`malformed pickle: stack underflow at byte ${pos}`);
    return v;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError(`malformed pickle: no MARK at byte ${pos}`);
    const items = stack.splice(at) as PickleValue[];
    items.shift();
    return items;
  };
  const global = (pickled: string, name: string): PickleGlobal => {
    // Protocol ≤ 2 writes Python 3 modules under their Python 2 names; map them as Python does.
    const module = PY2_MODULES[pickled] ?? pickled;
    if (!hooks.allowGlobal(module, name)) throw new PickleError(`forbidden global ${module}.${name} (a state dict needs only tensors; refusing to load)`);
    return { kind: 'global', module, name };
  };
  const setItems = (target: PickleValue, kv: PickleValue[]): void => {
    if (!(target && typeof target === 'object' && 'kind' in target && target.kind === 'dict')) throw new PickleError('malformed pickle: SETITEM(S) on a non-dict');
    for (let i = 0; i + 1 < kv.length; i += 2) target.entries.push([kv[i]!, kv[i + 1]!]);
  };
  const appendItems = (target: PickleValue, items: PickleValue[]): void => {
    if (!Array.isArray(target)) throw new PickleError('malformed pickle: APPEND(S) on a non-list');
    // One by one: push(...items) passes every item as an argument, and 300k of them overflow the stack.
    for (const item of items) target.push(item);
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        bytes(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push({ kind: 'tuple', items: [] });
        break;
      case 0x74: // TUPLE
        stack.push({ kind: 'tuple', items: popMark() });
        break;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const n = op - 0x84;
        const items: PickleValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop());
        stack.push({ kind: 'tuple', items });
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x7d: // EMPTY_DICT
        stack.push({ kind: 'dict', entries: [] });
        break;
      case 0x64: {
        // DICT
        const d: PickleDict = { kind: 'dict', entries: [] };
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        appendItems(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement of n bytes
        const n = u8();
        const b = bytes(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (n > 0 && b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new PickleError(`integer ${v} at byte ${at} is out of range`);
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(bytes(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(bytes(u32()));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) throw new PickleError(`malformed pickle: memo ${k} read before it was written (byte ${at})`);
        stack.push(memo.get(k)!);
        break;
      }
      case 0x30: // POP
        stack.pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleError(`malformed pickle: STACK_GLOBAL without names at byte ${at}`);
        stack.push(global(module, name));
        break;
      }
      case 0x69: {
        // INST "module\nname\n": names a class to instantiate; check it so the error names it
        const module = line();
        global(module, line());
        throw new PickleError(`unsupported pickle opcode INST at byte ${at} (not something a state dict contains)`);
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        if (!(fn && typeof fn === 'object' && 'kind' in fn && fn.kind === 'global')) throw new PickleError(`malformed pickle: REDUCE of a non-global at byte ${at}`);
        if (!(args && typeof args === 'object' && 'kind' in args && args.kind === 'tuple')) throw new PickleError(`malformed pickle: REDUCE without an argument tuple at byte ${at}`);
        stack.push(hooks.reduce(fn, args.items));
        break;
      }
      case 0x62: // BUILD: object state (OrderedDict._metadata, tensor attributes) is not needed
        pop();
        top();
        break;
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop()));
        break;
      default:
        throw new PickleError(`unsupported pickle opcode 0x${op.toString(16)} at byte ${at} (not something a state dict contains)`);
    }
  }
}
