import { VERSION } from './version';

/**
 * The entry point. `--version` answers at once; everything else loads the command tree first (in the
 * bundle, the dynamic import defers evaluating it and all its libraries until here).
 */
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  await (await import('./cli')).main(argv);
}
