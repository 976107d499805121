/** Small runtime type guards for validating messages and report data received from elsewhere. */
import { isEncodedTyped, type EncodedTyped } from './wire';

export const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isStr = (x: unknown): x is string => typeof x === 'string';
export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isInt = (x: unknown): x is number => Number.isInteger(x);
export const isNonNegInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
export const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
export const isArrOf = <T>(x: unknown, item: (v: unknown) => v is T): x is T[] => Array.isArray(x) && x.every(item);
export const isTyped = (x: unknown, kind: EncodedTyped['$typed']): x is EncodedTyped => isEncodedTyped(x) && x.$typed === kind;
/** `x` may be absent; if present it must pass `item`. */
export const isOpt = <T>(x: unknown, item: (v: unknown) => v is T): x is T | undefined => x === undefined || item(x);
