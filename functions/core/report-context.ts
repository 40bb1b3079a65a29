// The Art. 15(1) context of one system in the access report (P17): what for, on which legal basis, for how long,
// from which sources and to whom, from the processing and recipients registers, in the subject's language.
import { label, labels, semicolon, t } from './messages/index.ts';
import { loadProcessingRegister, loadRecipients } from './registers/index.ts';
import { fieldLabel } from './report-cells.ts';
import type { Language, SystemName } from './schemas.ts';

/** Purposes, legal bases, retention, sources, recipients and automated decisions of one system. */
export interface SystemContext {
  purposes: { purpose: string; bases: string; categories: string; retention: string }[];
  sources: { text: string; category: string }[];
  recipients: { name: string; role: string; country: string; service: string; fields: string }[];
  automated: string;
}

/** The register's context of one system, as the report template shows it. */
export function registerContext(system: SystemName, lang: Language): SystemContext {
  const register = loadProcessingRegister();
  const entry = register.systems[system];
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
    recipients: loadRecipients()
      .recipients.filter((rc) => rc.systems.includes(system))
      .map((rc) => ({
        name: rc.name,
        role: label('report.role', rc.kind, lang),
        country: rc.country,
        service: rc.service[lang],
        fields: rc.fields.map((f) => fieldLabel(f, lang)).join(', '),
      })),
    automated: entry.automatedDecisions.text[lang],
  };
}
