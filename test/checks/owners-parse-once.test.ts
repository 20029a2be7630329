import { loadRootOwners } from '../../src/checks/owners-file.js';
import { snapshot } from './helpers.js';

const text = (t: string) => ({ kind: 'text' as const, text: t, byteSize: t.length });

describe('loadRootOwners', () => {
  it('parses a repository OWNERS once (owners, maintainers and the report share it), again when it changes', () => {
    const repo = snapshot({
      rootEntries: [{ name: 'OWNERS', path: 'OWNERS', type: 'blob' }],
      files: { OWNERS: text('approvers:\n  - alice\n') },
    });
    const first = loadRootOwners(repo);
    expect(first.state).toBe('ok');
    expect(loadRootOwners(repo)).toBe(first);
    repo.files.OWNERS = text('approvers:\n  - bob\n');
    const second = loadRootOwners(repo);
    expect(second).not.toBe(first);
    expect(second.state === 'ok' && second.owners.roles.approvers).toEqual(['bob']);
  });
});
