/** What cadres read about check-ins: replies, the check-in page, the day-by-day marks. */
import type { CheckinRecord } from '../src/attendance/record.js';
import type { SelfReported } from '../src/policy/policy.js';

const SOURCE_NAMES: Record<CheckinRecord['source'], string> = {
  page: '签到页定位',
  auto: '自动上报位置',
  message: '发送位置（自选地点）',
  wecom: '企业微信打卡',
  backfill: '补登',
};

export function sourceName(r: Pick<CheckinRecord, 'source'>): string {
  return SOURCE_NAMES[r.source];
}

function km(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${m} 米`;
}

export const checkinCard = {
  title: '驻村签到',
  description: '点击打开签到页，用手机定位确认您在村里。也可以在本应用聊天中点「+ → 位置」发送位置（记为自报位置）。',
};

/** What the day looked like before this check-in, and the county's rule for self-reported locations. */
export interface CheckinContext {
  /** The day already counted. */
  alreadyPresent: boolean;
  /** The day already had a self-reported location waiting for confirmation. */
  alreadyPending: boolean;
  selfReported: SelfReported;
}

const WAITING = '待领队或乡镇（街道）确认后计入在村天数';

export function checkedIn(r: CheckinRecord, villageName: string, time: string, day: CheckinContext): string {
  if (r.direction === 'out') return `已签退（${time}）。路上注意安全。`;
  const alreadyPresent = day.alreadyPresent;
  const imprecise = r.trust === 'self-reported' && (r.source === 'page' || r.source === 'auto');
  const distance = r.distanceM !== undefined ? `，距村部 ${km(r.distanceM)}` : '';
  if (r.review?.status === 'pending') {
    const why = imprecise ? '定位精度不足，记为自报位置' : '自报位置';
    const now = imprecise ? '到室外开阔处重新打开签到页定位' : '发送「签到」，打开签到页用手机定位签到';
    return `已记录（${time}，${villageName}${distance}，${why}），${WAITING}。确认人每天晚上收到一次汇总，您不需要再做什么；如想立即计入，可${now}。`;
  }
  if (!r.counts && r.inside && r.trust === 'self-reported' && day.selfReported === 'confirm') {
    if (alreadyPresent) return `已记录您发送的位置（${time}）。今天已计为在村，本次记录已补充。`;
    if (day.alreadyPending) return `已记录您发送的位置（${time}）。今天已有一条自报位置${WAITING}，不需要重复发送。`;
  }
  if (r.counts) {
    const self =
      r.trust !== 'self-reported' ? '' : imprecise ? '（定位精度不足，记为自报位置，已标注）' : '（自报位置，已标注）';
    const first = alreadyPresent ? '今天已计为在村，本次记录已补充。' : '今天计为在村。';
    return `签到成功${self}：${time}，${villageName}${r.distanceM !== undefined ? `（距村部 ${km(r.distanceM)}）` : ''}。${first}`;
  }
  if (r.inside && imprecise) {
    const error = r.accuracyM !== undefined ? `（误差约 ${km(r.accuracyM)}）` : '';
    return `已记录位置（${time}），但定位精度不足${error}，无法确认在村范围内，按本县规定不计入在村天数。请到室外开阔处重新打开签到页定位。`;
  }
  if (r.inside && r.trust === 'self-reported') {
    return `已记录您发送的位置（${time}），但按本县规定，在地图上自选的位置不计入在村天数。请发送「签到」，打开签到页用手机定位签到；确实无法定位的，可用「补登 日期 原因」申请补登。`;
  }
  const far = r.distanceM !== undefined ? `距${villageName}村部约 ${km(r.distanceM)}，` : '';
  return `已记录位置（${time}），${far}不在村范围内，今天暂不计为在村。如定位有误，可回到村里再签到，或用「补登 日期 原因」申请补登。`;
}

export const autoCheckedIn = (villageName: string, time: string) =>
  `已根据自动上报的位置为您签到：${time}，${villageName}。今天计为在村。`;

export const notACadre = '签到只对驻村干部开放。';

export const pageTitle = '驻村签到';
export const pageLocating = '正在获取定位，请稍候…';
export const pageLocationFailed = '无法获取定位。请确认已允许企业微信使用位置信息，然后重新打开本页。';
export const pageExpired = '签到页已过期，请回到企业微信重新点「签到」。';
export const pageUsed =
  '这次打开的签到页已经提交过位置，不能再次提交。如需重新定位，请点「重新定位」或回到企业微信重新点「签到」。';
export const pageNoAccuracy = '定位结果没有精度信息，无法确认您在村里，请点「重新定位」。';
export const pageTooManyRequests = '签到页访问过于频繁，请一分钟后再试。';
export const pageNotInWecom = '请在企业微信中打开本页。';
export const pageSubmitFailed = '提交失败，请检查网络后重试。';
export const pageRetry = '重新定位';
export const pageUnavailable =
  '签到页暂时无法使用（企业微信接口没有响应），请稍后重试，或在应用聊天里点「+ → 位置」发送位置签到。';
