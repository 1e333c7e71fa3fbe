import { vi } from 'vitest';

/**
 * A vitest setup file for projects that run their test files in shared workers (`isolate: false`):
 * each file starts with our own modules evaluated afresh (its module mocks apply, no state carries
 * over), while third-party packages (Fastify, tRPC, pino, NATS, pg…), which vitest loads natively, stay
 * loaded. Loading those once per worker rather than once per file saves most of a file's start-up cost.
 */
vi.resetModules();
