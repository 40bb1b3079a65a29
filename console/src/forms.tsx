// The request form: one shape per request type, as POST /requests takes it (functions/core/request-body.ts).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { RequestType } from './api.ts';
import type { Key, T } from './i18n.ts';

export const TYPES: RequestType[] = ['erasure', 'access', 'portability', 'rectification', 'objection'];
const SCOPES = ['direct_marketing', 'profiling', 'legitimate_interest'] as const;
const CHANGE_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const;
const ADDRESS_FIELDS = ['street', 'postalCode', 'city', 'country'] as const;

export interface Draft {
  body: Record<string, unknown>;
  /** the organisation the subject asked a portable copy to go to (Art. 20(2)) */
  organisation?: string;
}

type Fields = Record<string, string>;

/** The body for the chosen type, or the key of what is missing. */
function toBody(type: RequestType, email: string, lang: string, f: Fields, scopes: Set<string>): Draft | Key {
  const body: Record<string, unknown> = { type, language: lang };
  if (email.trim()) body.email = email.trim();
  const value = (name: string) => f[name]?.trim() ?? '';
  if (type === 'portability' && f.transfer === 'yes') {
    body.recipient = { organisation: value('organisation'), email: value('organisationEmail') };
    return { body, organisation: value('organisation') };
  }
  if (type === 'rectification') {
    const changes: Record<string, unknown> = {};
    for (const name of CHANGE_FIELDS) if (value(name)) changes[name] = value(name);
    if (ADDRESS_FIELDS.some((name) => value(name))) {
      changes.address = Object.fromEntries(ADDRESS_FIELDS.map((name) => [name, value(name)]));
    }
    if (Object.keys(changes).length === 0) return 'rect.none';
    body.changes = changes;
  }
  if (type === 'objection') {
    if (scopes.size === 0) return 'obj.none';
    if (scopes.has('legitimate_interest') && scopes.size > 1) return 'obj.alone';
    body.scope = [...scopes];
  }
  return { body };
}

interface FormProps {
  t: T;
  lang: string;
  busy: boolean;
  onSubmit(draft: Draft): void;
  onInvalid(key: Key): void;
  /** staff register requests without an e-mail address (P4); the centre always needs one */
  emailOptional?: boolean;
  /** more fields, shown before the submit button (the console's receipt, channel and representative) */
  children?: ComponentChildren;
}

export function RequestForm({ t, lang, busy, onSubmit, onInvalid, emailOptional, children }: FormProps) {
  const [type, setType] = useState<RequestType>('erasure');
  const [email, setEmail] = useState('');
  const [fields, setFields] = useState<Fields>({});
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const set = (name: string) => (e: Event) =>
    setFields({ ...fields, [name]: (e.currentTarget as HTMLInputElement).value });
  const text = (name: string, label: Key, kind: 'text' | 'email' | 'tel' = 'text', required = false) => (
    <div class="field">
      <label for={`f-${name}`}>{t(label)}</label>
      <input
        id={`f-${name}`}
        type={kind as 'text'}
        value={fields[name] ?? ''}
        onInput={set(name)}
        required={required}
      />
    </div>
  );
  const submit = (e: Event) => {
    e.preventDefault();
    const draft = toBody(type, email, lang, fields, scopes);
    if (typeof draft === 'string') onInvalid(draft);
    else onSubmit(draft);
  };

  return (
    <form onSubmit={submit} noValidate={false}>
      <fieldset>
        <legend>{t('file.type')}</legend>
        {TYPES.map((value) => (
          <div class="choice" key={value}>
            <input
              type="radio"
              id={`type-${value}`}
              name="type"
              value={value}
              checked={type === value}
              onChange={() => setType(value)}
            />
            <label for={`type-${value}`}>{t(`type.${value}` as Key)}</label>
          </div>
        ))}
      </fieldset>

      <div class="field">
        <label for="f-email">{t('file.email')}</label>
        <input
          id="f-email"
          type="email"
          autocomplete="email"
          required={!emailOptional}
          aria-describedby="f-email-hint"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <p id="f-email-hint" class="hint">
          {t('file.emailHint')}
        </p>
      </div>

      {type === 'portability' && (
        <fieldset>
          <legend>{t('type.portability')}</legend>
          <div class="choice">
            <input
              type="checkbox"
              id="f-transfer"
              checked={fields.transfer === 'yes'}
              onChange={(e) => setFields({ ...fields, transfer: e.currentTarget.checked ? 'yes' : '' })}
            />
            <label for="f-transfer">{t('portability.transfer')}</label>
          </div>
          {fields.transfer === 'yes' && text('organisation', 'portability.organisation', 'text', true)}
          {fields.transfer === 'yes' &&
            text('organisationEmail', 'portability.organisationEmail', 'email', true)}
        </fieldset>
      )}

      {type === 'rectification' && (
        <fieldset>
          <legend>{t('rect.legend')}</legend>
          {CHANGE_FIELDS.map((name) =>
            text(name, `rect.${name}` as Key, name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text'),
          )}
          {ADDRESS_FIELDS.map((name) => text(name, `rect.${name}` as Key))}
        </fieldset>
      )}

      {type === 'objection' && (
        <fieldset>
          <legend>{t('obj.legend')}</legend>
          {SCOPES.map((scope) => (
            <div class="choice" key={scope}>
              <input
                type="checkbox"
                id={`scope-${scope}`}
                checked={scopes.has(scope)}
                onChange={(e) => {
                  const next = new Set(scopes);
                  if (e.currentTarget.checked) next.add(scope);
                  else next.delete(scope);
                  setScopes(next);
                }}
              />
              <label for={`scope-${scope}`}>{t(`obj.${scope}` as Key)}</label>
            </div>
          ))}
        </fieldset>
      )}

      {children}
      <button type="submit" disabled={busy}>
        {t('file.submit')}
      </button>
    </form>
  );
}
