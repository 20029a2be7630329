import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '../../src/config/defaults.js';
import { interpretValue } from '../../src/tiers/model.js';
import { aliasBomb } from '../fixtures/hostile.js';
import {
  parseRegistry,
  parseRegistryDocument,
  registryParts,
  REGISTRY_ENTRIES_PER_PART,
} from '../../src/tiers/registry.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const DECLARED = JSON.parse(read('./fixtures/falco-declared.json')) as {
  repositories: { name: string; scope: string; status?: string; description: string }[];
  history: { date: string; repo: string; change: string; status: string | null }[];
};

describe('parseRegistry', () => {
  it('reads the real falcosecurity/evolution repositories.yaml', () => {
    const { entries, problems } = parseRegistry(
      read('./fixtures/repositories.yaml'),
      'evolution/repositories.yaml',
      'status',
    );
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(DECLARED.repositories.length);
    expect(entries.map((entry) => [entry.name, entry.status, entry.scope])).toEqual(
      DECLARED.repositories.map((repo) => [repo.name, repo.status ?? null, repo.scope]),
    );
    const special = entries.filter((entry) => entry.status === null).map((entry) => entry.name);
    expect(special).toEqual(['.github', 'community', 'elftoolchain', 'evolution']);
    expect(entries.find((entry) => entry.name === 'falco')).toMatchObject({
      line: expect.any(Number),
      scope: 'Core',
    });
  });

  it('maps every real status to a tier of the Falco policy, and no status to special', () => {
    const { entries } = parseRegistry(read('./fixtures/repositories.yaml'), 'r.yaml', 'status');
    const meanings = new Set(
      entries.map((entry) => JSON.stringify(interpretValue(DEFAULT_POLICY, entry.status ?? 'Special'))),
    );
    expect([...meanings].sort()).toEqual(
      [
        { tier: 'contrib', special: null },
        { tier: 'repository', special: null },
        { tier: 'official', special: null },
        { tier: null, special: 'special' },
      ]
        .map((value) => JSON.stringify(value))
        .sort(),
    );
  });

  it('reads the 2022 single-field format (Official, Special) from the registry history', () => {
    const first = DECLARED.history.filter(
      (change) => change.change === 'added' && change.date.startsWith('2022-08-29'),
    );
    const text = first.map((change) => `- name: "${change.repo}"\n  status: ${change.status}\n`).join('');
    const { entries, problems } = parseRegistry(text, 'r.yaml', 'status');
    expect(problems).toEqual([]);
    expect(entries.find((entry) => entry.name === 'charts')?.status).toBe('Official');
    expect(interpretValue(DEFAULT_POLICY, 'Official')).toEqual({ tier: 'official', special: null });
    expect(interpretValue(DEFAULT_POLICY, 'Special')).toEqual({ tier: null, special: 'special' });
  });

  it('accepts a map with a repositories: list, and another field', () => {
    const text = 'repositories:\n  - name: falco\n    tier: official\n  - name: contrib\n    tier: Sandbox\n';
    const { entries } = parseRegistry(text, 'r.yaml', 'tier');
    expect(entries.map((entry) => [entry.name, entry.status])).toEqual([
      ['falco', 'official'],
      ['contrib', 'Sandbox'],
    ]);
  });

  it('malformed YAML: the registry is unreadable as a whole (no entries, no drift)', () => {
    const parsed = parseRegistry(
      '- name: falco\n  status: [Stable\n- name: libs\n',
      'evolution/repositories.yaml',
      'status',
    );
    expect(parsed.entries).toEqual([]);
    expect(parsed.problems).toEqual([]);
    expect(parsed.unreadable).toMatch(/^registry evolution\/repositories\.yaml:\d+:\d+ is not valid YAML/);
  });

  it('a registry that is not a list is unreadable as a whole', () => {
    const parsed = parseRegistry('falco: Stable\n', 'r.yaml', 'status');
    expect(parsed.entries).toEqual([]);
    expect(parsed.unreadable).toMatch(/is not a list of repositories/);
  });

  it('an alias bomb or absurd nesting is refused at once, as unreadable', () => {
    const started = performance.now();
    expect(parseRegistry(aliasBomb(9), 'r.yaml', 'status').unreadable).toMatch(
      /registry r\.yaml was not read: it expands to more than \d+ YAML nodes/,
    );
    expect(parseRegistry(`${'- '.repeat(5000)}x\n`, 'r.yaml', 'status').unreadable).toMatch(/levels deep/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reports bad entries without crashing and keeps the good ones', () => {
    const text = [
      '- name: falco',
      '  status: Stable',
      '- scope: Core', // no name
      '- just-a-string',
      '- name: libs',
      '  status: [Stable, Incubating]',
      '- name: falco',
      '  status: Sandbox', // duplicate
      '- name: rules',
      '  status: 3',
    ].join('\n');
    const { entries, problems } = parseRegistry(text, 'r.yaml', 'status');
    expect(entries.map((entry) => [entry.name, entry.status])).toEqual([['falco', 'Stable']]);
    expect(problems.map((problem) => [problem.kind, problem.repository])).toEqual([
      ['unknown-registry-value', null],
      ['unknown-registry-value', null],
      ['unknown-registry-value', 'libs'],
      ['unknown-registry-value', 'falco'],
      ['unknown-registry-value', 'rules'],
    ]);
    expect(problems[0].message).toBe('registry entry 2 (r.yaml:3) has no `name`; ignored');
  });
});

describe('large registries, read a part at a time', () => {
  /** `count` entries, with comments and blank lines between, some of them broken in the ways drift reports. */
  function registry(count: number, extra: (i: number) => string[] = () => []): string {
    const lines = ['# The registry', '', ''];
    for (let i = 0; i < count; i++) {
      if (i % 97 === 0) lines.push('# a comment between entries', '');
      lines.push(
        `- name: repo-${i}`,
        `  scope: ${i % 3 === 0 ? 'Core' : 'Ecosystem'}`,
        `  status: ${i % 5 === 0 ? 'Incubating' : 'Stable'}`,
        '  description: |',
        `    Repository ${i}.`,
        '',
        '    - not an entry: inside a block scalar',
        ...extra(i),
      );
    }
    return `${lines.join('\n')}\n`;
  }

  it('cuts a root list at its entries, and leaves any other shape whole', () => {
    const text = registry(REGISTRY_ENTRIES_PER_PART * 2 + 7);
    const parts = registryParts(text, REGISTRY_ENTRIES_PER_PART)!;
    expect(parts.map((part) => part.text).join('')).toBe(text);
    expect(parts).toHaveLength(3);
    for (const part of parts.slice(1)) {
      expect(part.text.startsWith('- name: ')).toBe(true);
      expect(text.split('\n')[part.line - 1]).toBe(part.text.split('\n')[0]);
    }
    expect(registryParts('repositories:\n  - name: a\n', 1)).toBeNull();
    expect(registryParts('---\n- name: a\n', 1)).toBeNull();
    expect(registryParts('%YAML 1.2\n---\n- name: a\n', 1)).toBeNull();
    expect(registryParts('-name: a\n', 1)).toBeNull();
    expect(registryParts('# nothing\n', 1)).toBeNull();
  });

  it('reads what the whole document reads: entries, lines, problems numbered across parts', () => {
    const text = registry(REGISTRY_ENTRIES_PER_PART * 3 + 11, (i) =>
      i === 620
        ? ['- scope: Core']
        : i === 1200
          ? ['- name: repo-3', '  status: Stable']
          : i === 1300
            ? ['- name: listed', '  status: [a, b]']
            : [],
    );
    expect(registryParts(text, REGISTRY_ENTRIES_PER_PART)!.length).toBeGreaterThan(1);
    const parsed = parseRegistry(text, 'evolution/repositories.yaml', 'status');
    expect(parsed).toEqual(parseRegistryDocument(text, 'evolution/repositories.yaml', 'status'));
    expect(parsed.entries).toHaveLength(REGISTRY_ENTRIES_PER_PART * 3 + 11);
    expect(parsed.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^registry entry 622 \(evolution\/repositories.yaml:\d+\) has no `name`/),
      expect.stringMatching(/^registry lists 'repo-3' more than once/),
      expect.stringMatching(/^registry entry 'listed' .* has a list in `status`/),
    ]);
  });

  it('falls back to the whole document when a part does not read on its own: the same result, the same errors', () => {
    const anchored = registry(REGISTRY_ENTRIES_PER_PART + 5, (i) =>
      i === 0
        ? ['- name: anchored', '  status: &tier Stable']
        : i === REGISTRY_ENTRIES_PER_PART + 2
          ? ['- name: aliased', '  status: *tier']
          : [],
    );
    const parsed = parseRegistry(anchored, 'r.yaml', 'status');
    expect(parsed.entries.find((e) => e.name === 'anchored')?.status).toBe('Stable');
    expect(parsed).toEqual(parseRegistryDocument(anchored, 'r.yaml', 'status'));

    const broken = registry(REGISTRY_ENTRIES_PER_PART * 2 + 5, (i) =>
      i === 900 ? ['- name: "unterminated'] : [],
    );
    const result = parseRegistry(broken, 'r.yaml', 'status');
    expect(result.unreadable).toMatch(/^registry r\.yaml:\d+:\d+ is not valid YAML/);
    expect(result).toEqual(parseRegistryDocument(broken, 'r.yaml', 'status'));
  });
});
