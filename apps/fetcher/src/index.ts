/**
 * The fetcher as a library, for the server's embedded mode only: it runs the fetcher in-process
 * (createFetcherApp with an injected publisher and database, listen: false).
 */
export { loadConfig as loadFetcherConfig } from './config';
export { createFetcherApp } from './main';
