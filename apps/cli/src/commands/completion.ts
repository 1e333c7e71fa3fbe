import type { Command } from 'commander';
import { renderLine } from '../render';
import { createCompletionSources } from '../services/completion-sources';
import { completeWords } from './complete-words';
import { type CommandContext, createCommandContext } from './context';
import { oneOf, withExamples } from './help';
import { TYPES } from './tx';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** The hidden command the scripts call back into with the words typed so far. */
export const COMPLETE_COMMAND = '__complete';

/**
 * A script that asks the CLI itself what may follow, on every Tab: the command tree (and so every
 * subcommand, option and choice) answers offline, account names and symbols come from the server.
 * Nothing of the tree is copied into the script, so it never goes stale after an upgrade.
 */
export function completionScript(name: string, shell: (typeof SHELLS)[number]): string {
  if (shell === 'fish') {
    return `complete -c ${name} -f -a '(${name} ${COMPLETE_COMMAND} -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'\n`;
  }
  // Bash's COMP_WORDS from the first argument to the word under the cursor (maybe ''); one answer a
  // line; with no answer (a file argument) bash offers file names (-o default).
  const bash = `_${name}_complete() {
  local IFS=$'\\n'
  COMPREPLY=( $(${name} ${COMPLETE_COMMAND} -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) )
}
complete -o default -F _${name}_complete ${name}
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}

/** completion [bash|zsh|fish]: prints a script to source; __complete WORDS…: what may follow them. */
export function registerCompletionCommand(program: Command, ctx: CommandContext): void {
  withExamples(
    program
      .command('completion')
      .description('print a shell completion script (it completes account names and symbols too)')
      .argument('[shell]', SHELLS.join(' | '), oneOf(SHELLS), 'bash'),
    [
      'source <(tickfolio completion bash)          # in ~/.bashrc',
      'source <(tickfolio completion zsh)           # in ~/.zshrc',
      'tickfolio completion fish > ~/.config/fish/completions/tickfolio.fish',
    ],
  ).action(async (shell: (typeof SHELLS)[number]) => {
    await renderLine(ctx.out, completionScript(program.name(), shell).trimEnd());
  });

  program
    .command(COMPLETE_COMMAND, { hidden: true })
    .description('the words that may follow WORDS (the last one partly typed), one a line')
    .argument('[words...]')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (words: string[] = []) => {
      // A --server among the typed words names the server whose accounts and symbols to offer.
      const at = words.indexOf('--server');
      const server = at >= 0 && at + 1 < words.length - 1 ? words[at + 1] : undefined;
      const asked =
        server === undefined ? ctx : createCommandContext(ctx.env, ctx.out, () => server, ctx.now);
      const answers = await completeWords(
        program,
        words.length === 0 ? [''] : words,
        { type: TYPES },
        createCompletionSources(asked),
      );
      if (answers.length > 0) await renderLine(ctx.out, answers.join('\n'));
    });
}
