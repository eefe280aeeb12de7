/**
 * What `npm run dev` prints (src/main.ts, src/banner.ts): the process is started as a newcomer starts it,
 * in local mode with nothing configured, and its whole output must say where the simulator and the portal
 * are, how to sign in and how to stop, in readable lines (not JSON), and hold none of the secrets it
 * generated. Also `npm run token` (scripts/token.ts): it prints exactly the generated ADMIN_TOKEN.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startupBanner } from '../../src/banner.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'polus-banner-'));
let child: ChildProcessWithoutNullStreams | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A newcomer's environment: none of the variables the test runner or a developer may have set. */
function localEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'SystemRoot']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return { ...env, NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...extra };
}

describe('npm run dev in local mode', () => {
  it('when it has started, then it prints where the simulator and the portal are, how to sign in and stop, and no secret', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      env: localEnv({}),
    });
    child = proc;
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    await expect.poll(() => out, { timeout: 20_000, interval: 50 }).toContain('Ctrl+C');
    proc.kill('SIGINT');
    expect(await exited).toBe(0);

    const port = /polus-bot listening .*"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out)?.[1];
    expect(port, out).toBeDefined();
    const banner = out.slice(out.indexOf('polus-bot is running'));
    expect(banner).toContain(`Simulator   http://localhost:${port}/ `);
    expect(banner).toContain(`Portal      http://localhost:${port}/portal`);
    expect(banner).toContain(path.join(dataDir, 'dev-secrets.json'));
    expect(banner).toContain('npm run token');
    expect(banner).toContain('Stop        Ctrl+C');
    // Readable lines, not pino's JSON objects.
    expect(out).toMatch(/INFO: polus-bot listening/);
    expect(out.split('\n').filter((line) => line.startsWith('{"level"'))).toEqual([]);

    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.keys(secrets)).toContain('ADMIN_TOKEN');
    for (const value of Object.values(secrets)) {
      expect(out + err).not.toContain(value);
    }

    // `npm run token` prints the token and nothing else.
    const token = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/token.ts'], {
      cwd: process.cwd(),
      env: localEnv({}),
      encoding: 'utf8',
    });
    expect(token.status).toBe(0);
    expect(token.stdout).toBe(`${secrets.ADMIN_TOKEN}\n`);
  });
});

describe('startupBanner', () => {
  const input = {
    url: 'http://localhost:3000',
    simulator: true,
    secretsFile: '/home/ana/polus-bot/.data/dev-secrets.json',
    adminTokenGenerated: true,
    cwd: '/home/ana/polus-bot',
  };

  it('when the token was generated, then it names the file as typed from the project and the command', () => {
    const banner = startupBanner(input);
    expect(banner).toContain('http://localhost:3000/ ');
    expect(banner).toContain('http://localhost:3000/portal');
    expect(banner).toContain('.data/dev-secrets.json');
    expect(banner).not.toContain('/home/ana');
    expect(banner).toContain('npm run token');
  });

  it('when ADMIN_TOKEN comes from the environment, then it points there, not at the file', () => {
    const banner = startupBanner({ ...input, adminTokenGenerated: false });
    expect(banner).toContain('ADMIN_TOKEN');
    expect(banner).not.toContain('dev-secrets.json');
  });

  it('when the bot listens on another port, then the terminal chat command names that address', () => {
    expect(startupBanner(input)).toMatch(/npm run chat\n/);
    expect(startupBanner({ ...input, url: 'http://localhost:3188' })).toContain(
      'npm run chat -- --url http://localhost:3188',
    );
  });

  it('when the simulator is off, then it says so instead of giving its address', () => {
    expect(startupBanner({ ...input, simulator: false })).not.toContain('http://localhost:3000/ ');
  });
});
