// Request bodies from flags or a CSV row, checked with the API's own zod schemas (functions/core) before they
// are sent, so a mistake is a usage error (exit 2) with the field's name, and nothing reaches the API.
import type { z } from 'zod';
import { CliError, EXIT } from './errors.ts';

/** What a flag or a CSV cell may say about a request; empty cells are absent. */
export interface RequestFields {
  type?: string;
  email?: string;
  language?: string;
  /** objection scopes, comma-separated */
  scope?: string;
  /** rectification changes, `field=value` pairs separated by `;` (CSV) or given one per --change */
  changes?: string | string[];
  recipientOrganisation?: string;
  recipientEmail?: string;
  channel?: string;
  receivedAt?: string;
  postalAddress?: string;
}

const present = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** `firstName=An;email=an@example.be` or ['firstName=An', ...] as a changes object. */
export function parseChanges(changes: string | string[] | undefined): Record<string, string> | undefined {
  const pairs = (Array.isArray(changes) ? changes : (present(changes)?.split(';') ?? []))
    .map((p) => p.trim())
    .filter(Boolean);
  if (pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError(`A change is field=value, not "${pair.slice(0, 40)}"`, EXIT.usage);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

/** The JSON body of a request from its fields, leaving out what was not given. */
export function requestBody(f: RequestFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const set = (k: string, v: unknown) => {
    if (v !== undefined) body[k] = v;
  };
  set('type', present(f.type));
  set('email', present(f.email));
  set('language', present(f.language));
  set('channel', present(f.channel));
  set('receivedAt', present(f.receivedAt));
  set('postalAddress', present(f.postalAddress));
  const scope = present(f.scope)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  set('scope', scope);
  set('changes', parseChanges(f.changes));
  const organisation = present(f.recipientOrganisation);
  const recipientEmail = present(f.recipientEmail);
  if (organisation || recipientEmail) body.recipient = { organisation, email: recipientEmail };
  return body;
}

/** Checks `body` against the API's schema; a failure is a usage error naming the first field at fault. */
export function checked(schema: z.ZodType, body: unknown, where = ''): void {
  const result = schema.safeParse(body);
  if (result.success) return;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') || 'body';
  throw new CliError(`${where}${path}: ${issue?.message ?? 'invalid'}`, EXIT.usage);
}
