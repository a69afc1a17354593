/** Sentences shared by every command: refusals, unknown input, errors, help. */
import type { CommandHelp } from '../src/kit/command-help.js';
import type { Role } from '../src/kit/roles.js';

export const ROLE_NAMES: Record<Role, string> = {
  cadre: '驻村干部',
  'team-leader': '领队',
  township: '乡镇（街道）负责同志',
  'sending-unit': '派出单位领导',
  org: '县委组织部',
};

export function unknownUser(contacts: string[]): string {
  const who = contacts.length ? `县委组织部（${contacts.join('、')}）` : '县委组织部';
  return `您好，您还不在驻村干部名册中，暂时无法使用本助手。如需开通，请联系${who}。`;
}

export function notAllowed(command: string, allowedRoles: Role[]): string {
  const who = allowedRoles.map((r) => ROLE_NAMES[r]).join('、');
  return `「${command}」仅供${who}使用，您当前的身份无法执行。发送「帮助」查看可用命令。`;
}

export function unknownCommand(text: string): string {
  const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
  return `没有看懂「${shown}」。发送「帮助」查看可用命令，例如「签到」「请假 事假 明天 家中有事」「我的考勤」。`;
}

export const privateOnly = (command: string) =>
  `「${command}」涉及个人情况，只在与本助手的单聊中回复，不发到群里。请在企业微信里打开「驻村工作助手」应用后再发送。`;

export const unsupportedMessage = '暂不支持这类消息。发送「帮助」查看可用命令。';

export const internalError = '抱歉，系统暂时出了点问题，本次操作没有生效，请稍后再试。如反复出现，请联系县委组织部。';

/** The refusal of a text message above the policy's `messages.maxTextBytes`. */
export function messageTooLong(maxBytes: number): string {
  const kb = Math.floor(maxBytes / 1024);
  const chars = Math.floor(maxBytes / 300) * 100;
  return `消息太长，本助手没有处理：一条消息最多 ${kb} KB（约 ${chars} 个汉字）。请删去不需要的内容，或分成几条发送。`;
}

export function usage(help: CommandHelp, problem?: string): string {
  const lines = [problem ?? '格式不对。', `用法：${help.usage}`];
  if (help.examples.length) lines.push(`例如：${help.examples.join('；')}`);
  return lines.join('\n');
}

export function helpList(name: string, items: { aliases: string[]; help: CommandHelp }[]): string {
  const lines = [`${name}，您好！可以发送以下命令（在群里请先 @我）：`];
  for (const item of items) lines.push(`· ${item.help.usage} —— ${item.help.summary}`);
  lines.push('发送「帮助 命令」查看某个命令的例子，例如「帮助 请假」。');
  return lines.join('\n');
}

export function helpOne(aliases: string[], help: CommandHelp): string {
  const lines = [`「${aliases[0]}」${help.summary}`, `用法：${help.usage}`];
  if (aliases.length > 1) lines.push(`也可以说：${aliases.slice(1).join('、')}`);
  if (help.examples.length) lines.push('例如：', ...help.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export const welcome = (name: string) => `${name}，欢迎使用驻村工作助手。发送「签到」打卡，「帮助」查看全部命令。`;
