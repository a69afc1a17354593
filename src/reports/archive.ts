/**
 * The archive of a cadre's older reports: the reports of one year, filed long enough ago that they can no longer
 * be corrected nor get a photo, packed into one field of the cadre's `reports` hash (`~2026`) by the retention
 * job. Packed means a JSON array of the stored reports, deflated (node:zlib, raw deflate) with a preset
 * dictionary of everyday report vocabulary, in base64 behind a version prefix: `z1:…`.
 *
 * A year of weekly reports of 300 characters is about 47 KB as JSON; the reports of one person repeat their
 * words and phrases from week to week, which a whole year deflated together turns into a few KB. Reading is
 * transparent: `ReportRepo` and the person export unpack archives and see the same reports as before.
 *
 * NEVER change `DICTIONARY_V1`: archives written with it are read with it. A better dictionary is a `z2:` with
 * its own constant, and `unpack` keeps reading `z1:`.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Report } from './report.js';

/** What the `reports` hash holds of a report: the report without its photos (those live in their own hash). */
export type StoredReport = Omit<Report, 'images'>;

/** The hash field holding the archived reports of `year`. */
export function archiveField(year: number | string): string {
  return `~${year}`;
}

/** True for a hash field that holds an archive rather than one report. */
export function isArchiveField(field: string): boolean {
  return field.startsWith('~');
}

/** True for a stored value that is an archive (a report's own value is a JSON object). */
export function isArchiveValue(raw: string): boolean {
  return raw.startsWith('z');
}

/**
 * Words and phrases of everyday work reports, and the JSON around a stored report. Deflate finds matches in the
 * dictionary's last 32 KB, nearer the end being cheaper, so the commonest come last.
 */
const DICTIONARY_V1 = Buffer.from(
  [
    '中药材花椒核桃辣椒土豆小麦玉米苹果蔬菜大棚养殖种植合作社扶贫车间光伏电站',
    '村小学卫生室文化广场党群服务中心村委会村部组东头西沟南坡北山',
    '乡党委乡政府乡里县里县农业农村局县水利局县交通局县教育局县卫健局县人社局县财政局技术员',
    '防返贫监测脱贫户低保户五保户残疾人留守老人留守儿童独居老人困难群众',
    '养老保险医保缴费低保申请临时救助产业奖补小额信贷雨露计划教育资助',
    '危房改造道路硬化饮水安全灌溉水渠路灯供电网络信号人居环境',
    '矛盾纠纷宅基地边界土地流转调解信访隐患排查安全生产防火防汛森林防火',
    '主题党日三会一课党员大会支部委员会专题党课集体学习理论学习',
    '村务公开财务公开集体经济合同台账收支民情台账工作日志',
    '召开村民说事会村两委例会座谈会协调解决反映问题意见建议',
    '了解情况入户走访宣传政策讲解办理流程登记需求核对信息帮助联系销路收购价格',
    '督促整改落实到位责任到人跟踪服务技能培训外出务工就业',
    '研究部署工作安排计划方案进度质量施工队',
    '，。；、：',
    '{"no":"H","userId":"","text":"汇报 #走访 #实事 #村民说事 #党课 #困难 #计划 ","tags":["走访","实事"],"households":0,"createdAt":"2026-',
    '[{"no":"H1',
    ':00.000Z"},{"no":"H',
  ].join(''),
  'utf8',
);

/** Pack reports into an archive value. Pure. */
export function pack(reports: readonly StoredReport[]): string {
  const json = Buffer.from(JSON.stringify(reports), 'utf8');
  return `z1:${deflateRawSync(json, { level: 9, dictionary: DICTIONARY_V1 }).toString('base64')}`;
}

/** The reports of an archive value; throws on a value that is not one this code can read. */
export function unpack(raw: string): StoredReport[] {
  if (!raw.startsWith('z1:')) throw new Error(`not a report archive this release reads: ${raw.slice(0, 8)}…`);
  const json = inflateRawSync(Buffer.from(raw.slice(3), 'base64'), { dictionary: DICTIONARY_V1 });
  return JSON.parse(json.toString('utf8')) as StoredReport[];
}

/**
 * Every report of a hash's values (reports and archives), a report stored on its own winning over an archived
 * copy of the same number. Pure.
 */
export function reportsOf(values: readonly string[]): StoredReport[] {
  const own = new Map<string, StoredReport>();
  const archived: StoredReport[] = [];
  for (const raw of values) {
    if (isArchiveValue(raw)) archived.push(...unpack(raw));
    else {
      const r = JSON.parse(raw) as StoredReport;
      own.set(r.no, r);
    }
  }
  return [...archived.filter((r) => !own.has(r.no)), ...own.values()];
}
