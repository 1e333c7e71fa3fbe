import {
  type ProviderRequest,
  type ProviderServer,
  type ScriptedResponse,
  startProviderServer,
} from '@tickfolio/testing';
import { afterEach } from 'vitest';
import type { SourcePolicy } from '../../src/resilience/source-policy';
import { testPolicy } from './test-policy';

type Route = (request: ProviderRequest) => ScriptedResponse;

/** A scripted provider for each test that starts one; it is closed after the test. */
export function providerPerTest() {
  let current: ProviderServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    async start(route: Route): Promise<ProviderServer> {
      current = await startProviderServer(route);
      return current;
    },
    /** The provider this test started. */
    get server(): ProviderServer {
      if (!current) throw new Error('no provider started in this test');
      return current;
    },
  };
}

/** `providerPerTest` with one adapter pointed at it, under the test policy for `sourceId`. */
export function adapterPerTest<A>(
  sourceId: string,
  create: (options: { baseUrl: string; policy: SourcePolicy; now: () => number }) => A,
) {
  const provider = providerPerTest();
  return {
    /** Starts the provider answering with `route` and an adapter against it; `now` sets the test clock. */
    async serving(route: Route, now?: number): Promise<A> {
      const server = await provider.start(route);
      const { policy, clock } = testPolicy(sourceId);
      if (now !== undefined) clock.now = now;
      return create({ baseUrl: server.url, policy, now: () => clock.now });
    },
    get server(): ProviderServer {
      return provider.server;
    },
  };
}
