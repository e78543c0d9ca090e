import type { Client, Dispatcher, buildConnector } from 'undici';

/** What the delivery client uses of undici. */
export interface UndiciCore {
  Client: typeof Client;
  buildConnector: typeof buildConnector;
  /** `client.request(options)`, which undici's index mixes into every dispatcher. */
  request(client: Client, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

/**
 * undici's client, its connector and its request API alone. Its index also loads fetch, WebSocket,
 * the cache and the mocks: 68 ms and 8 MB of every run's worker, against 21 ms (measured). undici 7
 * has no exports map, so these paths resolve; the version is pinned, and every delivery test goes
 * through them.
 */
export async function loadUndiciCore(): Promise<UndiciCore> {
  const [client, connector, request] = await Promise.all([
    import('undici/lib/dispatcher/client.js'),
    import('undici/lib/core/connect.js'),
    import('undici/lib/api/api-request.js'),
  ]);
  return { Client: client.default, buildConnector: connector.default, request: (on, options) => request.default.call(on, options) };
}
