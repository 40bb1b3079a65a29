// Two records staff make on a request's page: how they checked identity and, for a representative, authority (P12;
// a method code and an internal note, never a copy of a document, GBA 17/2020), and how they reached a subject
// whose mail bounced (P10). Both are approver actions; the server checks the role and audits each.
import { useState } from 'preact/hooks';
import type { CKey } from './i18n.ts';
import type { PageProps } from './main.tsx';

export const AUTHORITY_METHODS = [
  'id_document_seen',
  'customer_number_and_address',
  'signed_letter_matches_records',
  'parental_authority_document_seen',
  'guardianship_decision_seen',
  'power_of_attorney_seen',
  'lawyer_mandate_seen',
];
export const REACH_MEANS = ['letter', 'phone', 'other_address', 'in_person'];
const NOTE_MAX = 500;

type FormProps = Pick<PageProps, 't'> & { busy: boolean };

function CodeSelect(props: FormProps & { id: string; label: CKey; prefix: string; codes: string[] }) {
  const { t } = props;
  const [value, setValue] = useState('');
  return (
    <div class="field">
      <label for={props.id}>{t(props.label)}</label>
      <select
        id={props.id}
        name={props.id}
        required
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
      >
        <option value="">{t('act.choose')}</option>
        {props.codes.map((c) => (
          <option key={c} value={c}>
            {t(`${props.prefix}.${c}` as CKey)}
          </option>
        ))}
      </select>
    </div>
  );
}

function Note({ t, id }: Pick<PageProps, 't'> & { id: string }) {
  return (
    <div class="field">
      <label for={id}>{t('check.note')}</label>
      <textarea id={id} name={id} maxLength={NOTE_MAX} aria-describedby={`${id}-hint`} />
      <p id={`${id}-hint`} class="hint">
        {t('check.noteHint')}
      </p>
    </div>
  );
}

/** The form's named values, trimmed; empty ones left out, as the API wants optional fields absent. */
const valuesOf = (form: HTMLFormElement) =>
  Object.fromEntries(
    [...new FormData(form).entries()]
      .map(([k, v]): [string, string] => [k, String(v).trim()])
      .filter(([, v]) => v !== ''),
  );

export function AuthorityForm(
  props: FormProps & {
    of: 'identity' | 'authority';
    onSubmit(body: { method: string; note?: string; customerNumber?: string }): void;
  },
) {
  const { t } = props;
  return (
    <form
      class="action"
      onSubmit={(e) => {
        e.preventDefault();
        const v = valuesOf(e.currentTarget);
        props.onSubmit({
          method: v['a-method'] ?? '',
          ...(v['a-note'] ? { note: v['a-note'] } : {}),
          ...(v['a-customer'] ? { customerNumber: v['a-customer'] } : {}),
        });
      }}
    >
      <h3>{t(props.of === 'authority' ? 'check.authority' : 'check.identity')}</h3>
      <p class="hint">{t('check.hint')}</p>
      <CodeSelect {...props} id="a-method" label="check.method" prefix="method" codes={AUTHORITY_METHODS} />
      <Note t={t} id="a-note" />
      <div class="field">
        <label for="a-customer">{t('check.customerNumber')}</label>
        <input id="a-customer" name="a-customer" pattern="C-[0-9]{6}" placeholder="C-100234" />
      </div>
      <button type="submit" disabled={props.busy}>
        {t('check.submit')}
      </button>
    </form>
  );
}

export function ReachedForm(props: FormProps & { onSubmit(body: { means: string; note?: string }): void }) {
  const { t } = props;
  return (
    <form
      class="action"
      onSubmit={(e) => {
        e.preventDefault();
        const v = valuesOf(e.currentTarget);
        props.onSubmit({ means: v['m-means'] ?? '', ...(v['m-note'] ? { note: v['m-note'] } : {}) });
      }}
    >
      <h3>{t('reached.heading')}</h3>
      <p class="hint">{t('reached.hint')}</p>
      <CodeSelect {...props} id="m-means" label="reached.means" prefix="means" codes={REACH_MEANS} />
      <Note t={t} id="m-note" />
      <button type="submit" disabled={props.busy}>
        {t('reached.submit')}
      </button>
    </form>
  );
}
