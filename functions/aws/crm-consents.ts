// CRM's consent records (CRM_TABLE) as the one-click opt-out needs them (P5): find the customers an address leads
// to, and record one consent as withdrawn. Only what the narrow `crm:withdraw-consent` grant allows: a Query of the
// address index for the partition keys, and an UpdateItem of the consent's withdrawal attributes
// (CONSENT_WITHDRAWAL_ATTRIBUTES below, which the grant in infra/constructs/functions.ts names).
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CONSENT_PREFIX } from '../connectors/crm/connector.ts';
import { CUSTOMER_PREFIX } from '../connectors/records.ts';
import type { ConsentWithdrawals } from '../core/ports.ts';
import { addressIndexPages } from './address-index.ts';

/**
 * The attributes `crm:withdraw-consent` lets a function name in CRM's table (IAM `dynamodb:Attributes`): the keys,
 * the address index's key, and a consent's withdrawal (functions/aws/crm-consents.ts). Nothing else of CRM.
 */
export const CONSENT_WITHDRAWAL_ATTRIBUTES = [
  'pk',
  'sk',
  'email',
  'granted',
  'withdrawnAt',
  'withdrawnChannel',
  'withdrawnBy',
] as const;

/** The DynamoDB ConsentWithdrawals over CRM's table. */
export function dynamoCrmConsents(doc: DynamoDBDocumentClient, table: string): ConsentWithdrawals {
  async function customersOf(email: string): Promise<string[]> {
    const partitions = new Set<string>();
    // The partition key only: nothing else of the customer is read.
    for await (const items of addressIndexPages(doc, table, email, { only: 'pk' })) {
      for (const item of items) {
        if (String(item.pk).startsWith(CUSTOMER_PREFIX)) partitions.add(String(item.pk));
      }
    }
    return [...partitions].sort();
  }

  return {
    async withdraw(email, purpose, how) {
      let withdrawn = 0;
      for (const pk of await customersOf(email.trim().toLowerCase())) {
        try {
          // Only a consent still given changes: a repeat keeps the first withdrawal's date and channel.
          await doc.send(
            new UpdateCommand({
              TableName: table,
              Key: { pk, sk: `${CONSENT_PREFIX}${purpose}` },
              ConditionExpression: 'granted = :given',
              UpdateExpression:
                'SET granted = :no, withdrawnAt = :at, withdrawnChannel = :ch, withdrawnBy = :by',
              ExpressionAttributeValues: {
                ':given': true,
                ':no': false,
                ':at': how.at.toISOString(),
                ':ch': how.channel,
                ':by': how.by,
              },
              ReturnValues: 'NONE',
            }),
          );
          withdrawn += 1;
        } catch (e) {
          // Already withdrawn, never given, or erased meanwhile: nothing to withdraw.
          if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
        }
      }
      return withdrawn;
    },
  };
}
