import { createHmac } from 'node:crypto';

/** What the fetcher answers a push, as far as the server's tests look at it. */
export interface WebhookPushAnswer {
  readonly status: number;
  readonly body: {
    quotes: Record<string, unknown>;
    notices: { item: string; outcome: string; holdId?: string }[];
  };
}

/**
 * Pushes `body` to a running fetcher's webhook for `source`, signed as a provider signs it (apps/fetcher's
 * scheme, computed here: the fetcher is a process): hex HMAC-SHA256 of "timestamp.body" with its secret.
 */
export async function signedWebhookPush(
  fetcherUrl: string,
  source: { readonly name: string; readonly secret: string },
  body: unknown,
): Promise<WebhookPushAnswer> {
  const rawBody = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', source.secret).update(`${timestamp}.${rawBody}`).digest('hex');
  const response = await fetch(`${fetcherUrl}/webhooks/${source.name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tickfolio-timestamp': timestamp,
      'x-tickfolio-signature': `sha256=${signature}`,
    },
    body: rawBody,
  });
  return { status: response.status, body: (await response.json()) as WebhookPushAnswer['body'] };
}
