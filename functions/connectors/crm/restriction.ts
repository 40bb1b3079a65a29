// CRM's erasure rule (P3): while a contract runs, an erasure cannot end what the contract needs (GDPR Art. 17(1)(a)
// does not apply to data still necessary for it, Art. 6(1)(b)). Kept, restricted, on the running_contract ground:
// each contract still running (what was agreed, from when, until when) and, of the profile, only who the other
// party is (customer number and name). Contact details, account, consents and interest profiles go all the same:
// the store never keeps contact data restricted, so whatever the contract needs to reach her she gives again.
import { contractRetention } from '../../core/retention.ts';
import type { StoredItem } from '../records.ts';
import type { Restriction, RestrictionRule } from '../store/index.ts';

export const CONTRACT_PREFIX = 'CONTRACT#';

/** What a kept contract shows: its number, product, start, end and state. */
export const CONTRACT_KEPT_FIELDS = [
  'customerNumber',
  'contractNumber',
  'product',
  'startedAt',
  'endsAt',
  'status',
] as const;

/** The least identity a running contract needs: who the party to it is. */
export const PARTY_KEPT_FIELDS = ['customerNumber', 'firstName', 'lastName'] as const;

const pick = (source: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]));

const isContract = (item: StoredItem) => item.sk.startsWith(CONTRACT_PREFIX);

/** A contract as the rule reads it, when its status says it runs; one without an end date renews monthly. */
function activeContract(item: StoredItem): { contractNumber: string; endsAt?: string } | undefined {
  if (!isContract(item) || item.status !== 'active') return undefined;
  const contractNumber =
    typeof item.contractNumber === 'string' ? item.contractNumber : item.sk.slice(CONTRACT_PREFIX.length);
  return typeof item.endsAt === 'string' && item.endsAt !== ''
    ? { contractNumber, endsAt: item.endsAt }
    : { contractNumber };
}

/** CRM's erasure rule: running contracts and the party's name are kept while a contract runs; the rest goes. */
export const restrictForContract: RestrictionRule = (item, now, related): Restriction | undefined => {
  if (isContract(item)) {
    const contract = activeContract(item);
    const retention = contract && contractRetention([contract], now);
    return retention ? { retention, keep: pick(item, CONTRACT_KEPT_FIELDS) } : undefined;
  }
  if (item.sk !== 'PROFILE') return undefined;
  const contracts = related
    .filter((r) => r.customerNumber === item.customerNumber)
    .flatMap((r) => activeContract(r) ?? []);
  const retention = contractRetention(contracts, now);
  return retention ? { retention, keep: pick(item, PARTY_KEPT_FIELDS) } : undefined;
};
