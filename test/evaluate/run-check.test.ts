import { defineCheck } from '../../src/checks/define.js';
import { fail, pass } from '../../src/checks/util.js';
import { runCheck } from '../../src/evaluate/run-check.js';
import { ctx, snapshot, text } from '../checks/helpers.js';

const failing = (reads: Parameters<typeof defineCheck>[0]['reads']) =>
  defineCheck({ id: 'x', title: 'x', description: 'x', reads, run: () => fail('nothing found', 'add it') });

describe('runCheck: "could not read" becomes error once, from what a check declares it reads', () => {
  it('a failure is unknown when a part the check reads could not be read', () => {
    const s = snapshot({ problems: [{ part: 'tree', message: 'timeout' }] });
    const r = runCheck(failing(['tree']), s, {}, ctx());
    expect(r.outcome).toBe('error');
    expect(r.message).toBe(
      'could not read tree (timeout): unknown rather than failing (what was read: nothing found)',
    );
  });

  it('a problem with a part the check does not read leaves the failure alone', () => {
    const s = snapshot({ problems: [{ part: 'releases', message: 'timeout' }] });
    expect(runCheck(failing(['tree']), s, {}, ctx()).outcome).toBe('fail');
  });

  it('an unread OWNERS, workflow or README file, an unlisted root tree and unknown org files count', () => {
    const owners = snapshot({ files: { OWNERS: { kind: 'unread', reason: 'rate limited' } } });
    expect(runCheck(failing(['owners']), owners, {}, ctx()).message).toMatch(
      /^could not read OWNERS \(rate limited\)/,
    );
    const wf = snapshot({ files: { '.github/workflows/ci.yml': { kind: 'unread', reason: 'x' } } });
    expect(runCheck(failing(['workflows']), wf, {}, ctx()).outcome).toBe('error');
    const readme = snapshot({ files: { 'README.markdown': { kind: 'unread', reason: 'x' } } });
    expect(runCheck(failing(['readme']), readme, {}, ctx()).outcome).toBe('error');
    expect(runCheck(failing(['tree']), snapshot({ rootEntries: null }), {}, ctx()).outcome).toBe('error');
    expect(
      runCheck(failing(['community-files']), snapshot(), {}, ctx({ communityFiles: null })).outcome,
    ).toBe('error');
    expect(runCheck(failing(['community-files']), snapshot(), {}, ctx()).outcome).toBe('fail');
  });

  it('an empty repository is not a read problem; a pass stays a pass; a throw is an error', () => {
    const empty = snapshot({ empty: true, defaultBranch: null, rootEntries: null });
    expect(runCheck(failing(['tree']), empty, {}, ctx()).outcome).toBe('fail');
    const passing = defineCheck({
      id: 'p',
      title: 'p',
      description: 'p',
      reads: ['tree'],
      run: () => pass('ok'),
    });
    expect(
      runCheck(passing, snapshot({ problems: [{ part: 'tree', message: 't' }] }), {}, ctx()).outcome,
    ).toBe('pass');
    const throwing = defineCheck({
      id: 't',
      title: 't',
      description: 't',
      reads: [],
      run: () => {
        throw new Error('boom');
      },
    });
    expect(runCheck(throwing, snapshot({ files: { a: text('x') } }), {}, ctx())).toEqual({
      outcome: 'error',
      message: "Check 't' failed: boom",
    });
  });
});
