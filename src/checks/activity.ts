import { defineCheck } from './define.js';
import {
  cutoff,
  dayOf,
  describeProblems,
  error,
  fail,
  isoDay,
  numberParam,
  pass,
  problemsFor,
  withDefaults,
} from './util.js';

export const activityCheck = defineCheck({
  id: 'activity',
  title: 'Activity',
  description: 'A commit on the default branch within `max-idle-days` of the audit date.',
  params: [
    {
      name: 'max-idle-days',
      type: 'integer',
      minimum: 1,
      default: 365,
      description: 'Days without a commit on the default branch after which the repository counts as idle.',
    },
  ],
  reads: ['history'],
  run(snapshot, params, ctx) {
    const p = withDefaults(activityCheck.defaults, params);
    const days = numberParam(p, 'max-idle-days', 365);
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return fail('repository is empty: no commits', 'Push the project code to the default branch.');
    }
    const since = cutoff(ctx.now, days);
    if (snapshot.lastCommitDate === null || Number.isNaN(Date.parse(snapshot.lastCommitDate))) {
      const problems = problemsFor(snapshot, ['history', 'commits', 'lastCommit', 'defaultBranch']);
      return error(
        `could not read the date of the last commit on ${snapshot.defaultBranch}${problems.length ? `: ${describeProblems(problems)}` : ''}`,
      );
    }
    const last = isoDay(snapshot.lastCommitDate);
    const message = `last commit on ${snapshot.defaultBranch} on ${last}`;
    const evidence = [{ detail: `last commit ${last}` }];
    if (Date.parse(snapshot.lastCommitDate) >= since.getTime()) {
      return pass(`${message}, within ${days} days of ${dayOf(ctx.now)}`, evidence);
    }
    return fail(
      `${message}: none since ${dayOf(since)} (${days} days before ${dayOf(ctx.now)})`,
      'Show the project is maintained (merge pending work, update dependencies), or declare it deprecated and archive it.',
      evidence,
    );
  },
});
