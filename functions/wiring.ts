// Builds the domain's dependencies from configuration, once per Lambda container. Handlers call these; the
// domain (core/) never reads configuration or makes AWS clients itself.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { appSecret } from './aws/app-secret.ts';
import { auditHeads, putAuditHead } from './aws/audit-heads.ts';
import { dynamoAuditLog, readAuditChain } from './aws/audit-log.ts';
import { documentClient, s3Client, sesClient, sfnClient } from './aws/clients.ts';
import { dynamoCrmConsents } from './aws/crm-consents.ts';
import { dynamoOpenRequests } from './aws/due-index.ts';
import { dynamoErasureLedger } from './aws/erasure-ledger.ts';
import { dynamoExpiryIndex } from './aws/expiry-index.ts';
import { presignDownload, s3ExportObjects } from './aws/export-store.ts';
import { httpNotifier } from './aws/http-notifier.ts';
import { dynamoLetterStore } from './aws/letter-store.ts';
import { dynamoMarketingOptOut } from './aws/marketing-opt-out.ts';
import { dynamoMessageLog } from './aws/message-log.ts';
import { dynamoNoticeStore, listNotices } from './aws/notice-store.ts';
import { dynamoRateLimiter } from './aws/rate-limiter.ts';
import { dynamoCompletedRequests } from './aws/request-list.ts';
import { dynamoRequestStore } from './aws/request-store.ts';
import { sesMailer } from './aws/ses-mailer.ts';
import { sfnSweepRuns } from './aws/sfn-sweep.ts';
import { sfnWorkflow } from './aws/sfn-workflow.ts';
import { dynamoSubjectHistory } from './aws/subject-history.ts';
import { s3SweepFiles } from './aws/sweep-files.ts';
import { manualSystem } from './connectors/generic/manual/systems.ts';
import { answerMailer as routeAnswers } from './core/answers.ts';
import type { AuditEntry } from './core/audit.ts';
import { now } from './core/clock.ts';
import { ENV, env, envNumber, RATE_LIMIT_DEFAULTS } from './core/config.ts';
import type { DeadlineSweepDeps } from './core/deadline-sweep.ts';
import type { DecisionDeps } from './core/decisions.ts';
import type { DownloadTarget } from './core/download-token.ts';
import type { IntakeDeps } from './core/intake.ts';
import type { ManualTaskDeps } from './core/manual-tasks.ts';
import type { NoticeDelivery } from './core/notifications.ts';
import type { ApprovalDeps } from './core/progress.ts';
import { loggingMailer } from './core/sent-messages.ts';

/** Structured logs: ids, counts and statuses only; never an event, a body or an address. */
export const logger = new Logger();
export const metrics = new Metrics();

/** Writes a chain head to the write-once audit bucket, after every entry (DESIGN: Audit trail). */
export const writeAuditHead = (head: AuditEntry) => putAuditHead(s3Client(), env(ENV.auditBucket), head);
/** The requests table; a change's audit entry is chained in the same transaction, its head written after it. */
export const store = () =>
  dynamoRequestStore(documentClient(), env(ENV.requestsTable), {
    table: env(ENV.auditTable),
    heads: writeAuditHead,
  });
export const audit = () => dynamoAuditLog(documentClient(), env(ENV.auditTable), writeAuditHead);
/** The sent-messages log (requests table): each mail about a request, by kind and role, never the address. */
export const messageLog = () => dynamoMessageLog(documentClient(), env(ENV.requestsTable), now);
/** SES, every mail about a request logged on the way (core/sent-messages.ts). */
export const mailer = () =>
  loggingMailer(
    sesMailer(sesClient(), env(ENV.mailFrom), process.env[ENV.sesConfigurationSet]),
    messageLog(),
    now,
  );
export const workflow = () => sfnWorkflow(sfnClient(), env(ENV.stateMachineArn));
/** Printable letters (P4), beside the request they answer in the requests table. */
export const letterStore = () => dynamoLetterStore(documentClient(), env(ENV.requestsTable));
/** The mailer of answers: to the requester (a representative, P12), or a printable letter without e-mail (P4). */
export const answerMailer = () =>
  routeAnswers({
    mailer: mailer(),
    letters: letterStore(),
    store: store(),
    stylesheet: () => `${env(ENV.publicBaseUrl)}/assets/letter.css`,
    now,
  });
/** The application secret (HMAC and token keys), fetched once and cached. */
export { appSecret };
/** The export bucket: connector files, packages and reports. */
export const exportObjects = () => s3ExportObjects(s3Client(), env(ENV.exportBucket));
/** A presigned GET of an export, valid for minutes (DESIGN: Downloads). */
export const presign = (target: DownloadTarget) => presignDownload(s3Client(), env(ENV.exportBucket), target);
/** Every chain head of a request (or opt-out) in the write-once audit bucket, oldest first. */
export const chainHeads = (requestId: string) => auditHeads(s3Client(), env(ENV.auditBucket), requestId);
/** A request's whole audit chain, oldest first (staff detail view, chain heads). */
export const auditChain = (requestId: string) =>
  readAuditChain(documentClient(), env(ENV.auditTable), requestId);
