import { describe, expect, it } from 'vitest';
import { FontMissingError, findCjkFont } from '../../src/charts/font.js';
import { rasterize, type Raster } from '../../src/charts/render.js';
import {
  renderTownshipChart,
  renderTownshipRaster,
  townshipChartSvg,
  type ChartRow,
} from '../../src/charts/township.js';

const OPTS = { title: '各乡镇驻村干部出勤率（11月9日—11月15日）', width: 800, pixelRatio: 2 };

function rows(first: string): ChartRow[] {
  return [
    { name: first, rate: 0.84, atRisk: 1, belowTarget: 1 },
    { name: '高村乡', rate: 0.72, atRisk: 2, belowTarget: 0 },
    { name: '东城街道', rate: null, atRisk: 0, belowTarget: 0 },
  ];
}

/** The box around the pixels that differ between two images of the same size, or null when none do. */
function diffBox(
  a: Raster,
  b: Raster,
): { count: number; minX: number; maxX: number; minY: number; maxY: number } | null {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let count = 0;
  let minX = Infinity,
    maxX = -1,
    minY = Infinity,
    maxY = -1;
  for (let i = 0; i < a.pixels.length; i += 4) {
    if (a.pixels.readUInt32BE(i) === b.pixels.readUInt32BE(i)) continue;
    const p = i / 4;
    const x = p % a.width;
    const y = Math.floor(p / a.width);
    count += 1;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return count ? { count, minX, maxX, minY, maxY } : null;
}

describe('township chart', () => {
  it('is a PNG of the asked size times the pixel ratio', () => {
    const png = renderTownshipChart(rows('新田乡'), OPTS);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    // Default height: 130 units for title and axis plus 46 per township.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1600, 2 * (130 + 46 * 3)]);
  });

  it('asks for the CJK family by name in the SVG', () => {
    const svg = townshipChartSvg(rows('新田乡'), OPTS);
    expect(svg).toContain('新田乡');
    expect(svg).toContain('font-family:Noto Sans CJK SC');
  });

  it('draws the Chinese township names: two names give different pixels, only where the name is', () => {
    const a = renderTownshipRaster(rows('新田乡'), OPTS);
    const b = renderTownshipRaster(rows('凤城乡'), OPTS);
    // Rendering is deterministic, so any difference comes from the name alone.
    expect(diffBox(a, renderTownshipRaster(rows('新田乡'), OPTS))).toBeNull();
    const box = diffBox(a, b);
    // Empty boxes (.notdef) would look the same for every name: here the glyphs differ, in many pixels.
    expect(box).not.toBeNull();
    expect(box!.count).toBeGreaterThan(300);
    // ...and only in the axis label of the first row: left of the bars, in the upper part of the plot.
    expect(box!.maxX).toBeLessThan(a.width * 0.15);
    expect(box!.minY).toBeGreaterThan(a.height * 0.2);
    expect(box!.maxY).toBeLessThan(a.height * 0.5);
  });

  it('would not tell the names apart without the font (the check above has teeth)', () => {
    const noFont = (name: string) =>
      rasterize(townshipChartSvg(rows(name), OPTS), {
        fontFiles: [],
        defaultFontFamily: 'Noto Sans CJK SC',
        pixelRatio: 2,
      });
    expect(diffBox(noFont('新田乡'), noFont('凤城乡'))).toBeNull();
  });

  it('names the bootstrap when the font is missing', () => {
    expect(findCjkFont()).toMatch(/NotoSansCJK/);
    expect(() => findCjkFont({ paths: ['/nonexistent/NotoSansCJK-Regular.ttc'], useFcMatch: false })).toThrow(
      FontMissingError,
    );
    expect(() => findCjkFont({ paths: ['/nonexistent/NotoSansCJK-Regular.ttc'], useFcMatch: false })).toThrow(
      /sh scripts\/bootstrap\.sh.*apt-get install fonts-noto-cjk/,
    );
  });
});
