import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ENV, env } from '../core/config.ts';
import { secretsClient } from './clients.ts';

// Powertools over our own client, so the secret is read like every other AWS call (functions/aws/clients.ts).
let provider: SecretsProvider | undefined;
const secrets = () => {
  provider ??= new SecretsProvider({ awsSdkV3Client: secretsClient() });
  return provider;
};

/** The application secret behind every HMAC; cached for five minutes so a rotation is picked up. */
export async function appSecret(): Promise<string> {
  const value = await secrets().get(env(ENV.appSecretArn), { maxAge: 300 });
  if (typeof value !== 'string' || value.length < 32)
    throw new Error('Application secret is missing or too short');
  return value;
}
