/**
 * The Chinese font of rendered charts. Charts are drawn without a browser (ECharts' SVG string, then resvg), and
 * resvg draws only the fonts it is given: without a CJK font every township name would come out as empty boxes.
 * The font is Noto Sans CJK from Debian's `fonts-noto-cjk`, which `scripts/bootstrap.sh` installs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The family name the charts ask for; every Noto Sans CJK collection file holds it. */
export const CJK_FAMILY = 'Noto Sans CJK SC';

/** Where Debian and other distributions put the Noto Sans CJK collection. */
export const KNOWN_FONT_PATHS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc',
];

/** The CJK font is not installed; the message says how to install it. */
export class FontMissingError extends Error {
  override name = 'FontMissingError';
  constructor(looked: readonly string[]) {
    super(
      `No Chinese font for charts (looked for ${CJK_FAMILY} at ${looked.join(', ')} and with fc-match). ` +
        'Run `sh scripts/bootstrap.sh` (or as root: `apt-get install fonts-noto-cjk`).',
    );
  }
}

/** Ask fontconfig for the file of the family; undefined when fc-match is absent or answers with another family. */
function fcMatch(): string | undefined {
  try {
    const out = execFileSync('fc-match', ['-f', '%{file}\n%{family}', `${CJK_FAMILY}:lang=zh-cn`], {
      encoding: 'utf8',
      timeout: 5000,
    });
    const [file, family] = out.split('\n');
    // fc-match always answers with something; a fallback such as DejaVu has no Chinese glyphs.
    return file && family?.includes('Noto Sans CJK') && existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

export interface FontSearch {
  /** Files to try first, in order (default `KNOWN_FONT_PATHS`). */
  paths?: readonly string[];
  /** Whether to ask fontconfig when no known path exists (default true). */
  useFcMatch?: boolean;
}

/**
 * The path of the Noto Sans CJK font file: the first known path that exists, else what fontconfig finds for
 * the family. Throws `FontMissingError` (which says to run the bootstrap) when there is none.
 */
export function findCjkFont(search: FontSearch = {}): string {
  const paths = search.paths ?? KNOWN_FONT_PATHS;
  const known = paths.find((p) => existsSync(p));
  if (known) return known;
  const found = search.useFcMatch === false ? undefined : fcMatch();
  if (found) return found;
  throw new FontMissingError(paths);
}
