/**
 * SVG to PNG with resvg, using only the font files given: system fonts are not loaded, so a chart looks the
 * same on every machine and a missing Chinese font is an error (`findCjkFont`) rather than silent boxes.
 */
import { Resvg } from '@resvg/resvg-js';

export interface RasterOptions {
  /** Font files to draw text with (the CJK collection). */
  fontFiles: readonly string[];
  /** The family used for text whose family is not among the fonts. */
  defaultFontFamily: string;
  /** Pixels per SVG unit: 2 gives a sharp image on phone screens. */
  pixelRatio: number;
}

export interface Raster {
  png: Buffer;
  width: number;
  height: number;
  /** RGBA, row by row, `width × height × 4` bytes. */
  pixels: Buffer;
}

/** Draw an SVG document into a PNG (and its raw pixels, for checks). */
export function rasterize(svg: string, opts: RasterOptions): Raster {
  const resvg = new Resvg(svg, {
    font: { fontFiles: [...opts.fontFiles], loadSystemFonts: false, defaultFontFamily: opts.defaultFontFamily },
    fitTo: { mode: 'zoom', value: opts.pixelRatio },
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height, pixels: image.pixels };
}
