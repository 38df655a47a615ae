/**
 * Tables of the 128-layer Marsaglia–Tsang ziggurat for the standard normal
 * (Marsaglia & Tsang, J. Stat. Softw. 5(8), 2000; numerics-measured.md §3: 3–8× faster than
 * Box–Muller in every stack). Following Doornik (2005) the layer index and the magnitude come
 * from disjoint bits of one 32-bit draw (7 index bits, 25 signed magnitude bits), which removes
 * the correlation of the original RNOR.
 */
import { exp, log } from '../core/math.js';
export const ZIGGURAT_LAYERS = 128;
/** Scale of the signed 25-bit magnitude (2^24). */
export const ZIGGURAT_SCALE = 16777216;
/** Right edge of the base layer. */
export const ZIGGURAT_R = 3.442619855899;

export const zigK = new Float64Array(ZIGGURAT_LAYERS);
export const zigW = new Float64Array(ZIGGURAT_LAYERS);
export const zigF = new Float64Array(ZIGGURAT_LAYERS);

(function buildTables() {
  const vn = 9.91256303526217e-3; // area of each layer
  let dn = ZIGGURAT_R;
  let tn = dn;
  const q = vn / exp(-0.5 * dn * dn);
  zigK[0] = (dn / q) * ZIGGURAT_SCALE;
  zigK[1] = 0;
  zigW[0] = q / ZIGGURAT_SCALE;
  zigW[127] = dn / ZIGGURAT_SCALE;
  zigF[0] = 1;
  zigF[127] = exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * log(vn / dn + exp(-0.5 * dn * dn)));
    zigK[i + 1] = (dn / tn) * ZIGGURAT_SCALE;
    tn = dn;
    zigF[i] = exp(-0.5 * dn * dn);
    zigW[i] = dn / ZIGGURAT_SCALE;
  }
})();
