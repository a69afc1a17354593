/**
 * End-of-term assessment (考评): the chat sentences, the rating card, and the villagers' 评议 page (a short
 * server-rendered page without script, readable in WeChat's in-app browser).
 */
import type { Answer, Grade, Level, Round, Tally } from '../src/assess/model.js';
import type { Card } from '../src/kit/card.js';
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayLabel, momentLabel, spanLabel } from '../src/kit/date-label.js';

export const help = {
  round: {
    summary: '组织部开始、公示、结束任期考评，或查看考评进度',
    usage: '考评 开始 名称 [全部|乡镇（街道）名|村名…]　/　考评 公示　/　考评 结束　/　考评',
    examples: ['考评 开始 2026年度考评 全部', '考评 公示', '考评'],
  },
  summary: {
    summary: '提交本人的述职报告（可随后发送附件）',
    usage: '述职 内容',
    examples: ['述职 一年来驻村工作情况……'],
  },
  rate: {
    summary: '派出单位、乡镇（街道）、组织部评定驻村干部等次',
    usage: '评定 姓名 优秀|称职|基本称职|不称职 意见',
    examples: ['评定 李晓燕 称职 工作扎实，群众认可'],
  },
  codes: { summary: '生成村级评议码（一人一码）', usage: '评议码 村名 数量', examples: ['评议码 北堡村 30'] },
  paper: {
    summary: '录入纸质评议票',
    usage: '纸质评议 村名 满意 数 基本满意 数 不满意 数',
    examples: ['纸质评议 北堡村 满意 12 基本满意 3 不满意 1'],
  },
  confirm: { summary: '组织部确定考评等次', usage: '确定 姓名 等次', examples: ['确定 李晓燕 称职'] },
  change: {
    summary: '组织部改定考评等次（须写明理由）',
    usage: '改定 姓名 等次 理由',
    examples: ['改定 李晓燕 优秀 群众评议突出'],
  },
  appeal: { summary: '公示期间申请复核', usage: '复核 理由', examples: ['复核 本人全年在岗天数统计有误'] },
  answer: {
    summary: '组织部答复复核申请',
    usage: '复核答复 姓名 等次 答复意见',
    examples: ['复核答复 李晓燕 称职 经核实，维持原等次'],
  },
} satisfies Record<string, CommandHelp>;

export const LEVEL_LABEL: Record<Level, string> = { unit: '派出单位', township: '乡镇（街道）', org: '组织部' };

const STATUS: Record<Round['status'], string> = { open: '评定中', public: '公示中', closed: '已结束' };

export const usage = (h: CommandHelp) => `用法：${h.usage}\n例如：${h.examples[0]}`;

// ---- refusals ----------------------------------------------------------------------------------------------
export const notOrg = '只有组织部可以进行这项操作。';
export const noRound = '目前没有进行中的考评。';
export const roundStillOpen = (r: Round) => `考评“${r.name}”（${r.id}）尚未结束，请先结束后再开始新的考评。`;
export const needName = '请写明考评名称，例如：考评 开始 2026年度考评 全部';
export const unknownScope = (words: readonly string[]) => `名册中没有这些乡镇（街道）或村：${words.join('、')}。`;
export const noCadres = '所选范围内没有驻村干部，未开始考评。';
export const closedReadOnly = (r: Round) => `考评“${r.name}”已结束，记录只读，不能再修改。`;
export const notOpen = (r: Round) => `考评“${r.name}”已进入${STATUS[r.status]}阶段，不能再进行这项操作。`;
export const notInRound = (name: string) => `${name}不在本次考评范围内。`;
export const unknownCadre = (word: string) => `名册中没有驻村干部“${word}”。`;
export const ambiguousCadre = (word: string) => `名册中有多位“${word}”，请写用户账号。`;
export const notRater = (name: string) =>
  `您不是${name}的派出单位负责同志、乡镇（街道）负责同志或组织部人员，不能评定。`;
