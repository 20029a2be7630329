import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '../../src/config/defaults.js';
import type { Policy } from '../../src/config/types.js';
import {
  headerAnnouncesDeprecation,
  readmeHeader,
  resolveDeclaration,
  statusBadges,
} from '../../src/tiers/declarations.js';
import { snapshot } from '../evaluate/snapshot-builder.js';

const README = JSON.parse(
  readFileSync(new URL('./fixtures/falco-readmes.json', import.meta.url), 'utf8'),
) as {
  name: string;
  readme_head: string | null;
  readme_badge_status: string | null;
  looks_deprecated: boolean;
}[];
const readmeOf = (name: string) => {
  const found = README.find((repo) => repo.name === name)?.readme_head;
  if (!found) throw new Error(`no README for ${name}`);
  return found;
};

describe('status badges', () => {
  it('finds the same status badge as the independent extraction, for all 47 real READMEs', () => {
    for (const repo of README) {
      const found = repo.readme_head === null ? [] : statusBadges(readmeHeader(repo.readme_head));
      expect([repo.name, found]).toEqual([
        repo.name,
        repo.readme_badge_status ? [repo.readme_badge_status] : [],
      ]);
    }
    expect(README.filter((repo) => repo.readme_badge_status !== null).length).toBeGreaterThan(30);
  });

  it('ignores badges after the first ## heading (evolution lists every repository’s badge in a table)', () => {
    const text = [
      '# Falco Project Evolution',
      '',
      'This repository aims to document the evolution process of The Falco Project.',
      '',
      '## Repositories',
      '',
      '| Name | Status |',
      '| --- | --- |',
      '| falco | [![Stable](https://img.shields.io/badge/status-stable-brightgreen?style=for-the-badge)](REPOSITORIES.md#stable) |',
    ].join('\n');
    expect(statusBadges(text)).toEqual(['stable']);
    expect(statusBadges(readmeHeader(text))).toEqual([]);
  });

  it('decodes shields escapes and ignores other labels', () => {
    expect(statusBadges('![x](https://img.shields.io/badge/status-long--term_support-blue.svg)')).toEqual([
      'long-term support',
    ]);
    expect(statusBadges('![x](https://img.shields.io/badge/docs-latest-green.svg)')).toEqual([]);
    expect(statusBadges('![x](https://img.shields.io/badge/STATUS-Stable-brightgreen)')).toEqual(['Stable']);
  });

  it('detects deprecation notices in real README headers', () => {
    for (const name of ['kilt', 'client-go', 'falco-exporter']) {
      expect([name, headerAnnouncesDeprecation(readmeHeader(readmeOf(name)))]).toEqual([name, true]);
    }
    for (const name of ['falco', 'falcoctl', 'contrib']) {
      expect([name, headerAnnouncesDeprecation(readmeHeader(readmeOf(name)))]).toEqual([name, false]);
    }
  });
});

