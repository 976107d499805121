/**
 * Reads a SentencePiece `.model` file (a serialized ModelProto, sentencepiece_model.proto) far
 * enough to convert it as transformers' converters do: the pieces with score and type, the
 * trainer's model type and byte_fallback, and the normalizer's precompiled_charsmap.
 */

export const enum PieceType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6,
}

export interface SpmPiece {
  piece: string;
  score: number;
  type: PieceType;
}

export interface SpmModel {
  pieces: SpmPiece[];
  /** 1 Unigram, 2 BPE. */
  modelType: number;
  byteFallback: boolean;
  unkPiece: string;
  /** The normalization rule compiled to SentencePiece's double-array trie + replacement strings (empty for identity). */
  precompiledCharsmap: Buffer;
}

type Field = { no: number; wire: number; value: number | Buffer };

/** The fields of one protobuf message, in order (varints as numbers, 32-bit values and length-delimited as bytes). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 2) {
      const len = varint();
      out.push({ no, wire, value: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 5) {
      out.push({ no, wire, value: buf.subarray(i, i + 4) });
      i += 4;
    } else if (wire === 1) {
      out.push({ no, wire, value: buf.subarray(i, i + 8) });
      i += 8;
    } else throw new Error(`protobuf wire type ${wire} not expected in a SentencePiece model`);
  }
  return out;
}

const bytesOf = (f: Field | undefined): Buffer => (f && Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0));
const numOf = (f: Field | undefined, dflt: number): number => (f && typeof f.value === 'number' ? f.value : dflt);

export function readSpmModel(buf: Buffer): SpmModel {
  const top = fields(buf);
  const pieces = top
    .filter((f) => f.no === 1)
    .map((f) => {
      const p = fields(bytesOf(f));
      const score = p.find((x) => x.no === 2);
      return {
        piece: bytesOf(p.find((x) => x.no === 1)).toString('utf8'),
        score: score ? bytesOf(score).readFloatLE(0) : 0,
        type: numOf(p.find((x) => x.no === 3), PieceType.Normal) as PieceType,
      };
    });
  const trainer = fields(bytesOf(top.find((f) => f.no === 2)));
  const normalizer = fields(bytesOf(top.find((f) => f.no === 3)));
  return {
    pieces,
    modelType: numOf(trainer.find((f) => f.no === 3), 1),
    byteFallback: numOf(trainer.find((f) => f.no === 35), 0) === 1,
    unkPiece: trainer.find((f) => f.no === 45) ? bytesOf(trainer.find((f) => f.no === 45)).toString('utf8') : '<unk>',
    precompiledCharsmap: Buffer.from(bytesOf(normalizer.find((f) => f.no === 2))),
  };
}
