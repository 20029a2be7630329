import YAML from 'yaml';
import type { FakeRepo } from '../fake-github/model.js';
import { DEMO_NOW, loadFalcosecurityOrg } from '../fixtures/org-loader.js';
import { loadFacts } from './facts.js';

const org = loadFalcosecurityOrg();
const byName = new Map(org.repos.map((r) => [r.name, r]));
const facts = loadFacts();

function repo(name: string): FakeRepo {
  const found = byName.get(name);
  if (!found) throw new Error(`no repository ${name} in the demo org`);
  return found;
}

function text(r: FakeRepo, path: string): string {
  const file = r.files?.[path];
  if (typeof file !== 'string') throw new Error(`${r.name}: ${path} is not a text file`);
  return file;
}

describe('loadFalcosecurityOrg', () => {
  test('returns the falcosecurity org with >= 45 repositories, including .github and evolution', () => {
    expect(org.login).toBe('falcosecurity');
    expect(org.repos.length).toBeGreaterThanOrEqual(45);
    expect(byName.has('.github')).toBe(true);
    expect(byName.has('evolution')).toBe(true);
    expect(new Set(org.repos.map((r) => r.name)).size).toBe(org.repos.length);
    const names = org.repos.map((r) => r.name);
    expect(names).toEqual([...names].sort());
  });

  test('the demo clock is the snapshot date', () => {
    expect(DEMO_NOW).toBe('2026-08-21T00:00:00Z');
    for (const r of org.repos) {
      if (r.commitDate) expect(Date.parse(r.commitDate)).toBeLessThan(Date.parse(DEMO_NOW));
      for (const tag of r.tags ?? []) expect(Date.parse(tag.date)).toBeLessThan(Date.parse(DEMO_NOW));
    }
  });

  test('each call returns a fresh copy', () => {
    const first = loadFalcosecurityOrg();
    first.repos[0].name = 'mutated';
    (first.repos.find((r) => r.name === 'falco')?.files ?? {}).OWNERS = 'mutated';
    const second = loadFalcosecurityOrg();
    expect(second.repos[0].name).not.toBe('mutated');
    expect(text(second.repos.find((r) => r.name === 'falco') as FakeRepo, 'OWNERS')).toContain('approvers:');
  });

  test("evolution's repositories.yaml is the registry, in evolution's format", () => {
    const evolution = repo('evolution');
    const parsed = YAML.parse(text(evolution, 'repositories.yaml')) as unknown[];
    expect(parsed).toEqual(facts.registry);
    // Special entries have no status key at all.
    const special = parsed.filter((e) => (e as { scope: string }).scope === 'Special');
    expect(special.length).toBeGreaterThan(0);
    for (const entry of special)
      expect(Object.keys(entry as object)).toEqual(['name', 'scope', 'description']);
    expect(text(evolution, 'REPOSITORIES.md')).toContain(
      '[falcoctl](https://github.com/falcosecurity/falcoctl)',
    );
  });

  test('declared repositories carry the registry description (then the modelled note); registry drift is kept', () => {
    for (const entry of facts.registry) {
      const r = byName.get(entry.name);
      // …then what is modelled about it ([demo: …], by the importer) and about the people its OWNERS
      // name ([Modelled people: …], NOTES.md "People").
      if (r)
        expect(
          r.description
            ?.replace(/ ?\[Modelled people: [^\]]*\]$/, '')
            .split(' [demo: modelled, not real:')[0],
        ).toBe(entry.description);
    }
    // Every modelled anomaly is named in the repository's description.
    const note = (name: string) =>
      repo(name)
        .description?.replace(/ ?\[Modelled people: [^\]]*\]$/, '')
        .match(/\[demo: modelled, not real: (.*)\]$/)?.[1];
    expect(note('falco-talon')).toBe('topic tier-sandbox');
    expect(note('katacoda-scenarios')).toBe('topic tier-deprecated');
    expect(note('client-py')).toMatch(/^archived flag .*; topic tier-incubating$/);
    expect(note('prempti')).toMatch(/^empty repository/);
    for (const r of byName.values()) {
      if (r.isArchived)
        expect([r.name, note(r.name)]).toEqual([r.name, expect.stringMatching(/archived flag/)]);
    }
    expect(note('falco')).toBe('job matrix, branch rules, issue timeline');
    expect(note('charts')).toBe('branch rules, issue timeline');
    expect(byName.has('test-infra')).toBe(false);
    const prempti = repo('prempti');
    expect(prempti.defaultBranch).toBeNull();
    expect(prempti.files ?? {}).toEqual({});
  });

  test('the .github repository holds the org-level community health files', () => {
    const files = Object.keys(repo('.github').files ?? {});
    expect(files).toEqual(
      expect.arrayContaining(['SECURITY.md', 'CONTRIBUTING.md', 'CODE_OF_CONDUCT.md', 'profile/README.md']),
    );
  });

  test('OWNERS files are verbatim, including the empty subfolder OWNERS', () => {
    expect(text(repo('falco'), 'OWNERS')).toMatch(/^approvers:\n {2}- mstemm\n/);
    const empty = org.repos.flatMap((r) =>
      Object.entries(r.files ?? {}).filter(([p, f]) => /(^|\/)OWNERS$/.test(p) && f === ''),
    );
    expect(empty.length).toBeGreaterThan(0);
    for (const r of org.repos) {
      for (const [p, f] of Object.entries(r.files ?? {})) {
        if (/(^|\/)OWNERS(_ALIASES)?$/.test(p) && f !== '')
          expect(() => YAML.parse(text(r, p))).not.toThrow();
      }
    }
  });

  test('READMEs at their real paths; other real paths are present', () => {
    expect(text(repo('falco'), 'README.md')).toMatch(/^# Falco\n/);
    expect(repo('falco-playground').files).toHaveProperty(['readme.md']);
    expect(repo('elftoolchain').files).toHaveProperty(['README.rst']);
    expect(repo('falco').files).toHaveProperty(['Contributing.md']);
    expect(repo('falco-website').files).toHaveProperty(['release.md']);
    expect(repo('falco-lsp').files).toHaveProperty(['.github/SECURITY.md']);
    expect(repo('falco').symlinks).toEqual({ rules: 'submodules/falcosecurity-rules/rules' });
    expect(repo('falco').submodules).toEqual(['submodules/falcosecurity-rules']);
  });

  test('licenses: Apache-2.0 where a LICENSE exists, one unidentifiable, none without a file', () => {
    const unidentified = org.repos.filter((r) => r.license?.spdxId === 'NOASSERTION').map((r) => r.name);
    expect(unidentified).toEqual(['elftoolchain']);
    for (const r of org.repos) {
      const hasFile = Object.keys(r.files ?? {}).some((p) => /^(LICENSE|COPYING)/.test(p));
      if (!hasFile) expect(r.license ?? null).toBeNull();
      else expect(r.license?.spdxId).toMatch(/^(Apache-2\.0|NOASSERTION)$/);
    }
  });

  test('archived flags, topics with tier drift, modelled releases', () => {
    const archived = org.repos.filter((r) => r.isArchived).map((r) => r.name);
    expect(archived).toEqual(
      expect.arrayContaining(['advocacy', 'client-py', 'client-rs', 'cloud-native-security-hub']),
    );
    // Modelled retirement in progress: not archived, declared deprecated by a topic, no README notice.
    expect(archived).not.toContain('katacoda-scenarios');
    expect(repo('katacoda-scenarios').topics).toContain('tier-deprecated');
    // Archived, but an old topic still declares it Incubating.
    expect(repo('client-py').topics).toContain('tier-incubating');
    expect(archived).toEqual(
      expect.arrayContaining(['libsinsp', 'pdig', 'client-go', 'falco-exporter', 'kilt']),
    );
    expect(archived).not.toContain('falco');
    expect(repo('falco-talon').topics).toContain('tier-sandbox');
    expect(facts.registry.find((e) => e.name === 'falco-talon')?.status).toBe('Incubating');
    expect(repo('falcoctl').topics).toContain('tier-stable');
    const falcoReleases = repo('falco').releases ?? [];
    expect(falcoReleases.length).toBeGreaterThan(0);
    for (const release of falcoReleases) {
      expect(release.tagName).not.toMatch(/rc/);
      expect((repo('falco').tags ?? []).map((t) => t.name)).toContain(release.tagName);
    }
    expect(repo('evolution').releases ?? []).toEqual([]);
  });
});
