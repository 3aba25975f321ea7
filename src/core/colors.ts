/**
 * Whether colours stay apart for readers with colour-vision deficiencies: each colour simulated for
 * protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1, in linear RGB),
 * then compared in CIELAB (ΔE 1976). Used to check bloc palettes: the map tells blocs apart by colour.
 */
type Rgb = [number, number, number];
const MACHADO: Record<'protanopia' | 'deuteranopia' | 'tritanopia', number[][]> = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
export type Vision = 'normal' | keyof typeof MACHADO;
export const VISIONS: Vision[] = ['normal', 'protanopia', 'deuteranopia', 'tritanopia'];

function hexToLinear(hex: string): Rgb {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new RangeError(`"${hex}" is not a colour as #rrggbb`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
}

function simulate(rgb: Rgb, vision: Vision): Rgb {
  if (vision === 'normal') return rgb;
  const m = MACHADO[vision];
  return m.map((row) => Math.min(1, Math.max(0, row[0]! * rgb[0] + row[1]! * rgb[1] + row[2]! * rgb[2]))) as Rgb;
}

function lab([r, g, b]: Rgb): Rgb {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** ΔE between two colours as a reader with the given vision sees them. */
export function colourDistance(a: string, b: string, vision: Vision = 'normal'): number {
  const [p, q] = [lab(simulate(hexToLinear(a), vision)), lab(simulate(hexToLinear(b), vision))];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** The closest pair of a palette for each kind of vision. */
export function closestPairs(colors: Record<string, string>): { vision: Vision; a: string; b: string; deltaE: number }[] {
  const ids = Object.keys(colors);
  return VISIONS.map((vision) => {
    let best = { vision, a: '', b: '', deltaE: Infinity };
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const d = colourDistance(colors[ids[i]!]!, colors[ids[j]!]!, vision);
        if (d < best.deltaE) best = { vision, a: ids[i]!, b: ids[j]!, deltaE: d };
      }
    return best;
  });
}
