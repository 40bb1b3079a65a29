// The routes of requests staff register (P4) and of requests made for the subject (P12), beside
// functions/registry.ts, which lists them among its API_ROUTES. Data only: nothing here imports a handler.
import type { ApiRoute } from './registry.ts';

export const LETTER_ROUTES: ApiRoute[] = [
  // The acknowledgement may be a letter (requests:write keeps it beside the request); a code goes to an e-mail.
  {
    id: 'RegisterRequest',
    method: 'POST',
    path: '/admin/requests',
    entry: 'functions/api/register-request.ts',
    access: 'approver',
    needs: ['requests:write', 'audit:write', 'idempotency', 'mail', 'workflow:start', 'secret'],
  },
  // The secret hashes a customer number staff establish for the audit trail.
  {
    id: 'RecordAuthorityCheck',
    method: 'POST',
    path: '/admin/requests/{id}/authority',
    entry: 'functions/api/record-authority.ts',
    access: 'approver',
    needs: ['requests:write', 'audit:write', 'idempotency', 'workflow:callback', 'secret'],
  },
  {
    id: 'GetLetter',
    method: 'GET',
    path: '/admin/requests/{id}/letters/{letterId}',
    entry: 'functions/api/get-letter.ts',
    access: 'approver',
    needs: ['requests:read', 'audit:write'],
  },
];
