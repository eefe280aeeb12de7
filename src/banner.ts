import path from 'node:path';

export interface BannerInput {
  /** The address the server listens on, as a browser opens it (`http://localhost:3000`). */
  url: string;
  /** Whether the simulator's routes are mounted (SIMULATOR). */
  simulator: boolean;
  /** The generated development secrets file, absolute; undefined when none was used. */
  secretsFile: string | undefined;
  /** Whether ADMIN_TOKEN came from that file (generated) rather than the environment or `.env`. */
  adminTokenGenerated: boolean;
  /** The working directory, to show the file's path as the user would type it. */
  cwd: string;
}

/** A path under the working directory as a relative one (`.data/dev-secrets.json`), else as it is. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * What `npm run dev` prints once it listens, for a person who has read nothing else: where the simulator
 * and the portal are, how to sign in to the portal and how to stop. It names the secrets file and the
 * command that prints the token, never a secret; main.ts prints it only outside production.
 */
export function startupBanner(input: BannerInput): string {
  const base = input.url.replace(/\/+$/, '');
  const file = input.secretsFile ? shown(input.secretsFile, input.cwd) : 'the development secrets file';
  const signIn = input.adminTokenGenerated
    ? [`  Sign in     with ADMIN_TOKEN, kept in ${file}`, '              print it with: npm run token']
    : ['  Sign in     with your ADMIN_TOKEN (set in the environment or .env)'];
  const lines = [
    '',
    'polus-bot is running in local mode',
    '',
    ...(input.simulator
      ? [
          `  Simulator   ${base}/   (WhatsApp in the browser; narrow the window to phone size)`,
          // The terminal chat looks at localhost:3000 unless told: name this bot's address when it differs.
          `              or chat in a terminal: npm run chat${base === 'http://localhost:3000' ? '' : ` -- --url ${base}`}`,
        ]
      : ['  Simulator   off (SIMULATOR=off, or a WhatsApp access token is set)']),
    `  Portal      ${base}/portal`,
    ...signIn,
    `  Logs        readable lines below; JSON with LOG_PRETTY=0, every request with LOG_LEVEL=debug`,
    '  Stop        Ctrl+C',
    '',
  ];
  return lines.join('\n');
}
