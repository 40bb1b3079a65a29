// The Art. 15(1) context of one system in the access report (P17): what for, on which legal basis, for how long,
// from which sources and to whom, from the processing and recipients registers, in the subject's language. "To whom"
// names only the recipients this subject's data went to (recipients-reached.ts); categories only where unknown.

import { label, labels, semicolon, t } from './messages/index.ts';
import type { SubjectRecipients } from './recipients-reached.ts';
import { loadProcessingRegister, type Recipient } from './registers/index.ts';
import { fieldLabel } from './report-cells.ts';
import type { Language, SystemName } from './schemas.ts';
import { allSystems } from './systems.ts';

/** A recipient as the report names it: one that received the subject's data (P1, Art. 15(1)(c)). */
export interface RecipientView {
  name: string;
  role: string;
  country: string;
  service: string;
  fields: string;
}

/** Purposes, legal bases, retention, sources, recipients and automated decisions of one system. */
export interface SystemContext {
  purposes: { purpose: string; bases: string; categories: string; retention: string }[];
  sources: { text: string; category: string }[];
  /** the recipients that received the subject's data from this system */
  recipients: RecipientView[];
  /** where the facts do not say which recipients did: the categories of recipient of this system, unnamed */
  recipientCategories: string[];
  automated: string;
}

/** A recipient the subject's data went to, in the language. */
export const recipientView = (rc: Recipient, lang: Language): RecipientView => ({
  name: rc.name,
  role: label('report.role', rc.kind, lang),
  country: rc.country,
  service: rc.service[lang],
  fields: rc.fields.map((f) => fieldLabel(f, lang)).join(', '),
});

/** A category of recipient, without its name: its role, where it is, and the service it gives. */
export const recipientCategory = (rc: Recipient, lang: Language): string =>
  t(lang, 'report.labelled', {
    label: `${label('report.role', rc.kind, lang)} (${rc.country})`,
    value: rc.service[lang],
  });

/**
 * The register's context of one system, as the report template shows it; the recipients are those the subject's
 * data actually went to from this system (recipients-reached.ts), not every recipient the register lists.
 */
export function registerContext(
  system: SystemName,
  lang: Language,
  shared: SubjectRecipients = { received: [], unknown: [] },
): SystemContext {
  const register = loadProcessingRegister();
  const entry = register.systems[system];
  // A configured system without a register entry (P17) shows what its data are, no purposes of its own.
  if (!entry) return { purposes: [], sources: [], recipients: [], recipientCategories: [], automated: '' };
  return {
    purposes: entry.processing.map((line) => {
      const bases = line.legalBasis
        .map((b) =>
          t(lang, 'report.legalBasisLine', {
            basis: register.legalBases[b].text[lang],
            article: register.legalBases[b].article,
          }),
        )
        .join(semicolon(lang));
      return {
        purpose: register.purposes[line.purpose]?.text[lang] ?? line.purpose,
        bases: line.legalBasisNote ? `${bases}\n${line.legalBasisNote[lang]}` : bases,
        categories: labels('category', line.categories, lang),
        retention: register.retentionRules[line.retention.rule].text[lang],
      };
    }),
    sources: entry.sources.map((s) => ({
      text: s.text[lang],
      category: label('category', s.category, lang),
    })),
    recipients: shared.received
      .filter((x) => x.systems.includes(system))
      .map((x) => recipientView(x.recipient, lang)),
    recipientCategories: shared.unknown
      .filter((x) => x.systems.includes(system))
      .map((x) => recipientCategory(x.recipient, lang)),
    automated: entry.automatedDecisions.text[lang],
  };
}

/** The report's own recipients section (Art. 15(1)(c)). */
export interface RecipientsPart {
  /** the recipients that received this subject's data (CJEU C-154/21), never the whole register */
  recipients: (RecipientView & { systems: string })[];
  /** categories only, where a system holding the subject did not say which records: which systems, and the lines */
  recipientCategories?: { systems: string; lines: string[] };
}

/** The report's recipients: those named by the facts, and category-level lines only where none can be named. */
export function recipientsPart(shared: SubjectRecipients, lang: Language): RecipientsPart {
  const unknownSystems = allSystems().filter((s) => shared.unknown.some((x) => x.systems.includes(s)));
  return {
    recipients: shared.received.map((x) => ({
      ...recipientView(x.recipient, lang),
      systems: labels('system', x.systems, lang),
    })),
    ...(unknownSystems.length > 0
      ? {
          recipientCategories: {
            systems: labels('system', unknownSystems, lang),
            lines: shared.unknown.map((x) => recipientCategory(x.recipient, lang)),
          },
        }
      : {}),
  };
}
