/** The benchmark scripts' command lines: `--name=value` flags, read the same way by every section. */

/** The value of `--name=value` among `args`, if given. */
export function argValue(args: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/** A flag's value as a number ≥ `min`; throws with the flag's name otherwise. */
export function numberFlag(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < min) {
    throw new Error(`${flag} needs a number ≥ ${min}`);
  }
  return n;
}

/**
 * Reads `argv` flag by flag: `accept(flag, value)` returns false for what it does not know. `--help`
 * prints `usage` and exits; anything not accepted throws with the usage.
 */
export function parseFlags(
  argv: string[],
  usage: string,
  accept: (flag: string | undefined, value: string | undefined) => boolean,
): void {
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (accept(flag, value)) continue;
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(usage);
      process.exit(0);
    }
    throw new Error(`unknown argument ${arg}\n${usage}`);
  }
}
