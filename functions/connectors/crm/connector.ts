// CRM: identity, contact, professional data, gender, language, consents, interest profile, account, contracts.
// An erasure deletes every record of the subject but what a running contract needs (restriction.ts). An objection to
// direct marketing withdraws the marketing consents and, since it covers the profiling for it (Art. 21(2)), the
// profiling consent too, and deletes the interest profiles (built for advertising); withdrawing the profiling
// consent alone does the latter (Art. 7(3)). An objection on legitimate interest is the register's (store/object.ts).

import type { ObjectionScope } from '../../core/connector.ts';
import type { Outcome } from '../../core/schemas.ts';
import type { StoredItem } from '../records.ts';
import {
  type ActivityRule,
  type ConnectorStores,
  createStoreConnector,
  type ExportRules,
  erasedOutcomes,
  type ObjectionRule,
  type StoreConnector,
} from '../store/index.ts';
import { restrictForContract } from './restriction.ts';

/** Consents an objection withdraws, per scope; direct marketing includes the profiling for it (Art. 21(2)). */
export const CONSENTS_BY_SCOPE: Record<ObjectionScope, string[]> = {
  direct_marketing: ['newsletter', 'direct_mailing', 'profiling'],
  profiling: ['profiling'],
  legitimate_interest: [],
};

/** Scopes that end the interest profiles: they serve advertising only (register: interest_profiles). */
const ENDS_PROFILING: readonly ObjectionScope[] = ['direct_marketing', 'profiling'];

export const CONSENT_PREFIX = 'CONSENT#';
export const INTEREST_PREFIX = 'INTEREST#';

/** CRM's files; the account's password hash is reported as existing, never exported (records.ts SECRET_FIELDS). */
export const CRM_EXPORT: ExportRules = {
  files: {
    PROFILE: { name: 'profile' },
    CONTACT: { name: 'contact' },
    PROFESSIONAL: { name: 'professional' },
    ACCOUNT: { name: 'account' },
    CONSENT: {
      name: 'consents',
      columns: [
        'customerNumber',
        'purpose',
        'granted',
        'recordedAt',
        'channel',
        'policyVersion',
        'withdrawnAt',
        'withdrawnChannel',
      ],
    },
    INTEREST: {
      name: 'interest-profiles',
      columns: ['customerNumber', 'topic', 'score', 'derivedFrom', 'updatedAt'],
    },
  },
};

/** CRM's objection rule: consents recorded as withdrawn (kept as evidence), interest profiles deleted. */
export const objectInCrm: ObjectionRule = async (store, subject, ctx, { scope }) => {
  const { partitions } = await store.footprint(subject.email, subject.customerNumber);
  if (partitions.length === 0) return [{ kind: 'not_found' }];
  const purposes = new Set(scope.flatMap((s) => CONSENTS_BY_SCOPE[s]));

  const consents: StoredItem[] = [];
  const interests: StoredItem[] = [];
  for (const pk of partitions) {
    for await (const page of store.pages(pk, CONSENT_PREFIX)) {
      consents.push(...page.filter((c) => purposes.has(String(c.purpose))));
    }
    if (scope.some((s) => ENDS_PROFILING.includes(s))) {
      for await (const page of store.pages(pk, INTEREST_PREFIX)) interests.push(...page);
    }
  }

  for (const consent of consents.filter((c) => c.granted === true)) {
    // Erased meanwhile: nothing left to withdraw (the store leaves a gone record gone).
    await store.update(consent, {
      granted: false,
      withdrawnAt: ctx.now.toISOString(),
      withdrawnBy: ctx.requestId,
    });
  }
  await store.deleteAll(interests);

  // A repeat finds the consents already withdrawn and reports them again: the state, not the change.
  const outcomes: Outcome[] = [];
  if (consents.length > 0) {
    outcomes.push({
      kind: 'withdrawn',
      records: consents.length,
      category: 'preferences',
      purposes: [...new Set(consents.map((c) => String(c.purpose)))].sort(),
    });
  }
  outcomes.push(...erasedOutcomes(interests));
  return outcomes.length > 0 ? outcomes : [{ kind: 'skipped', reason: 'nothing_to_object' }];
};

/** What dates a customer's activity in CRM (P11): logins, the account, consents given or withdrawn, own updates. */
export const CRM_ACTIVITY: ActivityRule = {
  dates: {
    PROFILE: ['customerSince'],
    CONTACT: ['updatedAt'],
    PROFESSIONAL: ['updatedAt'],
    ACCOUNT: ['createdAt', 'lastLoginAt'],
    CONSENT: ['recordedAt', 'withdrawnAt'],
  },
};

/** The CRM's connector over its store. */
export function createCrmConnector(stores: ConnectorStores): StoreConnector {
  return createStoreConnector({
    system: 'crm',
    stores,
    exportRules: CRM_EXPORT,
    object: objectInCrm,
    restrict: restrictForContract,
    activity: CRM_ACTIVITY,
  });
}
