/**
 * What an operator reads when sending to WeCom cannot work until someone changes a setting: the fix in plain
 * words, naming the exact place in the WeCom admin console (管理后台) or the variable in `.env`. Used in the log,
 * on `/readyz` and in the reason stored on a failed outbox message.
 */

/** The fix for a configuration error WeCom reported with `errcode`; `errmsg` may carry the refused IP. */
export function configFix(errcode: number, errmsg: string): string {
  switch (errcode) {
    case 40013:
      return '企业ID不对（40013）：请把 WECOM_CORP_ID 改成管理后台「我的企业 → 企业信息 → 企业ID」中的值。';
    case 40001:
      return '应用 Secret 不对（40001）：请在管理后台「应用管理 → 本应用 → Secret」查看（必要时重新获取），填入 WECOM_APP_SECRET，并确认 WECOM_AGENT_ID 是同一个应用。';
    case 60020: {
      const ip = /from ip:\s*([0-9a-fA-F.:]+)/.exec(errmsg)?.[1];
      const which = ip ? `本服务器的公网 IP ${ip}` : '本服务器的公网 IP';
      return `企业微信拒绝了来自本服务器的调用（60020）：请在管理后台「应用管理 → 本应用 → 企业可信IP」中加入${which}。`;
    }
    case 48002:
      return '本应用没有调用该接口的权限（48002）：打卡数据需在管理后台「打卡 → API → 可调用接口的应用」中加入本应用；其他接口请检查应用的权限设置。';
    default:
      return `企业微信配置有误（${errcode}）：${errmsg}`;
  }
}

/** Shown on `/readyz` when WeCom could not be reached at all at start. */
export function unreachable(base: string, reason: string): string {
  return `无法连接企业微信接口 ${base}（${reason}）：请检查网络、代理和 WECOM_API_BASE。`;
}

/** How the reason of a message whose group-robot key is missing begins (the alerts group failures by it). */
export const WEBHOOK_KEY_MISSING = '群机器人地址未配置';

/** Reason stored on a message whose group-robot key is missing from the environment. */
export function webhookKeyMissing(keyEnv: string): string {
  return `${WEBHOOK_KEY_MISSING}：环境变量 ${keyEnv} 为空，请填入群机器人 Webhook 地址中 key= 后面的部分，然后重试这条消息。`;
}

/** Reason stored on a message the channel it was addressed to cannot carry. */
export function unsupported(target: string, body: string): string {
  return `${target} 不能发送 ${body} 类型的消息（程序错误，请联系维护人员）。`;
}