export const badGrade = '等次只能是：优秀、称职、基本称职、不称职。';
export const needComment = (h: CommandHelp) => `请写明评定意见。\n${usage(h)}`;
export const tooLong = (max: number) => `内容太长，请控制在${max}字以内。`;
export const notCadre = '只有驻村干部本人可以提交述职。';
export const noSummaryText = (h: CommandHelp) => `请写明述职内容。\n${usage(h)}`;
export const unknownVillage = (word: string) => `名册中没有“${word}”这个村。`;
export const villageNotInRound = (name: string) => `${name}不在本次考评范围内。`;
export const notVillageRunner = (name: string) => `只有${name}所在乡镇（街道）的负责同志或组织部可以办理该村的评议。`;
export const badCount = (max: number) => `数量须为1至${max}之间的整数。`;
export const badPaper = (h: CommandHelp) => `纸质评议票的格式不对。\n${usage(h)}`;
export const notAllRated = (names: readonly string[]) => `以下干部尚未确定等次，不能公示：${names.join('、')}。`;
export const missingGrades = (name: string, levels: readonly Level[]) =>
  `${name}还缺少${levels.map((l) => LEVEL_LABEL[l]).join('、')}的评定，暂无建议等次。`;
export const needReason = (proposed: Grade) => `建议等次为${proposed}，改定为其他等次须写明理由：改定 姓名 等次 理由。`;
export const sameAsProposed = (proposed: Grade) => `建议等次就是${proposed}，请用“确定”。`;
export const overQuota = (quota: number, n: number) =>
  `优秀等次已达上限（${n}人的考评最多${quota}人），不能再定为优秀。`;
export const notInPublic = '现在不在公示期内，不能申请复核。';
export const publicNotOver = (until: string) => `公示到${dayLabel(until)}，公示期满后才能结束考评。`;
export const openAppeals = (names: readonly string[]) => `以下复核申请尚未答复：${names.join('、')}。`;
export const noAppeal = (name: string) => `${name}没有待答复的复核申请。`;
export const appealPending = '您的复核申请已提交，正在等待组织部答复。';
export const needAppealReason = (h: CommandHelp) => `请写明申请复核的理由。\n${usage(h)}`;
export const noFinalYet = '您的考评等次尚未确定，不能申请复核。';

// ---- replies -----------------------------------------------------------------------------------------------
export const opened = (r: Round, villages: number) =>
  `已开始考评“${r.name}”（${r.id}），共${r.cadres.length}名干部、${villages}个村。\n各乡镇（街道）可用“评议码 村名 数量”生成评议码，干部用“述职 内容”提交述职。`;
export const summarySaved = (name: string) => `已收到${name}的述职，可随后发送附件（文件或图片）。`;
export const summaryFileSaved = (n: number) => `述职附件已收到（共${n}个）。`;
export const rated = (name: string, level: Level, grade: Grade) =>
  `已记录${LEVEL_LABEL[level]}对${name}的评定：${grade}。`;
export const codesIssued = (village: string, codes: readonly string[], link: string, until: Date) =>
  [
    `${village}评议码${codes.length}个（每码限用一次，${momentLabel(until)}前有效）：`,
    `评议页面：${link}`,
    ...codes.map((c, i) => `${i + 1}. ${c}`),
  ].join('\n');
export const paperSaved = (village: string, t: Tally) =>
  `已录入${village}纸质评议票：满意${t.满意}，基本满意${t.基本满意}，不满意${t.不满意}。`;
export const confirmed = (name: string, grade: Grade) => `已确定${name}的考评等次：${grade}。`;
export const changed = (name: string, proposed: Grade, grade: Grade, reason: string) =>
  `已将${name}的考评等次由建议的${proposed}改定为${grade}，理由：${reason}。`;
export const published = (r: Round) =>
  `考评“${r.name}”进入公示：${spanLabel(r.publicFrom!, r.publicUntil!)}。公示期间干部可发送“复核 理由”申请复核。`;
export const publicNotice = (r: Round, grade: Grade) =>
  `考评“${r.name}”结果公示：您的等次为${grade}。公示期${spanLabel(r.publicFrom!, r.publicUntil!)}，如有异议可发送“复核 理由”申请复核。`;
export const appealSent = '复核申请已提交，组织部答复后会通知您。';
export const appealToOrg = (name: string, reason: string) =>
  `${name}申请复核：${reason}\n答复：复核答复 ${name} 等次 答复意见`;
