import { defineCheck } from './define.js';
import { findEntries } from './files.js';
import { fail, pass, stringListParam, withDefaults } from './util.js';

const LICENSE_FILE = /^(licen[cs]e|copying)([.\-_].*)?$/;

function recognised(spdxId: string | null | undefined): spdxId is string {
  if (!spdxId) return false;
  const id = spdxId.trim().toLowerCase();
  return id !== '' && id !== 'noassertion' && id !== 'other';
}

export const licenseCheck = defineCheck({
  id: 'license',
  title: 'License',
  description:
    'A license file at the root (LICENSE*, LICENCE*, COPYING*; any case) or a license GitHub detects. With `allowed` (SPDX ids), the detected license must be in the list, and one GitHub cannot identify fails as not recognised.',
  params: [
    {
      name: 'allowed',
      type: 'string-list',
      default: [],
      description: 'SPDX ids of the allowed licenses (`[]` = any license).',
    },
  ],
  reads: ['tree', 'license'],
  run(snapshot, params) {
    const p = withDefaults(licenseCheck.defaults, params);
    const allowed = stringListParam(p, 'allowed');
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return fail('repository is empty: no license', 'Push a LICENSE file (for example Apache-2.0).');
    }
    const files = findEntries(snapshot, (n) => LICENSE_FILE.test(n), ['root']);
    const detected = snapshot.license;
    const evidence = files.map((f) => ({ path: f.path }));
    const spdx = detected?.spdxId ?? null;
    if (!recognised(spdx) && files.length === 0) {
      return fail(
        'no license: no LICENSE or COPYING file at the root and GitHub detects none',
        'Add a LICENSE file at the root with the full text of an OSI-approved license.',
      );
    }
    const fileText = files.length ? files.map((f) => f.path).join(', ') : 'no license file';
    if (allowed.length === 0) {
      if (recognised(spdx)) {
        return pass(`license ${spdx} detected by GitHub (${fileText})`, [
          ...evidence,
          { detail: `SPDX ${spdx}` },
        ]);
      }
      return pass(`license file ${fileText} present (GitHub does not identify the license)`, evidence);
    }
    const allowedText = allowed.join(', ');
    if (!recognised(spdx)) {
      const what = detected?.name ? `GitHub reports "${detected.name}"` : 'GitHub detects no license';
      return fail(
        `license not recognised: ${fileText} present but ${what}, so it cannot be matched against the allowed list (${allowedText})`,
        `Use the unmodified text of one of ${allowedText} so GitHub can identify it.`,
        [...evidence, { detail: `SPDX ${spdx ?? 'none'}` }],
      );
    }
    const ok = allowed.some((a) => a.toLowerCase() === spdx.toLowerCase());
    if (!ok) {
      return fail(
        `license ${spdx} is not in the allowed list (${allowedText})`,
        `Relicense under one of ${allowedText}, or add a waiver explaining the exception.`,
        [...evidence, { detail: `SPDX ${spdx}` }],
      );
    }
    return pass(`license ${spdx} detected by GitHub, allowed (${fileText})`, [
      ...evidence,
      { detail: `SPDX ${spdx}` },
    ]);
  },
});
