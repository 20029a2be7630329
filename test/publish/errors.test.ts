import { describe, expect, it } from '@jest/globals';
import { toPublishError } from '../../src/publish/errors.js';

describe('toPublishError', () => {
  it('no answer at all (octokit says 500 without a response): a connection error naming the URL, not HTTP 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      status: 500,
      request: { url: 'http://127.0.0.1:9/repos/o/r/issues?labels=tier-audit' },
    });
    const error = toPublishError(refused, 'list the tracking issues', 'o/r');
    expect(error.message).toBe(
      'Cannot list the tracking issues in o/r: could not connect to http://127.0.0.1:9/repos/o/r/issues (connect ECONNREFUSED 127.0.0.1:9). Check the API URL, the network and any proxy.',
    );
    expect(error.status).toBeNull();
  });

  it('a real HTTP 500 answer stays a server error', () => {
    const answered = Object.assign(new Error('Internal Server Error'), {
      status: 500,
      response: { status: 500, data: { message: 'Internal Server Error' } },
    });
    expect(toPublishError(answered, 'create the tracking issue', 'o/r').message).toMatch(
      /GitHub answered HTTP 500/,
    );
  });
});
