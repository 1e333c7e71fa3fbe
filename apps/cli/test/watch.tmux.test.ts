import { spawn } from 'node:child_process';
import type { AppRouter } from '@tickfolio/api';
import {
  findPricedClientHolding,
  openQuotePublisher,
  type QuotePublisher,
  signIn,
} from '@tickfolio/api/testing';
import type { PriceQuote } from '@tickfolio/core';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { fromScaled, toScaled } from '../src/format/decimal';
import { ANSI_ESCAPE, BIN, cliLogin, removeTempConfigDirs, tempConfigDir } from './support/run-cli';
import { openTmux, shellQuote, type Tmux } from './support/tmux';

const WAIT = { timeout: 15_000, interval: 50 };

/** A trade one unit of the currency above `price`, so the move is up and easy to find on screen. */
function quoteAbove(instrumentId: string, currency: string, price: string): PriceQuote {
  return {
    instrument: { instrumentId },
    price: fromScaled(toScaled(price, 2) + 100n, 2),
    currency: currency as PriceQuote['currency'],
    asOf: new Date().toISOString(),
    source: 'cli-test',
    kind: 'trade',
  };
}

describe('live views over the real price pipeline', () => {
  const server = inject('apiServer');
  let broker: QuotePublisher;
  let configDir: string;
  let tmux: Tmux | undefined;

  const cliCommand = (args: string, env: Record<string, string> = {}) =>
    [
      'env -u CI', // ink only prints the final frame when it believes it runs in CI
      `TICKFOLIO_CONFIG_DIR=${shellQuote(configDir)}`,
      `TICKFOLIO_SERVER=${shellQuote(server.url)}`,
      'TERM=xterm-256color',
      ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`),
      shellQuote(process.execPath),
      shellQuote(BIN),
      args,
    ].join(' ');

  beforeAll(async () => {
    [broker, configDir] = await Promise.all([openQuotePublisher(server), tempConfigDir()]);
    await cliLogin(configDir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await tmux?.close();
    await broker?.close();
    await removeTempConfigDirs();
  });

  it('`watch` in tmux: a pushed price changes the value on screen with a green flash; q quits', async () => {
    const client = await signIn(server.url, DEMO_LOGINS.investor);
    const { holdings } = await client.portfolio.holdings.query();
    // Under 900, so the price and the one a unit above it show without a thousands separator.
    const target = holdings.find((h) => h.price !== null && /^[1-8]?\d{1,2}\.\d{2}$/.test(h.price))!;
    const rowOf = (screen: string) =>
      screen.split('\n').find((line) => line.startsWith(`${target.symbol} `)) ?? '';

    tmux = await openTmux(cliCommand('watch'));
    await vi.waitFor(async () => {
      const screen = await tmux!.screen();
      expect(screen).toContain('● live');
      expect(rowOf(screen)).toContain(target.price!);
    }, WAIT);
    const before = await tmux.screen();
    expect(before).toMatch(/Value [\d,]+\.\d{2} USD/);

    const quote = quoteAbove(target.instrumentId, target.localCurrency, target.price!);
    await broker.publishQuote(quote);
    let flashed = false;
    await vi.waitFor(async () => {
      // A green background (SGR 42) right before the new price: the flash, caught while it lasts.
      const coloured = await tmux!.screen(true);
      if (new RegExp(`\\[[0-9;]*42[0-9;]*m${quote.price.replace('.', '\\.')}`).test(coloured)) flashed = true;
      expect(rowOf(await tmux!.screen())).toContain(quote.price);
    }, WAIT);
    await vi.waitFor(
      async () => {
        const coloured = await tmux!.screen(true);
        if (new RegExp(`\\[[0-9;]*42[0-9;]*m${quote.price.replace('.', '\\.')}`).test(coloured))
          flashed = true;
        expect(flashed).toBe(true);
      },
      { timeout: 1000, interval: 20 },
    );
    const after = await tmux.screen();
    expect(after).toContain('● live');
    expect(after).toMatch(/updated (just now|\d+s ago)/);
    expect(after.match(/Value (\S+) USD/)?.[1]).not.toBe(before.match(/Value (\S+) USD/)?.[1]);

    await tmux.sendKeys('q');
    await vi.waitFor(async () => expect(await tmux!.isRunning()).toBe(false), WAIT);
    tmux = undefined;
  });

  it('`login` on a terminal asks for the email and the password, without echoing the password', async () => {
    const freshDir = await tempConfigDir();
    const pane = await openTmux(
      `${cliCommand('login').replace(shellQuote(configDir), shellQuote(freshDir))}; sleep 30`,
    );
    try {
      await vi.waitFor(async () => expect(await pane.screen()).toContain('Email:'), WAIT);
      await pane.sendKeys(DEMO_LOGINS.investor, 'Enter');
      await vi.waitFor(async () => expect(await pane.screen()).toContain('Password:'), WAIT);
      await pane.sendKeys(DEMO_PASSWORD, 'Enter');
      await vi.waitFor(async () => expect(await pane.screen()).toContain(`Signed in to ${server.url}`), WAIT);
      expect(await pane.screen()).not.toContain(DEMO_PASSWORD);
    } finally {
      await pane.close();
    }
  });

  it('`password change` on a terminal asks three times without echoing any of them', async () => {
    const email = `tty-pw-${Date.now()}@example.com`;
    const [first, second] = ['first-password-123', 'second-password-456'];
    const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc` })] });
    await anonymous.auth.register.mutate({
      email,
      password: first,
      displayName: 'Tty Word',
      baseCurrency: 'USD',
    });
    const ownDir = await tempConfigDir();
    await cliLogin(ownDir, server.url, email, first);
    const pane = await openTmux(
      `${cliCommand('password change').replace(shellQuote(configDir), shellQuote(ownDir))}; sleep 30`,
    );
    try {
      for (const [prompt, typed] of [
        ['Current password:', first],
        ['New password:', second],
        ['New password again:', second],
      ] as const) {
        await vi.waitFor(async () => expect(await pane.screen()).toContain(prompt), WAIT);
        await pane.sendKeys(typed, 'Enter');
      }
      await vi.waitFor(async () => expect(await pane.screen()).toContain('Password changed;'), WAIT);
      const screen = await pane.screen();
      expect(screen).not.toContain(first);
      expect(screen).not.toContain(second);
    } finally {
      await pane.close();
    }
  });

  it('colours a terminal, but not with NO_COLOR', async () => {
    const hold = 'sleep 30'; // keep the pane open to read it
    const coloured = await openTmux(`${cliCommand('portfolio')}; ${hold}`);
    const plain = await openTmux(`${cliCommand('portfolio', { NO_COLOR: '1' })}; ${hold}`);
    try {
      for (const pane of [coloured, plain]) {
        await vi.waitFor(async () => expect(await pane.screen()).toContain('By asset class'), WAIT);
      }
      expect(await coloured.screen(true)).toMatch(ANSI_ESCAPE);
      expect(await plain.screen(true)).not.toMatch(ANSI_ESCAPE);
    } finally {
      await coloured.close();
      await plain.close();
    }
  });

  it('`clients watch --json` streams the book; a client’s price change arrives as a new snapshot', async () => {
    const advisorDir = await tempConfigDir();
    await cliLogin(advisorDir, server.url, DEMO_LOGINS.advisor, DEMO_PASSWORD);
    const advisor = await signIn(server.url, DEMO_LOGINS.advisor);
    const picked = await findPricedClientHolding(advisor);
    expect(picked).toBeDefined();

    const child = spawn(process.execPath, [BIN, 'clients', 'watch', '--json', '--updates', '2'], {
      env: { PATH: process.env.PATH ?? '', TICKFOLIO_CONFIG_DIR: advisorDir, TICKFOLIO_SERVER: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const snapshots = () =>
      out
        .slice(0, out.lastIndexOf('\n') + 1) // whole lines only
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .filter((e) => e.type === 'snapshot');
    const clientValue = (snapshot: { clients: { clientId: string; marketValue: string }[] }) =>
      snapshot.clients.find((c) => c.clientId === picked!.clientId)?.marketValue;
    try {
      await vi.waitFor(() => {
        expect(snapshots()).toHaveLength(1);
        expect(out).toContain('"state":"live"');
      }, WAIT);
      const first = clientValue(snapshots()[0]);
      await broker.publishQuote(quoteAbove(picked!.instrumentId, picked!.currency, picked!.price));
      expect(await exited, err).toBe(0);
      const [, second] = snapshots();
      expect(second.eventId).toMatch(/^\d+$/);
      expect(clientValue(second)).not.toBe(first);
    } finally {
      child.kill();
    }
  });
});
