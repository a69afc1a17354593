/**
 * Holiday overrides (`ZHUCUN_HOLIDAYS`): a file, or a folder of `.json` files, in the public `holiday-cn`
 * format, so that a county can add a newly announced year the day the State Council publishes it instead of
 * waiting for a package release:
 *
 *   {"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, …]}
 *
 * `isOffDay: true` is a day off inside a holiday break, `false` a make-up working day (调休上班). Other fields
 * of holiday-cn files (`$schema`, `papers`, …) are allowed and ignored.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { isDateString } from '../kit/dates.js';

const daySchema = z.object({
  name: z.string({ error: 'must be the holiday name, e.g. "春节"' }).trim().min(1, { error: 'must not be empty' }),
  date: z
    .string({ error: 'must be a date written YYYY-MM-DD' })
    .refine(isDateString, { error: 'must be a date written YYYY-MM-DD' }),
  isOffDay: z.boolean({ error: 'must be true (day off) or false (make-up working day)' }),
});

const fileSchema = z.object({
  year: z
    .number({ error: 'must be a year, e.g. 2027' })
    .int({ error: 'must be a year, e.g. 2027' })
    .min(1900)
    .max(2200),
  days: z.array(daySchema, { error: 'must be a list of days' }),
});

/** One override file: the year it announces and its days. */
export type HolidayFile = z.output<typeof fileSchema> & { source: string };

/** A bad override file; the message names the file and the field. */
export class HolidayFileError extends Error {
  override name = 'HolidayFileError';
}

/** Check one file's parsed JSON; `source` names the file in errors. */
export function parseHolidayFile(json: unknown, source: string): HolidayFile {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `${source}: ${i.path.map(String).join('.') || '(file)'}: ${i.message}`,
    );
    throw new HolidayFileError(lines.join('\n'));
  }
  return { ...parsed.data, source };
}

async function readOne(path: string): Promise<HolidayFile> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HolidayFileError(
      `${basename(path)}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  return parseHolidayFile(json, basename(path));
}

/**
 * Read the override file or every `.json` file of the override folder (in name order). A path that does not
 * exist is an error: a county that set `ZHUCUN_HOLIDAYS` expects its year to be there.
 */
export async function readHolidayOverrides(path: string): Promise<HolidayFile[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new HolidayFileError(`ZHUCUN_HOLIDAYS: no such file or folder: ${path}`);
  }
  if (!info.isDirectory()) return [await readOne(path)];
  const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  const files: HolidayFile[] = [];
  for (const name of names) files.push(await readOne(join(path, name)));
  return files;
}
