import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { secretsClient } from './clients.ts';

// A configured system's own secret (P17): its API key, or its OAuth2 client's id and secret as JSON.
let provider: SecretsProvider | undefined;

/** The secret by the name the system's file gives; cached five minutes, so a rotation is picked up. */
export async function systemSecret(name: string): Promise<string> {
  provider ??= new SecretsProvider({ awsSdkV3Client: secretsClient() });
  const value = await provider.get(name, { maxAge: 300 });
  if (typeof value !== 'string' || value === '') throw new Error('A system secret is missing or empty');
  return value;
}
