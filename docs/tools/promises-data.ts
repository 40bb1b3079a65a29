// The hand-kept half of docs/PROMISES.md: each promise's title (from the shared PROMISES.md, whose IDs are
// stable) and the source files that keep it. The tests that prove each promise are not listed here: the
// generator finds them by the promise IDs their titles cite. test/unit/docs/promises.test.ts checks that every
// file named here exists.

export interface PromiseEntry {
  id: string;
  /** What the privacy statement promises (its section in parentheses). */
  title: string;
  /** Where the promise is kept: repository paths, most telling first. */
  code: string[];
}

export const PROMISES: PromiseEntry[] = [
  {
    id: 'P1',
    title: 'Right of access, "inzage" (11)',
    code: [
      'functions/workflow/assemble.ts',
      'functions/core/report.ts',
      'functions/core/report-context.ts',
      'functions/core/report-history.ts',
      'functions/connectors/store/export.ts',
    ],
  },
  {
    id: 'P2',
    title: 'Right to rectification, "correctie" (11)',
    code: [
      'functions/connectors/store/rectify.ts',
      'functions/core/request-fields.ts',
      'functions/core/notice-plan.ts',
    ],
  },
  {
    id: 'P3',
    title: 'Right to erasure, "verwijdering", at any moment (11)',
    code: [
      'functions/connectors/store/erase.ts',
      'functions/connectors/billing/restriction.ts',
      'functions/core/retention.ts',
      'functions/core/recheck.ts',
      'functions/core/erasure-ledger.ts',
      'local/reapply-erasures.ts',
    ],
  },
  {
    id: 'P4',
    title: 'Requests via the account settings, by e-mail or by letter (11)',
    code: [
      'functions/api/create-request.ts',
      'functions/api/register-request.ts',
      'functions/core/register.ts',
      'functions/core/answers.ts',
      'console/src/forms.tsx',
    ],
  },
  {
    id: 'P5',
    title: 'Opt-out in every mailing; opt-out by e-mail (11)',
    code: [
      'functions/core/unsubscribe.ts',
      'functions/api/issue-unsubscribe-link.ts',
      'functions/api/one-click.ts',
      'functions/api/unsubscribe.ts',
      'functions/aws/marketing-opt-out.ts',
    ],
  },
  {
    id: 'P6',
    title: 'Withdraw consent, object to processing by us or a processor (11)',
    code: [
      'functions/connectors/store/object.ts',
      'functions/core/lifecycle.ts',
      'functions/core/suppression.ts',
      'functions/aws/suppression-store.ts',
    ],
  },
  {
    id: 'P7',
    title: 'Data portability: a computer file sent to you or to another organisation you name (11)',
    code: [
      'functions/core/package.ts',
      'functions/core/package-zip.ts',
      'functions/core/portability-scope.ts',
      'functions/core/download-token.ts',
      'functions/api/download.ts',
      'functions/connectors/export-files.ts',
    ],
  },
  {
    id: 'P8',
    title: '"We may ask you to prove your identity" (11)',
    code: [
      'functions/core/intake.ts',
      'functions/core/secrets.ts',
      'functions/api/verify-request.ts',
      'functions/core/identity-check.ts',
      'functions/aws/rate-limiter.ts',
    ],
  },
  {
    id: 'P9',
    title: 'Answer within 30 days of receipt (11)',
    code: [
      'functions/core/deadlines.ts',
      'functions/core/extension.ts',
      'functions/core/deadline-watch.ts',
      'functions/scheduled/deadline-sweep.ts',
      'functions/core/expiry.ts',
      'infra/constructs/alarms.ts',
    ],
  },
  {
    id: 'P10',
    title: 'Complaint to the Belgian supervisory authority (11, 12)',
    code: [
      'functions/core/messages/compose.ts',
      'functions/core/messages/mails.ts',
      'functions/core/delivery.ts',
      'functions/core/sent-messages.ts',
    ],
  },
  {
    id: 'P11',
    title: 'Deleted after at most 3 years of inactivity; contract + legal retention periods (7)',
    code: [
      'statemachines/retention-sweep.asl.json',
      'functions/core/inactivity.ts',
      'functions/core/retention-batch.ts',
      'functions/core/retention-purge.ts',
      'functions/scheduled/retention-batch.ts',
    ],
  },
  {
    id: 'P12',
    title: "Minors under 16: a parent can ask us to delete a child's data (8)",
    code: ['functions/core/authority.ts', 'functions/api/record-authority.ts', 'functions/core/register.ts'],
  },
  {
    id: 'P13',
    title:
      'Processors for e-mail marketing, invoicing, re-orders and direct mailing receive name, first name, language, gender, e-mail (9)',
    code: [
      'functions/core/registers/recipients.json',
      'functions/core/notice-plan.ts',
      'functions/core/notice-delivery.ts',
      'functions/core/notice-sweep.ts',
      'functions/core/recipients-reached.ts',
      'functions/workflow/notify-recipients.ts',
    ],
  },
  {
    id: 'P14',
    title: 'No transfer to parties outside the EU (9)',
    code: ['infra/region.ts', 'infra/stack.ts'],
  },
  {
    id: 'P15',
    title:
      'Only a limited number of staff can consult the data; protected against misuse, loss, unauthorised access (6)',
    code: [
      'functions/core/audit.ts',
      'functions/aws/audit-heads.ts',
      'functions/api/http.ts',
      'infra/constructs/data.ts',
      'infra/constructs/api.ts',
      'local/audit-verify.ts',
    ],
  },
  {
    id: 'P16',
    title: 'Categories: identification, contact, professional, financial, contract (4)',
    code: [
      'functions/core/schemas.ts',
      'functions/connectors/records.ts',
      'functions/connectors/redaction.ts',
    ],
  },
  {
    id: 'P17',
    title:
      'Purposes: contracts, support, accounts, … job applications, invoicing, personalisation, newsletters (5)',
    code: ['functions/core/registers/processing-register.json', 'functions/core/registers/processing.ts'],
  },
  {
    id: 'P18',
    title: 'Answers in the subject\'s language ("voorkeurstaal", 4)',
    code: [
      'functions/core/messages/catalogs/nl.json',
      'functions/core/messages/catalogs/fr.json',
      'functions/core/messages/catalogs/en.json',
      'functions/core/messages/catalog.ts',
      'console/src/i18n',
    ],
  },
];
