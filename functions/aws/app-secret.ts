import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ENV, env } from '../core/config.ts';

/** The application secret behind every HMAC; cached for five minutes so a rotation is picked up. */
export async function appSecret(): Promise<string> {
  const value = await getSecret(env(ENV.appSecretArn), { maxAge: 300 });
  if (typeof value !== 'string' || value.length < 32)
    throw new Error('Application secret is missing or too short');
  return value;
}
