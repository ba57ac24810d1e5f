// The one argument parser of every `kubegraf` command: `--help`/`-h` prints the command's help, unknown or malformed
// options end the process with exit code 2 and the usage, numbers are checked against their range.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  /** How messages start: `kubegraf`, `kubegraf web`. */
  prog: string;
  /** Printed after an error. */
  usage: string;
  /** Printed for --help. */
  help: string;
  options: O;
}

export type Values<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true }>
>['values'];

export class Command<O extends Options> {
  constructor(readonly spec: CommandSpec<O>) {}

  /** Prints the message and the usage on stderr and exits with code 2. */
  fail(message: string): never {
    process.stderr.write(`${this.spec.prog}: ${message}\n${this.spec.usage}\n`);
    process.exit(2);
  }

  /** The options given, or undefined when --help was asked for (and printed). */
  parse(argv: string[]): Values<O> | undefined {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(this.spec.help);
      return undefined;
    }
    try {
      return parseArgs({ args: argv, options: this.spec.options, strict: true }).values;
    } catch (e) {
      this.fail((e as Error).message);
    }
  }

  /** A whole number from min to max, or undefined when the option was not given. */
  int(name: string, v: string | undefined, min: number, max: number): number | undefined {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      this.fail(`--${name} must be an integer from ${min} to ${max}, got "${v}"`);
    return n;
  }
}
