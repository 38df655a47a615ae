import { UserError } from '../core/errors.js';

/**
 * Parses a NumPy `.npy` file (format 1.0–3.0) of a 1- or 2-dimensional array of float64, float32
 * or int32/int64, little-endian, C order: what `numpy.save` writes for the papers' matrices.
 * Returns the rows (a vector becomes one row). `name` is used in errors (the path).
 */
export function parseNpy(bytes: Uint8Array, name: string): number[][] {
  const fail = (what: string) => new UserError(name, bytes.length, `must be a .npy file of a 1- or 2-D float or int array (${what})`, 'data error');
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw fail('no \\x93NUMPY magic');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = new TextDecoder('latin1').decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw fail('unreadable header');
  if (fortran === 'True') throw fail('Fortran order; save it with numpy.ascontiguousarray');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.length < 1 || shape.length > 2 || shape.some((n) => !Number.isInteger(n) || n < 0)) throw fail(`shape (${shapeText})`);
  const readers: Record<string, [number, (offset: number) => number]> = {
    '<f8': [8, (o) => view.getFloat64(o, true)],
    '<f4': [4, (o) => view.getFloat32(o, true)],
    '<i4': [4, (o) => view.getInt32(o, true)],
    '<i8': [8, (o) => Number(view.getBigInt64(o, true))],
  };
  const reader = readers[descr];
  if (!reader) throw fail(`dtype ${descr}; allowed: ${Object.keys(readers).join(', ')}`);
  const [rows, cols] = shape.length === 2 ? [shape[0]!, shape[1]!] : [1, shape[0]!];
  const [width, read] = reader;
  if (bytes.length !== start + rows * cols * width) throw fail(`${bytes.length - start} data bytes for shape (${shapeText}): truncated or corrupt`);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => read(start + (i * cols + j) * width)));
}
