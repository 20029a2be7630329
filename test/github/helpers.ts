import { createGitHubClient, type ClientOptions, type GitHubClient } from '../../src/github/client.js';
import { memoryLogger } from '../../src/log.js';
import type { FakeOrg, FakeRepo } from '../fake-github/model.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../fake-github/server.js';

export const TOKEN = 'ghp_unitTestSecretToken0123456789abcd';

export function genericRepos(count: number, prefix = 'repo'): FakeRepo[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${String(i).padStart(3, '0')}`,
    description: `repository ${i}`,
    commitDate: '2026-01-02T03:04:05Z',
    topics: ['falco'],
    files: {
      'README.md': `# ${prefix} ${i}\n`,
      OWNERS: 'approvers:\n  - alice\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
    },
    releases: [{ tagName: 'v1.0.0', publishedAt: '2025-12-01T00:00:00Z' }],
    tags: [{ name: 'v1.0.0', date: '2025-12-01T00:00:00Z' }],
  }));
}

export interface Harness {
  fake: FakeGitHub;
  client: GitHubClient;
  log: ReturnType<typeof memoryLogger>;
  sleeps: number[];
}

/** A fake GitHub and a client on it with tiny retry delays; `sleeps` records the client's waits. */
export async function harness(
  orgs: FakeOrg[],
  fakeOptions: Omit<FakeGitHubOptions, 'orgs'> = {},
  clientOptions: Partial<ClientOptions> = {},
): Promise<Harness> {
  const fake = await startFakeGitHub({ orgs, ...fakeOptions });
  const log = memoryLogger();
  const sleeps: number[] = [];
  const client = createGitHubClient({
    token: TOKEN,
    apiUrl: fake.url,
    log,
    retries: 2,
    minRetryDelayMs: 1,
    maxWaitForResetMs: 0,
    clock: {
      now: () => Date.now(),
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
      },
    },
    ...clientOptions,
  });
  return { fake, client, log, sleeps };
}

export function allLogText(log: ReturnType<typeof memoryLogger>): string {
  return log.lines.map((l) => l.message).join('\n');
}