/** Completed requests by receipt date (the staff dashboard). */
export const completedRequests = () => dynamoCompletedRequests(documentClient(), env(ENV.requestsTable));
/** Open requests by due date (the deadline sweep and the staff dashboard). */
export const openRequests = () => dynamoOpenRequests(documentClient(), env(ENV.requestsTable));
/** The notice store (requests table): where each notice to a recipient stands (P13). */
export const noticeStore = () => dynamoNoticeStore(documentClient(), env(ENV.requestsTable));
/** The notices of a request, as staff see them. */
export const requestNotices = (requestId: string) =>
  listNotices(documentClient(), env(ENV.requestsTable), requestId);

/** A subject's earlier requests, notices and audit chains, by keyed hash, for the access report (P1, P15). */
export const subjectHistoryStore = () =>
  dynamoSubjectHistory(documentClient(), env(ENV.requestsTable), env(ENV.auditTable));
/** The indexes the expiry sweep finds its work by. */
export const expiryIndex = () => dynamoExpiryIndex(documentClient(), env(ENV.requestsTable));
/** The erasure ledger (P3): keyed hashes and dates of every erasure, in its own table. */
export const erasureLedger = () => dynamoErasureLedger(documentClient(), env(ENV.erasuresTable));
/** The retention sweep's working files, under retention/ in the export bucket (P11). */
export const sweepFiles = () => s3SweepFiles(s3Client(), env(ENV.exportBucket));
/** Starts retention sweep runs staff ask for (P11). */
export const sweepRuns = () => sfnSweepRuns(sfnClient(), env(ENV.retentionStateMachineArn));

/** What staff decisions (approve, reject, retry) need. */
export const decisionDeps = (): DecisionDeps => ({
  store: store(),
  audit: audit(),
  workflow: workflow(),
  now,
});

/** What the approval wait and its reminders need. */
export const approvalDeps = (): ApprovalDeps => ({
  store: store(),
  audit: audit(),
  now,
  workflow: workflow(),
  mailer: mailer(),
  staffInbox: env(ENV.staffInbox),
});

/** What the deadline sweep needs: the open requests by due date, and the mail to staff and subjects (P9). */
export const deadlineSweepDeps = (): DeadlineSweepDeps => ({
  open: openRequests(),
  store: store(),
  audit: audit(),
  // The interim answer goes to the requester, or is printed (P4, P12); staff reminders pass through.
  mailer: answerMailer(),
  staffInbox: env(ENV.staffInbox),
  now,
});

/** The marketing system's table as the one-click opt-out needs it. */
export const marketingOptOut = () =>
  dynamoMarketingOptOut(documentClient(), env(ENV.systemTable('marketing')));

/** CRM's consents as the one-click opt-out withdraws them (the narrow `crm:withdraw-consent` grant). */
export const crmConsents = () => dynamoCrmConsents(documentClient(), env(ENV.systemTable('crm')));

/** How notices reach recipients; the timeout keeps each call well inside its caller's own limit. */
export const noticeDelivery = (timeoutMs: number): NoticeDelivery => ({
  store: noticeStore(),
  notifier: httpNotifier({ timeoutMs }),
  recipientsBaseUrl: env(ENV.recipientsBaseUrl),
  now,
});

/** Everything intake needs, with the secret fetched (and cached) on first use. */
export async function intakeDeps(): Promise<IntakeDeps> {
  return {
    store: store(),
    audit: audit(),
    mailer: mailer(),
    limiter: dynamoRateLimiter(documentClient(), env(ENV.requestsTable)),
    workflow: workflow(),
    secret: await appSecret(),
    now,
    limits: {
      perAddress: envNumber(ENV.rateLimitPerAddress, RATE_LIMIT_DEFAULTS.perAddress),
      perSource: envNumber(ENV.rateLimitPerSource, RATE_LIMIT_DEFAULTS.perSource),
      windowSeconds: envNumber(ENV.rateLimitWindowSeconds, RATE_LIMIT_DEFAULTS.windowSeconds),
    },
  };
}

/** What manual tasks need (P16, P17): the request, the owner's mail, the parked workflow task, the link's key. */
export const manualTaskDeps = async (): Promise<ManualTaskDeps> => ({
  store: store(),
  audit: audit(),
  mailer: mailer(),
  workflow: workflow(),
  secret: await appSecret(),
  publicBaseUrl: env(ENV.publicBaseUrl),
  now,
  system: manualSystem,
});
