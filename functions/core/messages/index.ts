// Every message to a subject, in Dutch, French and English (P18): words from the ICU catalogs (catalogs/nl.json,
// fr.json, en.json), HTML from the auto-escaping templates in templates/. Callers import from here.
export {
  CATALOGS,
  english,
  formatDate,
  formatIn,
  knownLabel,
  LANGUAGES,
  type LabelSection,
  LOCALES,
  label,
  labels,
  type MessageKey,
  semicolon,
  t,
  type Values,
} from './catalog.ts';
export { compose, type Message, mail, type Paragraph } from './compose.ts';
export { deadlineStaffMessage, type InterimFacts, interimMessage } from './deadline-mails.ts';
export { accessMessage, portabilityMessage, recipientMessage, type SystemCount } from './export-mails.ts';
export {
  type AcknowledgementFacts,
  acknowledgementMessage,
  type LetterFacts,
  letterHtml,
} from './letters.ts';
export {
  type RecipientsTold,
  rejectionMessage,
  resultMessage,
  staffMessage,
  verificationMessage,
} from './mails.ts';
export { type ExtensionDates, expiryMessage, extensionMessage } from './period-mails.ts';
export { escapeHtml, render } from './render.ts';
export { unsubscribePage } from './unsubscribe-page.ts';
