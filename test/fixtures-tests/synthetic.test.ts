import YAML from 'yaml';
import type { FakeOrg, FakeRepo } from '../fake-github/model.js';
import { generateOrg } from '../fixtures/synthetic.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function workflowCount(repo: FakeRepo): number {
  return Object.keys(repo.files ?? {}).filter((p) => p.startsWith('.github/workflows/')).length;
}

const N = 3000;
const org: FakeOrg = generateOrg({ login: 'acme', repositories: N, seed: 42 });
const regular = org.repos.slice(2);

describe('generateOrg', () => {
  test('exactly the requested number of repositories, unique names, .github and evolution first', () => {
    expect(org.login).toBe('acme');
    expect(org.repos).toHaveLength(N);
    expect(new Set(org.repos.map((r) => r.name)).size).toBe(N);
    expect(org.repos[0].name).toBe('.github');
    expect(org.repos[1].name).toBe('evolution');
    expect(generateOrg({ login: 'x', repositories: 0, seed: 1 }).repos).toEqual([]);
    expect(generateOrg({ login: 'x', repositories: 5, seed: 1 }).repos).toHaveLength(5);
  });

  test('deterministic: same seed same org, different seed or login different org', () => {
    const a = JSON.stringify(generateOrg({ login: 'acme', repositories: 400, seed: 7 }));
    const b = JSON.stringify(generateOrg({ login: 'acme', repositories: 400, seed: 7 }));
    const c = JSON.stringify(generateOrg({ login: 'acme', repositories: 400, seed: 8 }));
    const d = JSON.stringify(generateOrg({ login: 'other', repositories: 400, seed: 7 }).repos);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(d).not.toBe(JSON.stringify(JSON.parse(a).repos));
  });

  test('~70% of repositories have a root OWNERS', () => {
    const share = regular.filter((r) => typeof r.files?.OWNERS === 'string').length / regular.length;
    expect(share).toBeGreaterThan(0.62);
    expect(share).toBeLessThan(0.76);
  });

  test('0–20 workflows per repository, median ~4, some with none', () => {
    const counts = regular.map(workflowCount);
    expect(Math.max(...counts)).toBeLessThanOrEqual(20);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(15);
    expect(median(counts)).toBeGreaterThanOrEqual(3);
    expect(median(counts)).toBeLessThanOrEqual(5);
    expect(counts.filter((c) => c === 0).length / counts.length).toBeGreaterThan(0.1);
    for (const repo of regular) {
      const paths = Object.keys(repo.files ?? {}).filter((p) => p.startsWith('.github/workflows/'));
      for (const p of paths) expect(p).toMatch(/^\.github\/workflows\/[^/]+\.ya?ml$/);
    }
  });

  test('READMEs are 1–8 KiB, spread over the range', () => {
    const sizes = regular.flatMap((r) => {
      const readme = r.files?.['README.md'];
      return typeof readme === 'string' ? [Buffer.byteLength(readme)] : [];
    });
    expect(sizes.length / regular.length).toBeGreaterThan(0.9);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1024);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8192);
    expect(sizes.filter((s) => s < 2048).length).toBeGreaterThan(0);
    expect(sizes.filter((s) => s > 6144).length).toBeGreaterThan(0);
  });

  test('0–300 tags, newest first, the newest 20 semver-like; some repos publish releases', () => {
    const counts = regular.map((r) => r.tags?.length ?? 0);
    expect(Math.max(...counts)).toBeLessThanOrEqual(300);
    expect(counts.filter((c) => c > 100).length).toBeGreaterThan(0);
    const zero = counts.filter((c) => c === 0).length / counts.length;
    expect(zero).toBeGreaterThan(0.25);
    expect(zero).toBeLessThan(0.5);
    const unordered: string[] = [];
    const badNames: string[] = [];
    for (const repo of regular) {
      const tags = repo.tags ?? [];
      for (let i = 1; i < tags.length; i++) if (tags[i - 1].date < tags[i].date) unordered.push(repo.name);
      for (const tag of tags.slice(0, 20)) {
        if (!/^v?\d+\.\d+\.\d+(-rc\d+)?$/.test(tag.name)) badNames.push(`${repo.name}:${tag.name}`);
      }
    }
    expect(unordered).toEqual([]);
    expect(badNames).toEqual([]);
    expect(regular.filter((r) => (r.releases ?? []).length > 0).length).toBeGreaterThan(regular.length * 0.2);
  });

  test('binary and truncated files, empty and archived repositories, forks and private ones', () => {
    const files = regular.flatMap((r) => Object.values(r.files ?? {}));
    expect(files.some((f) => typeof f === 'object' && 'binary' in f)).toBe(true);
    expect(files.some((f) => typeof f === 'object' && 'truncated' in f)).toBe(true);
    const empty = regular.filter((r) => r.defaultBranch === null);
    expect(empty.length).toBeGreaterThan(0);
    expect(empty.length).toBeLessThan(regular.length * 0.03);
    for (const r of empty) expect(Object.keys(r.files ?? {})).toEqual([]);
    const archived = regular.filter((r) => r.isArchived).length / regular.length;
    expect(archived).toBeGreaterThan(0.02);
    expect(archived).toBeLessThan(0.1);
    expect(regular.some((r) => r.isFork)).toBe(true);
    expect(regular.some((r) => r.isPrivate)).toBe(true);
  });

  test('the registry declares most repositories and lists a few that do not exist', () => {
    const yaml = org.repos[1].files?.['repositories.yaml'];
    if (typeof yaml !== 'string') throw new Error('no registry');
    const entries = YAML.parse(yaml) as { name: string; status: string }[];
    const names = new Set(org.repos.map((r) => r.name));
    const declared = entries.filter((e) => names.has(e.name)).length / regular.length;
    expect(declared).toBeGreaterThan(0.65);
    expect(declared).toBeLessThan(0.85);
    expect(entries.filter((e) => !names.has(e.name))).toHaveLength(3);
    for (const e of entries) expect(['Sandbox', 'Incubating', 'Stable']).toContain(e.status);
  });

  // How fast it generates is the bench's business (bench/run.ts prints it); this checks the sharing.
  test('10,000 repositories share pooled data by reference', () => {
    const big = generateOrg({ login: 'bench', repositories: 10_000, seed: 3 });
    expect(big.repos).toHaveLength(10_000);
    const tagLists = new Set(big.repos.map((r) => r.tags).filter((t) => t && t.length > 0));
    expect(tagLists.size).toBeLessThanOrEqual(511);
    for (const list of tagLists) expect(Object.isFrozen(list)).toBe(true);
  });

  test('people: OWNERS name every approver of the pool, members and outside collaborators are consistent, the rest unchanged', () => {
    const plain = generateOrg({ login: 'acme', repositories: 600, seed: 3 });
    const withPeople = generateOrg({
      login: 'acme',
      repositories: 600,
      seed: 3,
      people: { approvers: 300, members: 400 },
    });
    const approvers = new Set<string>();
    withPeople.repos.forEach((repo, i) => {
      const { OWNERS: owners, 'docs/OWNERS': sub, OWNERS_ALIASES: _aliases, ...rest } = repo.files ?? {};
      const { OWNERS: o2, 'docs/OWNERS': s2, OWNERS_ALIASES: _a2, ...plainRest } = plain.repos[i].files ?? {};
      expect(Object.keys(rest)).toEqual(Object.keys(plainRest));
      expect(typeof owners).toBe(typeof o2);
      expect(typeof sub).toBe(typeof s2);
      for (const text of [owners, sub])
        if (typeof text === 'string') for (const m of text.matchAll(/- (approver-\d+)/g)) approvers.add(m[1]);
    });
    expect(approvers.size).toBe(300);
    const members = new Map((withPeople.members ?? []).map((m) => [m.login, m.public]));
    expect(members.size).toBe(400);
    expect([...members.values()].filter((p) => !p).length).toBe(40);
    const outside = withPeople.repos.flatMap((r) => r.outsideCollaborators ?? []);
    expect(outside.length).toBeGreaterThan(0);
    for (const c of outside) expect(members.has(c.login)).toBe(false);
    // 30 non-member approvers: 2 deleted (no account), 14 with write access, 14 read only.
    const accounts = new Set((withPeople.users ?? []).map((u) => u.login));
    expect([...approvers].filter((l) => !accounts.has(l))).toHaveLength(2);
    expect(
      new Set(outside.filter((c) => c.permission === 'WRITE').map((c) => c.login)).size,
    ).toBeLessThanOrEqual(14);
  });
});
