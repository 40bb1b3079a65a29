import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { appSecret } from '../aws/app-secret.ts';
import { documentClient } from '../aws/clients.ts';
import { suppress } from '../aws/suppression-store.ts';
import { EMAIL_INDEX } from '../connectors/records.ts';
import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import { ClientError } from '../core/errors.ts';
import { unsubscribePage } from '../core/messages/index.ts';
import { isSuppressed, type MarketingList, suppressionKey } from '../core/suppression.ts';
import {
  checkOneClickBody,
  type MarketingOptOutStore,
  optOut,
  readUnsubscribeToken,
} from '../core/unsubscribe.ts';
import { audit, logger, noticeDelivery } from '../wiring.ts';
import { route } from './http.ts';
import { invalidToken, PAGE_HEADERS, pageLanguage } from './unsubscribe-page.ts';

/** The marketing store (MARKETING_TABLE) as the opt-out needs it: suppression entry and list entries. */
export function dynamoMarketingOptOut(doc: DynamoDBDocumentClient, table: string): MarketingOptOutStore {
  return {
    async isSuppressed(ref: string, list: MarketingList) {
      const out = await doc.send(
        new GetCommand({ TableName: table, Key: suppressionKey(ref), ConsistentRead: true }),
      );
      return isSuppressed(out.Item, list);
    },
    async suppress(ref, list, at) {
      await suppress({ doc, table }, { subjectRef: ref, lists: [list], reason: 'opt_out', now: at });
    },
    async removeFromList(email, list) {
      let removed = 0;
      let start: Record<string, unknown> | undefined;
      do {
        // The address index finds customers' and prospects' entries alike.
        const page = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: EMAIL_INDEX,
            KeyConditionExpression: 'email = :e AND sk = :sk',
            ExpressionAttributeValues: { ':e': email, ':sk': `LIST#${list}` },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          try {
            await doc.send(
              new DeleteCommand({
                TableName: table,
                Key: { pk: item.pk, sk: item.sk },
                ConditionExpression: 'email = :e',
                ExpressionAttributeValues: { ':e': email },
              }),
            );
            removed += 1;
          } catch (e) {
            // Already gone (a concurrent opt-out or erasure): the same end state.
            if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
          }
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return removed;
    },
  };
}

/**
 * POST /unsubscribe/{token} with `List-Unsubscribe=One-Click` (RFC 8058; P5): takes the address off the list,
 * suppresses it (keyed hash) and tells the list's processor. No login and no code: the signed token is the
 * authority. Idempotent; answers a small page, as the form post of a browser expects.
 */
export const handler = route(
  { id: 'Unsubscribe', idempotent: true },
  async ({ event, params, query, headers }) => {
    const secret = await appSecret();
    const target = readUnsubscribeToken(secret, params.token ?? '');
    if (!target) return invalidToken(query, headers);
    // The body is a form, not JSON: the route's JSON parsing is not used here.
    const body = event.isBase64Encoded
      ? Buffer.from(event.body ?? '', 'base64').toString()
      : (event.body ?? '');
    const problem = checkOneClickBody(headers['content-type'] ?? '', body);
    if (problem === 'unsupported_media_type')
      throw new ClientError(
        415,
        'unsupported-media-type',
        'Send a form',
        'Content-Type must be application/x-www-form-urlencoded or multipart/form-data.',
      );
    if (problem)
      throw new ClientError(
        400,
        'one-click-required',
        'The body must be List-Unsubscribe=One-Click (RFC 8058)',
      );

    const doc = documentClient();
    const result = await optOut(
      {
        secret,
        marketing: dynamoMarketingOptOut(doc, env(ENV.systemTable('marketing'))),
        audit: audit(),
        // Well inside the route's 10 s: an unanswered processor is left to the notice sweep.
        delivery: noticeDelivery(4000),
        now,
      },
      target,
    );
    logger.info('One-click opt-out', {
      optOutId: result.id,
      list: target.list,
      changed: result.changed,
      removed: result.removed,
      notified: result.notified,
      acknowledged: result.acknowledged,
    });
    return {
      status: 200,
      html: unsubscribePage(pageLanguage(query, target.language), 'done', target.list),
      headers: PAGE_HEADERS,
    };
  },
);
