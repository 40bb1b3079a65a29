// What a subject sends to file a request (P4): one shape per type, each strict, so an unknown field, a missing
// `changes` or `scope`, or an unconfirmed recipient is a 400 before anything is stored.
import { z } from 'zod';
import { ObjectionScopes, RectificationChanges } from './connector.ts';
import { Email, Language } from './schemas.ts';

const common = { email: Email, language: Language.optional() };

/** An organisation the subject names to receive a portable copy (Art. 20(2)); the subject must confirm it. */
export const PortabilityRecipient = z
  .strictObject({
    organisation: z.string().trim().min(2).max(200),
    email: Email,
    confirmed: z.literal(true, 'The subject must confirm the recipient organisation'),
  })
  .openapi('PortabilityRecipient');

export const CreateRequestBody = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('access'), ...common }),
    z.strictObject({ type: z.literal('portability'), ...common, recipient: PortabilityRecipient.optional() }),
    z.strictObject({ type: z.literal('rectification'), ...common, changes: RectificationChanges }),
    z.strictObject({ type: z.literal('erasure'), ...common }),
    z.strictObject({ type: z.literal('objection'), ...common, scope: ObjectionScopes }),
  ])
  .openapi('CreateRequest');
export type CreateRequestBody = z.infer<typeof CreateRequestBody>;
