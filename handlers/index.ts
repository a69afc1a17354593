/** Every command of the bot. Adding a command = adding a file in handlers/ and a line here. */
import { Registry, type AnySpec } from '../src/core/registry.js';
import announce from './announce.js';
import announceAck from './announce-ack.js';
import announceCancel from './announce-cancel.js';
import announceConfirm from './announce-confirm.js';
import announceRecall from './announce-recall.js';
import announceStatus from './announce-status.js';
import { assessCommands } from './assess.js';
import attendance from './attendance.js';
import backfill from './backfill.js';
import { confirmBackfill, rejectBackfill } from './backfill-decide.js';
import checkin from './checkin.js';
import { confirmAllSelfReports, confirmSelfReport, listSelfReports, rejectSelfReport } from './selfreport-decide.js';
import checkout from './checkout.js';
import county from './county.js';
import help from './help.js';
import leave from './leave.js';
import { approveLeave, rejectLeave } from './leave-decide.js';
import leaveReturn from './leave-return.js';
import leaveWithdraw from './leave-withdraw.js';
import myLeave from './my-leave.js';
import myPoints from './my-points.js';
import myReports from './my-reports.js';
import points from './points.js';
import { closeNotice, escalateNotice, issueNotice } from './notices.js';
import { addToProblem, closeProblem, handoverProblem, problem, replyProblem } from './problems.js';
import report from './report.js';
import { reportAsk, reportSubmit } from './report-ask.js';
import reportEdit from './report-edit.js';
import rectifyReply from './rectify-reply.js';
import reportImage from './report-image.js';
import sixOnes from './six-ones.js';
import teamStatus from './team-status.js';
import townshipStatus from './township-status.js';
import unitStatus from './unit-status.js';
import { visit, visitList, visitLocation, visitPhoto } from './visit.js';

/** Order matters for `帮助`, which lists commands in this order, and for free sentences, tried in this order. */
export const commands: AnySpec[] = [
  // A visiting leader's location (到村调研) before a cadre's check-in: each takes only its own.
  visitLocation,
  checkin,
  checkout,
  backfill,
  attendance,
  report,
  leave,
  leaveReturn,
  myLeave,
  leaveWithdraw,
  myReports,
  reportEdit,
  sixOnes,
  myPoints,
  points,
  problem,
  addToProblem,
  replyProblem,
  handoverProblem,
  closeProblem,
  rectifyReply,
  closeNotice,
  escalateNotice,
  issueNotice,
  visitPhoto,
  reportImage,
  announceAck,
  approveLeave,
  rejectLeave,
  confirmBackfill,
  rejectBackfill,
  confirmSelfReport,
  rejectSelfReport,
  confirmAllSelfReports,
  listSelfReports,
  announce,
  announceConfirm,
  announceCancel,
  announceRecall,
  announceStatus,
  county,
  teamStatus,
  townshipStatus,
  unitStatus,
  visit,
  visitList,
  // End-of-term assessment (考评): 考评, 述职, 评定, 评议码, 纸质评议, 确定, 改定, 复核, 复核答复.
  ...assessCommands,
  help,
  // Hidden, and last among the free sentences: a plain text offered as a report, and its answer.
  reportAsk,
  reportSubmit,
];

export function createRegistry(): Registry {
  return new Registry(commands);
}
