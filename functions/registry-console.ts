// The staff console's read routes beside functions/registry.ts, which lists them among its API_ROUTES.
// Data only: nothing here imports a handler.
import type { ApiRoute } from './registry.ts';

export const CONSOLE_ROUTES: ApiRoute[] = [
  // P15: the personal data staff need to act; each opening is an audit entry the subject can learn of.
  {
    id: 'GetSubject',
    method: 'GET',
    path: '/admin/requests/{id}/subject',
    entry: 'functions/api/get-subject.ts',
    access: 'approver',
    needs: ['requests:read', 'audit:write'],
  },
  // P9: the deadline sweep's figures and the completions against their due dates; counts only.
  {
    id: 'GetDashboard',
    method: 'GET',
    path: '/admin/dashboard',
    entry: 'functions/api/get-dashboard.ts',
    access: 'viewer',
    needs: ['requests:read'],
  },
];