export const appealAnswered = (name: string, grade: Grade) => `已答复${name}的复核申请，等次：${grade}。`;
export const appealAnswer = (grade: Grade, text: string) => `您的复核申请已答复：等次${grade}。${text}`;
export const closed = (r: Round) => `考评“${r.name}”已结束，记录只读。可用 zhucun assess 导出考核登记表和汇总表。`;

export interface ProgressLine {
  name: string;
  village: string;
  grades: Partial<Record<Level, Grade>>;
  summary: boolean;
  proposal?: { grade: Grade; score: number; overQuota: boolean };
  final?: Grade;
}

/** `考评`: the round's state, cadres by village then name (never ranked by score). */
export function progress(r: Round, lines: readonly ProgressLine[], quota: number): string {
  const head = `考评“${r.name}”（${r.id}）：${STATUS[r.status]}${r.publicFrom ? `，公示${spanLabel(r.publicFrom, r.publicUntil!)}` : ''}。优秀名额${quota}个。`;
  const body = lines.map((l) => {
    const g = (['unit', 'township', 'org'] as const).map((lv) => `${LEVEL_LABEL[lv]}${l.grades[lv] ?? '—'}`).join('，');
    const p = l.proposal
      ? `建议${l.proposal.grade}（${l.proposal.score}分${l.proposal.overQuota ? '，超出优秀名额' : ''}）`
      : '暂无建议';
    return `${l.village}\u3000${l.name}：${l.summary ? '已述职' : '未述职'}；${g}；${p}${l.final ? `；确定${l.final}` : ''}`;
  });
  return [head, ...body].join('\n');
}

/** The rating card: four buttons, one per grade; the comment follows in chat. */
export function ratingCard(o: {
  taskId: string;
  name: string;
  village: string;
  level: Level;
  round: string;
  key: (g: Grade) => string;
}): Card {
  return {
    kind: 'button_interaction',
    taskId: o.taskId,
    title: `考评评定：${o.name}`,
    description: `${o.round}\u3000${o.village}\u3000请以${LEVEL_LABEL[o.level]}身份评定等次，意见可随后发送“评定 ${o.name} 等次 意见”补充。`,
    fields: [],
    buttons: (['优秀', '称职', '基本称职', '不称职'] as const).map((g, i) => ({
      text: g,
      style: i === 3 ? 3 : 1,
      key: o.key(g),
    })),
  };
}
export const ratingCardIntro = (n: number) =>
  `请评定本次考评的${n}名干部，可点击卡片按钮，也可发送“评定 姓名 等次 意见”。`;
export const cardRatedComment = '（卡片评定）';

// ---- the 评议 page -----------------------------------------------------------------------------------------
export const pageTitle = '驻村干部群众评议';
export const pageIntro = (village: string, names: readonly string[]) =>
  `请对驻${village}工作队（${names.join('、')}）一年来的工作作出评价。每个评议码只能使用一次。`;
