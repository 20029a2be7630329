import { compareVersions, componentOf, parseVersionTag, sortByVersion } from '../../src/checks/versions.js';
import { FALCO } from './helpers.js';

describe('version tags', () => {
  it('parses plain, v-prefixed, monorepo and chart tags', () => {
    expect(parseVersionTag('0.44.1')).toMatchObject({
      prefix: '',
      major: 0,
      minor: 44,
      patch: 1,
      prerelease: [],
    });
    expect(parseVersionTag('v2.3.0-rc3')).toMatchObject({
      prefix: '',
      major: 2,
      minor: 3,
      patch: 0,
      prerelease: ['rc3'],
    });
    expect(parseVersionTag('plugins/k8saudit/v0.18.0')).toMatchObject({
      prefix: 'plugins/k8saudit/',
      minor: 18,
    });
    expect(parseVersionTag('falco-9.1.0')).toMatchObject({ prefix: 'falco-', major: 9 });
    expect(parseVersionTag('falco-incubating-rules-6.0.1')).toMatchObject({
      prefix: 'falco-incubating-rules-',
      major: 6,
    });
    expect(parseVersionTag('10.2.0+driver')).toMatchObject({ prefix: '', major: 10, build: 'driver' });
  });

  it('cloud-native-security-hub and elftoolchain: non-version tags are not versions', () => {
    expect(parseVersionTag('db-202001211041')).toBeNull();
    expect(parseVersionTag('initial-db-load')).toBeNull();
    expect(parseVersionTag('libelf-r4073-0')).toBeNull();
  });

  it('orders by precedence: release after its release candidates, rc10 after rc9', () => {
    const v = (t: string) => parseVersionTag(t)!;
    expect(compareVersions(v('0.44.1'), v('0.44.1-rc1'))).toBeGreaterThan(0);
    expect(compareVersions(v('v1.0.0-rc10'), v('v1.0.0-rc9'))).toBeGreaterThan(0);
    expect(compareVersions(v('v0.10.0'), v('v0.9.9'))).toBeGreaterThan(0);
    expect(compareVersions(v('1.2'), v('1.2.0'))).toBe(0);
  });

  it('falcosidekick-ui: v2.3.0 sorts above its release candidates v2.3.0-rc3…rc1 (real tags)', () => {
    const names = FALCO['falcosidekick-ui'].tags_recent.map((t) => t.name);
    const sorted = sortByVersion(names);
    expect(sorted[0].tag).toBe('v2.3.0');
    expect(sorted[1].tag).toBe('v2.3.0-rc3');
  });

  it('libs: driver tags (+driver) are a separate component from libs tags (real tags)', () => {
    const names = FALCO.libs.tags_recent.map((t) => t.name);
    const comps = new Set(sortByVersion(names).map(componentOf));
    expect(comps).toEqual(new Set(['', '*+driver']));
  });
});
