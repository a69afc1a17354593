/** Sentences about back-fills (补登) of missed check-ins. */
export interface BackfillView {
  no: string;
  name: string;
  villageName: string;
  date: string;
  reason: string;
}

const md = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

export const usageProblem = '请写明补登哪一天和原因，例如「补登 昨天 山里没信号」。';
export const noReason = '请写明补登原因，例如「补登 昨天 山里没信号」。';
export const futureDate = '不能补登今天以后的日子。';
export const outOfWindow = (hours: number) => `只能补登 ${hours} 小时以内漏签的日子，这一天已超过期限。如有特殊情况，请联系乡镇负责同志。`;
export const alreadyPresent = (date: string) => `${md(date)}已经计为在村，不需要补登。`;
export const alreadyPending = (date: string, no: string) => `${md(date)}已有补登申请 ${no} 在等待确认。`;
export const noConfirmer = '您所在乡镇没有可以确认补登的领队或乡镇负责同志，请联系县委组织部完善名册。';
export const submitted = (v: BackfillView, who: string[]) =>
  `补登申请 ${v.no} 已提交：${md(v.date)}，原因「${v.reason}」。等待 ${who.join('、')} 确认。`;

export const card = (v: BackfillView) => ({
  title: `补登申请 ${v.no}`,
  description: `${v.name}（${v.villageName}）申请补登 ${md(v.date)} 的签到。`,
  fields: [
    { key: '日期', value: v.date },
    { key: '原因', value: v.reason },
  ],
  confirm: '确认',
  reject: '驳回',
});
export const cardText = (v: BackfillView) =>
  `${v.name}（${v.villageName}）申请补登 ${md(v.date)} 的签到，原因：${v.reason}。回复「确认补登 ${v.no}」或「驳回补登 ${v.no} 原因」。（因您是其领队或乡镇负责同志而收到）`;

export const unknownNo = (no: string) => `没有找到补登申请 ${no}。`;
export const notYours = (no: string) => `补登申请 ${no} 不在您的确认范围内。`;
export const alreadyDecided = (no: string, state: string) => `补登申请 ${no} 已${state}，无需再次处理。`;
export const confirmed = (v: BackfillView) => `已确认 ${v.name} ${md(v.date)} 的补登，当天计为在村。`;
export const rejected = (v: BackfillView) => `已驳回 ${v.name} ${md(v.date)} 的补登。`;
export const toRequesterConfirmed = (v: BackfillView, by: string) => `您的补登申请 ${v.no}（${md(v.date)}）已由${by}确认，当天计为在村。`;
export const toRequesterRejected = (v: BackfillView, by: string, reason: string) =>
  `您的补登申请 ${v.no}（${md(v.date)}）被${by}驳回${reason ? `：${reason}` : ''}。`;
export const stateNames = { confirmed: '确认', rejected: '驳回' } as const;
export const buttonDone = { confirmed: '已确认', rejected: '已驳回' } as const;
