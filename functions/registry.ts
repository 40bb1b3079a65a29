// The map of every Lambda: which file handles which route, workflow task or system, and what it may touch.
// The CDK stack builds functions, routes and grants from it; the local runtime routes and invokes by it.
// Data only: nothing here imports a handler.
import { CONSOLE_ROUTES } from './registry-console.ts';
import { DEADLINE_SWEEP, EXTEND_ROUTE } from './registry-deadlines.ts';
import { LETTER_ROUTES } from './registry-letters.ts';
import { REACHED_ROUTE } from './registry-mail.ts';
import { OPS_ROUTES } from './registry-ops.ts';
import { TASK_REMINDERS, TASK_ROUTES } from './registry-tasks.ts';

/** What a function may touch; the stack turns each into the narrowest grant. */
export type Need =
  | 'requests:read'
  | 'requests:write'
  | 'audit:write'
  | 'idempotency'
  | 'mail'
  | 'workflow:start'
  | 'workflow:callback'
  | 'secret'
  | 'audit-heads:write'
  | 'audit-heads:read'
  | 'metrics'
  | 'exports:read'
  | 'exports:write'
  | 'marketing:write'
  | 'crm:withdraw-consent'
  | 'systems:sweep'
  | 'systems:list'
  | 'ledger:write'
  | 'sweep-files'
  | 'sweep:start';

export type Role = 'viewer' | 'approver' | 'admin';

export interface ApiRoute {
  id: string;
  method: 'GET' | 'POST';
  /** API Gateway path syntax, e.g. /requests/{id} */
  path: string;
  entry: string;
  /** public routes need no login; staff routes need a Cognito token with at least this role. */
  access: 'public' | Role;
  needs: Need[];
}

export const API_ROUTES: ApiRoute[] = [
  {
    id: 'CreateRequest',
    method: 'POST',
    path: '/requests',
    entry: 'functions/api/create-request.ts',
    access: 'public',
    needs: ['requests:write', 'audit:write', 'idempotency', 'mail', 'secret', 'metrics'],
  },
  {
    id: 'VerifyRequest',
    method: 'POST',
    path: '/requests/{id}/verify',
    entry: 'functions/api/verify-request.ts',
    access: 'public',
    needs: ['requests:write', 'audit:write', 'idempotency', 'mail', 'workflow:start', 'secret', 'metrics'],
  },
  {
    id: 'ResendCode',
    method: 'POST',
    path: '/requests/{id}/resend',
    entry: 'functions/api/resend-code.ts',
    access: 'public',
    needs: ['requests:write', 'audit:write', 'idempotency', 'mail', 'secret'],
  },
  {
    id: 'GetRequestStatus',
    method: 'GET',
    path: '/requests/{id}',
    entry: 'functions/api/get-request-status.ts',
    access: 'public',
    needs: ['requests:read', 'secret'],
  },
  {
    id: 'GetOpenApi',
    method: 'GET',
    path: '/openapi.json',
    entry: 'functions/api/get-openapi.ts',
    access: 'public',
    needs: [],
  },
  {
    id: 'ListRequests',
    method: 'GET',
    path: '/admin/requests',
    entry: 'functions/api/list-requests.ts',
    access: 'viewer',
    needs: ['requests:read'],
  },
  {
    id: 'GetRequest',
    method: 'GET',
    path: '/admin/requests/{id}',
    entry: 'functions/api/get-request.ts',
    access: 'viewer',
    // P15: the chain is verified against the head stored at close.
    needs: ['requests:read', 'audit:write', 'audit-heads:read'],
  },
  ...CONSOLE_ROUTES,
  {
    id: 'ApproveRequest',
    method: 'POST',
    path: '/admin/requests/{id}/approve',
    entry: 'functions/api/approve-request.ts',
    access: 'approver',
    needs: ['requests:write', 'audit:write', 'idempotency', 'workflow:callback'],
  },
  {
    id: 'RejectRequest',
    method: 'POST',
    path: '/admin/requests/{id}/reject',
    entry: 'functions/api/reject-request.ts',
    access: 'approver',
    needs: ['requests:write', 'audit:write', 'idempotency', 'workflow:callback'],
  },
  // P8: staff pick the person behind an address several customers share; the secret hashes the pick for the audit.
  {
    id: 'ResolveIdentity',
    method: 'POST',
    path: '/admin/requests/{id}/resolve',
    entry: 'functions/api/resolve-identity.ts',
    access: 'approver',
    needs: ['requests:write', 'audit:write', 'idempotency', 'workflow:callback', 'secret'],
  },
  {
    id: 'RetryRequest',
    method: 'POST',
    path: '/admin/requests/{id}/retry',
    entry: 'functions/api/retry-request.ts',
    access: 'approver',
    needs: ['requests:write', 'audit:write', 'idempotency', 'workflow:start'],
  },
  EXTEND_ROUTE,
  REACHED_ROUTE,
  {
    id: 'UnsubscribePage',
    method: 'GET',
    path: '/unsubscribe/{token}',
    entry: 'functions/api/unsubscribe-page.ts',
    access: 'public',
    needs: ['secret'],
  },
  {
    id: 'Unsubscribe',
    method: 'POST',
    path: '/unsubscribe/{token}',
    entry: 'functions/api/unsubscribe.ts',
    access: 'public',
    // requests:write records the processor's notice (NOTICE#), audit:write the opt-out on its pseudonymous chain,
    // crm:withdraw-consent records CRM's consent for the list as withdrawn (P5, Art. 7(3)), and nothing more in CRM.
    needs: [
      'secret',
      'marketing:write',
      'crm:withdraw-consent',
      'requests:write',
      'audit:write',
      'idempotency',
    ],
  },
  {
    id: 'IssueUnsubscribeLink',
    method: 'POST',
    path: '/admin/unsubscribe-links',
    entry: 'functions/api/issue-unsubscribe-link.ts',
    access: 'admin',
    needs: ['secret', 'audit:write', 'idempotency'],
  },
  // Downloads (P7): public, the signed single-subject token is the authority; answers a redirect, never the file.
  {
    id: 'Download',
    method: 'GET',
    path: '/downloads/{token}',
    entry: 'functions/api/download.ts',
    access: 'public',
    needs: ['requests:read', 'audit:write', 'exports:read', 'secret'],
  },
  ...LETTER_ROUTES,
  ...OPS_ROUTES,
  ...TASK_ROUTES,
];

