import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POLICY } from '../src/config/defaults.js';
import { ConfigError, loadPolicySource, type RemoteFile } from '../src/policy-source.js';

const VALID = 'tiers:\n  contrib:\n    requires: [readme]\n';

describe('loadPolicySource', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'policy-source-'));
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  const remote = (file: RemoteFile) => {
    const calls: string[] = [];
    return { calls, read: async (p: string) => (calls.push(p), file) };
  };

  it('reads the workspace file first and does not call the API', async () => {
    mkdirSync(path.join(workspace, '.github'));
    writeFileSync(path.join(workspace, '.github/tier-audit.yml'), VALID);
    const api = remote({ kind: 'text', text: 'not: used' });
    const loaded = await loadPolicySource({
      configPath: '.github/tier-audit.yml',
      explicit: false,
      workspace,
      readRemote: api.read,
    });
    expect(loaded.policy.tiers.map((tier) => tier.id)).toEqual(['contrib']);
    expect(loaded.source).toContain('workspace');
    expect(api.calls).toEqual([]);
  });

  it('falls back to the repository through the API when the workspace has no file (no checkout)', async () => {
    const api = remote({ kind: 'text', text: VALID });
    const loaded = await loadPolicySource({
      configPath: '.github/tier-audit.yml',
      explicit: false,
      workspace,
      readRemote: api.read,
    });
    expect(api.calls).toEqual(['.github/tier-audit.yml']);
    expect(loaded.source).toContain('repository');
    expect(loaded.policy.tiers).toHaveLength(1);
  });

  it('uses the built-in policy when the default file exists nowhere', async () => {
    const loaded = await loadPolicySource({
      configPath: '.github/tier-audit.yml',
      explicit: false,
      workspace,
      readRemote: remote({ kind: 'missing' }).read,
    });
    expect(loaded.policy).toBe(DEFAULT_POLICY);
    expect(loaded.source).toContain('built-in');
  });

  it('fails when an explicit path exists nowhere', async () => {
    await expect(
      loadPolicySource({
        configPath: 'policies/tiers.yml',
        explicit: true,
        workspace,
        readRemote: remote({ kind: 'missing' }).read,
      }),
    ).rejects.toThrow(/policies\/tiers\.yml does not exist/);
  });

  it('fails with file:line:column when the file is invalid', async () => {
    mkdirSync(path.join(workspace, '.github'));
    writeFileSync(
      path.join(workspace, '.github/tier-audit.yml'),
      'tiers:\n  contrib:\n    requires: [readmee]\n',
    );
    const attempt = loadPolicySource({
      configPath: '.github/tier-audit.yml',
      explicit: false,
      workspace,
      readRemote: null,
    });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/\.github\/tier-audit\.yml:3:\d+: .*readmee/);
  });

  it('does not treat an API failure as "no file": it stops the audit with the reason', async () => {
    await expect(
      loadPolicySource({
        configPath: '.github/tier-audit.yml',
        explicit: false,
        workspace,
        readRemote: remote({ kind: 'error', message: 'HTTP 502' }).read,
      }),
    ).rejects.toThrow(/could not be read from the repository: HTTP 502/);
  });
});
