// What a subject sends to file a request (P4): one shape per type, each strict, so an unknown field (a recipient
// `confirmed` flag among them), a missing `changes` or `scope` is a 400 before anything is stored.
import * as z from 'zod';
import { ObjectionScopes, RectificationChanges } from './connector.ts';
import { Email, Language } from './schemas.ts';

const common = { email: Email, language: Language.optional() };

/**
 * An objection's scopes. One to processing on legitimate interest waits for staff to weigh it (Art. 21(1)), so it
 * is filed on its own: an objection to direct marketing or a withdrawal of consent with it would wait too, and those
 * are carried out at once (Art. 21(3), Art. 7(3)).
 */
const Scopes = ObjectionScopes.refine(
  (s) => !s.includes('legitimate_interest') || s.length === 1,
  'An objection to processing on legitimate interest is weighed by staff: file it on its own, apart from direct marketing or profiling',
).openapi({
  description:
    'direct_marketing (with the profiling for it; absolute, Art. 21(2)-(3)) and profiling (withdraws the consent, Art. 7(3)) are carried out without approval; legitimate_interest (Art. 21(1)) is weighed by staff and filed on its own',
});

/**
 * An organisation the subject names to receive a portable copy (Art. 20(2)). The code mail names it and the
 * subject confirms it when verifying (`confirmTransfer`), so a form can neither skip nor pre-fill that step. Its
 * name is the form's text, shown in that mail: no line breaks or other control characters.
 */
export const PortabilityRecipient = z
  .strictObject({
    organisation: z
      .string()
      .trim()
      .min(2)
      .max(200)
      .refine((name) => !/[\p{Cc}\u2028\u2029]/u.test(name), 'An organisation name on one line'),
    email: Email,
  })
  .openapi('PortabilityRecipient', {
    description:
      'Named in the code e-mail; the subject confirms the transfer with "confirmTransfer": true when verifying',
  });

export const CreateRequestBody = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('access'), ...common }),
    z.strictObject({ type: z.literal('portability'), ...common, recipient: PortabilityRecipient.optional() }),
    z.strictObject({ type: z.literal('rectification'), ...common, changes: RectificationChanges }),
    z.strictObject({ type: z.literal('erasure'), ...common }),
    z.strictObject({ type: z.literal('objection'), ...common, scope: Scopes }),
  ])
  .openapi('CreateRequest');
export type CreateRequestBody = z.infer<typeof CreateRequestBody>;