export interface WorkflowTask {
  /** `${id}Function` is the substitution variable in statemachines/request.asl.json */
  id: string;
  entry: string;
  needs: Need[];
  /** streams whole exports: a longer timeout and more memory than the other tasks */
  long?: boolean;
}

export const WORKFLOW_TASKS: WorkflowTask[] = [
  { id: 'Prepare', entry: 'functions/workflow/prepare.ts', needs: ['requests:write', 'audit:write'] },
  {
    id: 'RecordResults',
    entry: 'functions/workflow/record-results.ts',
    needs: ['requests:write', 'audit:write', 'metrics'],
  },
  // P3: the fresh look after an erasure, compared with what each system answered.
  {
    id: 'RecordRecheck',
    entry: 'functions/workflow/record-recheck.ts',
    needs: ['requests:write', 'audit:write'],
  },
  { id: 'ApprovalWindow', entry: 'functions/workflow/approval-window.ts', needs: ['requests:read'] },
  {
    id: 'AwaitApproval',
    entry: 'functions/workflow/await-approval.ts',
    needs: ['requests:write', 'audit:write', 'mail', 'workflow:callback'],
  },
  // P8: the wait for staff to pick the person behind a shared address, and its reminders.
  {
    id: 'AwaitIdentityCheck',
    entry: 'functions/workflow/await-identity-check.ts',
    needs: ['requests:write', 'audit:write', 'mail', 'workflow:callback'],
  },
  {
    id: 'RemindIdentityCheck',
    entry: 'functions/workflow/remind-identity-check.ts',
    needs: ['requests:read', 'audit:write', 'mail'],
  },
  {
    id: 'RemindApprovers',
    entry: 'functions/workflow/remind-approvers.ts',
    needs: ['requests:read', 'audit:write', 'mail'],
  },
  {
    id: 'TellSubject',
    entry: 'functions/workflow/tell-subject.ts',
    needs: ['requests:write', 'audit:write', 'mail', 'secret'],
  },
  {
    id: 'Close',
    entry: 'functions/workflow/close.ts',
    needs: ['requests:write', 'audit:write', 'audit-heads:write', 'metrics', 'ledger:write', 'secret'],
  },
  {
    id: 'NotifyRecipients',
    entry: 'functions/workflow/notify-recipients.ts',
    needs: ['requests:write', 'audit:write', 'metrics'],
  },
  // Access report and portability package (P1, P7): reads the connectors' files, writes report.html and package.zip.
  {
    id: 'Assemble',
    entry: 'functions/workflow/assemble.ts',
    needs: ['requests:write', 'audit:write', 'exports:read', 'exports:write', 'secret'],
    long: true,
  },
];

export interface ScheduledFunction {
  id: string;
  entry: string;
  /** EventBridge schedule expression; the local runtime runs `rate(...)` ones on timers */
  schedule: string;
  needs: Need[];
}

/** Functions EventBridge invokes on a schedule; the stack builds a rule for each. */
export const SCHEDULES: ScheduledFunction[] = [
  {
    id: 'NoticeSweep',
    entry: 'functions/scheduled/notice-sweep.ts',
    schedule: 'rate(1 hour)',
    needs: ['requests:write', 'audit:write', 'metrics'],
  },
  // P9: unverified requests expire after 14 days (the subject told); closed ones lose their personal part later.
  {
    id: 'ExpirySweep',
    entry: 'functions/scheduled/expiry-sweep.ts',
    schedule: 'rate(1 hour)',
    needs: ['requests:write', 'audit:write', 'mail', 'metrics'],
  },
  DEADLINE_SWEEP,
  TASK_REMINDERS,
];

export { CONNECTORS, type ConnectorFunction } from './registry-connectors.ts';