export const pageCodeLabel = '评议码';
export const pageChoiceLabel = '您的评价';
export const pageCommentLabel = '意见建议（可不填）';
export const pageNameLabel = '姓名（可不填）';
export const pageSubmit = '提交评议';
export const pageThanks = '评议已提交，感谢您的参与！';
export const pageCodeUsed = '这个评议码已经用过了，每个评议码只能评议一次。';
export const pageCodeUnknown = '评议码不正确，请核对后重新输入。';
export const pageCodeOtherVillage = '这个评议码不是本村的，请核对。';
export const pageExpired = '评议已经结束，评议码已失效。';
export const pageNoChoice = '请选择满意、基本满意或不满意。';
export const pageTooLong = (max: number) => `意见请控制在${max}字以内。`;
export const pageNoRound = '目前没有进行中的评议。';
export const pageUnknownVillage = '找不到这个村的评议页面，请核对链接。';
export const pageTooMany = '访问太频繁，请稍后再试。';
export const pageUnavailable = '系统暂时不可用，请稍后再试。';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f3f5f7;color:#1f2329;font-size:16px}
main{max-width:480px;margin:0 auto;padding:20px 16px}
h1{font-size:20px;margin:0 0 8px}.sub{color:#646a73;margin:0 0 16px;line-height:1.6}
.card{background:#fff;border-radius:10px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
label{display:block;margin:12px 0 6px;font-weight:600}
input[type=text],textarea{box-sizing:border-box;width:100%;padding:10px;border:1px solid #d0d3d6;border-radius:6px;font-size:16px}
.choice{display:flex;gap:8px}.choice label{flex:1;margin:0;font-weight:400;white-space:nowrap;font-size:15px;border:1px solid #d0d3d6;border-radius:6px;padding:10px 4px;text-align:center}
button{margin-top:18px;width:100%;padding:12px;border:0;border-radius:8px;background:#1677ff;color:#fff;font-size:17px}
.msg{padding:12px;border-radius:6px;margin-bottom:12px;line-height:1.6}.err{background:#fff1f0;color:#a8071a}.ok{background:#f6ffed;color:#1a7f37}`;

function shell(body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(pageTitle)}</title>
<style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface ReviewPageModel {
  village: string;
  cadres: string[];
  action: string;
  error?: string;
  /** What was typed, kept after a refusal. */
  code?: string;
  comment?: string;
  name?: string;
  answer?: Answer;
  maxComment: number;
}

export function reviewPage(m: ReviewPageModel): string {
  const radio = (a: Answer) =>
    `<label><input type="radio" name="answer" value="${a}"${m.answer === a ? ' checked' : ''}> ${a}</label>`;
  return shell(`<h1>${esc(pageTitle)}</h1>
<p class="sub">${esc(pageIntro(m.village, m.cadres))}</p>
${m.error ? `<div class="msg err" id="error">${esc(m.error)}</div>` : ''}
<form class="card" method="post" action="${esc(m.action)}">
<label for="code">${esc(pageCodeLabel)}</label>
<input type="text" id="code" name="code" autocomplete="off" autocapitalize="characters" maxlength="16" required value="${esc(m.code ?? '')}">
<label>${esc(pageChoiceLabel)}</label>
<div class="choice">${(['满意', '基本满意', '不满意'] as const).map(radio).join('')}</div>
<label for="comment">${esc(pageCommentLabel)}</label>
<textarea id="comment" name="comment" rows="3" maxlength="${m.maxComment}">${esc(m.comment ?? '')}</textarea>
<label for="name">${esc(pageNameLabel)}</label>
<input type="text" id="name" name="name" maxlength="20" value="${esc(m.name ?? '')}">
<button type="submit">${esc(pageSubmit)}</button>
</form>`);
}

/** A page with one sentence: thanks, or why the answer was refused for good. */
export function messagePage(text: string, ok: boolean): string {
  return shell(
    `<h1>${esc(pageTitle)}</h1><div class="msg ${ok ? 'ok' : 'err'}" id="${ok ? 'done' : 'error'}">${esc(text)}</div>`,
  );
}

/** The printable list of codes (CLI): a QR code of the link, the link, and the codes to cut apart. */
export function printableCodes(o: {
  village: string;
  round: string;
  link: string;
  qrSvg: string;
  codes: readonly string[];
  until: Date;
}): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(o.village)}评议码</title>
<style>body{font-family:"Noto Sans CJK SC",sans-serif}.qr{width:180px}li{font:20px monospace;margin:10px 0;border-bottom:1px dashed #999;padding-bottom:10px}</style></head>
<body><h1>${esc(o.round)}\u3000${esc(o.village)}群众评议</h1>
<div class="qr">${o.qrSvg}</div><p>${esc(o.link)}</p><p>每码限用一次，${esc(momentLabel(o.until))}前有效。</p>
<ol>${o.codes.map((c) => `<li>${esc(c)}</li>`).join('')}</ol></body></html>`;
}

// ---- the sandbox's sample round ------------------------------------------------------------------------------
export const seedRound = (township: string) => `考评 开始 2026年度驻村干部考评 ${township}`;
export const seedSummary = '述职 一年来走访农户120户，协调修通村道一条，办结群众反映问题8件。';
