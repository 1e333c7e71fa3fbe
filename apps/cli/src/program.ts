import { Command } from 'commander';
import { registerAccountCommands } from './commands/accounts';
import { registerAdminCommands } from './commands/admin';
import { registerAlertCommands } from './commands/alerts';
import { registerAuthCommands } from './commands/auth';
import { registerCompletionCommand } from './commands/completion';
import type { CommandContext } from './commands/context';
import { withExamples } from './commands/help';
import { registerInstrumentCommands } from './commands/instruments';
import { registerNotificationCommands } from './commands/notifications';
import { registerPerformanceCommands } from './commands/performance';
import { registerPortfolioCommands } from './commands/portfolio';
import { registerPriceCommands } from './commands/prices';
import { registerTransactionCommands } from './commands/tx';
import { registerLiveCommands } from './commands/watch';
import { VERSION } from './version';

/**
 * The whole command tree. `serverOption` is filled in from --server once commander has parsed it, so
 * the context can be built before parsing.
 */
export function createProgram(
  ctx: CommandContext,
  out: { write: (text: string) => void; error: (text: string) => void },
) {
  const program = new Command('tickfolio')
    .description('Tickfolio in the terminal: accounts, transactions, live portfolio valuation.')
    .version(VERSION, '-V, --version')
    .option(
      '--server <url>',
      'the Tickfolio server (default: $TICKFOLIO_SERVER, else the server you last signed in to)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: out.write, writeErr: out.error })
    .exitOverride();
  withExamples(program, [
    'tickfolio login --email investor1@demo.tickfolio.dev',
    'tickfolio portfolio',
    'tickfolio watch',
    'tickfolio tx import export.csv --account Brokerage',
    'tickfolio prices history AAPL',
  ]);
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 error, 2 usage, 3 not signed in or not allowed, 4 server unreachable.\nNO_COLOR or a pipe turns colours off; --json gives stable JSON on every read command.\n',
  );
  registerAuthCommands(program, ctx);
  registerAccountCommands(program, ctx);
  registerPortfolioCommands(program, ctx);
  registerPerformanceCommands(program, ctx);
  registerTransactionCommands(program, ctx);
  registerInstrumentCommands(program, ctx);
  registerPriceCommands(program, ctx);
  registerLiveCommands(program, ctx);
  registerAlertCommands(program, ctx);
  registerNotificationCommands(program, ctx);
  registerAdminCommands(program, ctx);
  registerCompletionCommand(program, ctx);
  // Every subcommand: the same exit behaviour, output and help-after-error as the root.
  const configure = (command: Command) => {
    for (const sub of command.commands) {
      sub
        .exitOverride()
        .configureOutput({ writeOut: out.write, writeErr: out.error })
        .showHelpAfterError('(run with --help for usage)');
      configure(sub);
    }
  };
  configure(program);
  return program;
}