describe('resolveDeclaration', () => {
  const policy = DEFAULT_POLICY;

  it('reads each source on its own', () => {
    const registry = resolveDeclaration(snapshot('falco'), policy, { name: 'falco', status: 'Stable' });
    expect(registry).toMatchObject({
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      special: null,
    });

    const property = resolveDeclaration(
      snapshot('falcoctl', { customProperties: { tier: 'Incubating' } }),
      policy,
      undefined,
    );
    expect(property).toMatchObject({ declaredTier: 'repository', declarationSource: 'custom-property' });

    const topic = resolveDeclaration(
      snapshot('plugins', { topics: ['falco', 'tier-official'] }),
      policy,
      undefined,
    );
    expect(topic).toMatchObject({
      declaredTier: 'official',
      declaredAs: 'official',
      declarationSource: 'topic',
    });

    const badge = resolveDeclaration(snapshot('driverkit', {}, readmeOf('driverkit')), policy, undefined);
    expect(badge).toMatchObject({
      declaredTier: 'repository',
      declaredAs: 'incubating',
      declarationSource: 'badge',
    });
    expect(badge.consistency).toMatchObject({
      id: 'declaration-consistent',
      tier: 'declaration',
      outcome: 'pass',
    });

    const none = resolveDeclaration(snapshot('pdig', {}, readmeOf('pdig')), policy, undefined);
    expect(none).toMatchObject({ declaredTier: null, declarationSource: null, all: [], consistency: null });
  });

  it('uses the policy’s custom property name and topic prefix', () => {
    const custom: Policy = { ...policy, customProperty: 'support-level', topicPrefix: 'support-' };
    const repo = snapshot('falco-talon', {
      customProperties: { tier: 'Stable', 'support-level': ['sandbox'] },
      topics: ['support-incubating'],
    });
    const resolved = resolveDeclaration(repo, custom, undefined);
    expect(resolved.all).toEqual([
      { source: 'custom-property', value: 'sandbox', tier: 'contrib', special: null },
      { source: 'topic', value: 'incubating', tier: 'repository', special: null },
    ]);
  });

  it('lets the first source win and agrees across sources case-insensitively', () => {
    const repo = snapshot('falco', { topics: ['tier-STABLE'] }, readmeOf('falco'));
    const resolved = resolveDeclaration(repo, policy, { name: 'falco', status: 'Stable' });
    expect(resolved.declarationSource).toBe('registry');
    expect(resolved.all.map((value) => [value.source, value.tier])).toEqual([
      ['registry', 'official'],
      ['topic', 'official'],
      ['badge', 'official'],
    ]);
    expect(resolved.consistency?.outcome).toBe('pass');
  });

  it('follows the precedence order of the policy', () => {
    const reordered: Policy = { ...policy, declarations: ['badge', 'registry'] };
    const repo = snapshot('falco-actions', {}, readmeOf('falco-actions'));
    const resolved = resolveDeclaration(repo, reordered, { name: 'falco-actions', status: 'Incubating' });
    expect(resolved).toMatchObject({
      declaredTier: 'contrib',
      declaredAs: 'sandbox',
      declarationSource: 'badge',
    });
  });

  it('fails declaration-consistent with both values when sources disagree', () => {
    const repo = snapshot(
      'event-generator',
      { customProperties: { tier: 'Sandbox' } },
      readmeOf('event-generator'),
    );
    const resolved = resolveDeclaration(repo, policy, { name: 'event-generator', status: 'Stable' });
    expect(resolved.declaredTier).toBe('official');
    expect(resolved.consistency?.outcome).toBe('fail');
    expect(resolved.consistency?.message).toContain("the registry says 'Stable' (official)");
    expect(resolved.consistency?.message).toContain("custom property 'tier' says 'Sandbox' (contrib)");
    expect(resolved.consistency?.message).toContain("README badge says 'incubating' (repository)");
    expect(resolved.consistency?.remediation).toBeDefined();
  });

  it('reports unknown values from non-registry sources as a finding, not a crash', () => {
    const repo = snapshot('falcosidekick', { topics: ['tier-gold'] });
    const resolved = resolveDeclaration(repo, policy, { name: 'falcosidekick', status: 'Stable' });
    expect(resolved.declaredTier).toBe('official');
    expect(resolved.all).toContainEqual({ source: 'topic', value: 'gold', tier: null, special: null });
    expect(resolved.consistency?.outcome).toBe('fail');
    expect(resolved.consistency?.message).toContain(
      "topic 'tier-gold' says 'gold' (unknown), which names no tier",
    );

    const only = resolveDeclaration(
      snapshot('falcosidekick-ui', { customProperties: { tier: 'platinum' } }),
      policy,
      undefined,
    );
    expect(only).toMatchObject({ declaredTier: null, declarationSource: null });
    expect(only.consistency?.outcome).toBe('fail');
  });

  it('skips an unknown first value and takes the next recognised one', () => {
    const repo = snapshot('libs', {}, readmeOf('libs'));
    const resolved = resolveDeclaration(repo, policy, { name: 'libs', status: 'Graduated' });
    expect(resolved).toMatchObject({
      declaredTier: 'official',
      declarationSource: 'badge',
      declaredAs: 'stable',
    });
  });

  it('recognises special statuses: deprecated badges and registry entries without status', () => {
    const kilt = resolveDeclaration(snapshot('kilt', {}, readmeOf('kilt')), policy, undefined);
    expect(kilt).toMatchObject({
      declaredTier: null,
      special: 'deprecated',
      declaredAs: 'deprecated',
      declarationSource: 'badge',
    });

    const community = resolveDeclaration(snapshot('community'), policy, { name: 'community', status: null });
    expect(community).toMatchObject({
      declaredTier: null,
      special: 'special',
      declarationSource: 'registry',
    });
  });

  it('ignores the registry entry when the registry is not a declaration source', () => {
    const noRegistry: Policy = { ...policy, declarations: ['topic', 'badge'] };
    expect(
      resolveDeclaration(snapshot('falco'), noRegistry, { name: 'falco', status: 'Stable' }).declaredTier,
    ).toBeNull();
  });
});
