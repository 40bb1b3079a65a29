// The vocabulary every other module builds on, kept apart so the configured systems' schema
// (functions/connectors/generic/base.ts) can use it while functions/core/schemas.ts uses that schema.

/** The built-in systems that hold personal data; one connector each. More come by configuration (P17). */
export const SYSTEMS = ['billing', 'crm', 'support', 'marketing'] as const;
export type BuiltInSystem = (typeof SYSTEMS)[number];

/** Categories of personal data (P16, plus what the systems hold beyond the statement's list). */
export const CATEGORIES = [
  'identification',
  'contact',
  'professional',
  'financial',
  'contract',
  'usage',
  'preferences',
  'profiling',
  'support',
  'marketing',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The fields a rectification may change (P2); functions/core/connector.ts gives each its format. */
export const RECTIFIABLE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'address',
  'language',
  'gender',
  'jobTitle',
] as const;
