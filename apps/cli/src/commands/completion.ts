import type { Command } from 'commander';
import { renderLine } from '../render';
import type { CommandContext } from './context';
import { oneOf, withExamples } from './help';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

interface Node {
  readonly path: string;
  readonly words: readonly string[];
  readonly subcommands: readonly { name: string; description: string }[];
}

/** Every command path with what may follow it: its subcommands and options. */
function walk(command: Command, prefix = ''): Node[] {
  const subs = command.commands.filter((c) => c.name() !== 'help');
  const options = command.options.flatMap((o) => (o.long ? [o.long] : []));
  const node: Node = {
    path: prefix,
    words: [...subs.map((c) => c.name()), ...options, '--help'],
    subcommands: subs.map((c) => ({ name: c.name(), description: c.description() })),
  };
  return [node, ...subs.flatMap((c) => walk(c, prefix === '' ? c.name() : `${prefix} ${c.name()}`))];
}

export function completionScript(program: Command, shell: (typeof SHELLS)[number]): string {
  const name = program.name();
  const nodes = walk(program);
  if (shell === 'fish') {
    const lines = [`complete -c ${name} -f`];
    for (const node of nodes) {
      const parts = node.path === '' ? [] : node.path.split(' ');
      const condition =
        parts.length === 0
          ? '__fish_use_subcommand'
          : `__fish_seen_subcommand_from ${parts[parts.length - 1]}`;
      for (const sub of node.subcommands) {
        lines.push(
          `complete -c ${name} -n '${condition}' -a ${sub.name} -d '${sub.description.replace(/'/g, "\\'")}'`,
        );
      }
    }
    lines.push(
      `complete -c ${name} -l json -d 'JSON for scripts'`,
      `complete -c ${name} -l server -r`,
      `complete -c ${name} -l help`,
    );
    return `${lines.join('\n')}\n`;
  }
  const cases = nodes.map((node) => `    "${node.path}") words="${node.words.join(' ')}" ;;`).join('\n');
  const bash = `_${name}_complete() {
  local cur path word i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) continue ;; esac
    path="\${path:+$path }$word"
  done
  local words=""
  case "$path" in
${cases}
    *) return 0 ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _${name}_complete ${name}
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}

/** completion [bash|zsh|fish]: prints a script to source. */
export function registerCompletionCommand(program: Command, ctx: CommandContext): void {
  withExamples(
    program
      .command('completion')
      .description('print a shell completion script')
      .argument('[shell]', SHELLS.join(' | '), oneOf(SHELLS), 'bash'),
    [
      'source <(tickfolio completion bash)          # in ~/.bashrc',
      'source <(tickfolio completion zsh)           # in ~/.zshrc',
      'tickfolio completion fish > ~/.config/fish/completions/tickfolio.fish',
    ],
  ).action(async (shell: (typeof SHELLS)[number]) => {
    await renderLine(ctx.out, completionScript(program, shell).trimEnd());
  });
}
