import { App } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { addCommerceHub, enableNag } from '../../lib/app';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../../lib/config/environments';

describe.each(ENVIRONMENT_NAMES)('cdk-nag AwsSolutions on %s', (name) => {
  it('reports no unacknowledged finding', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'nag-'));
    try {
      const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
      addCommerceHub(app, ENVIRONMENTS[name]);
      enableNag(app);
      let failure: unknown;
      try {
        app.synth();
      } catch (err) {
        failure = err;
      }
      const reportFile = path.join(outdir, 'validation-report.json');
      const violations = existsSync(reportFile)
        ? JSON.parse(readFileSync(reportFile, 'utf8')).pluginReports.flatMap((r: { violations: { ruleName: string }[] }) => r.violations.map((v) => v.ruleName))
        : [];
      expect(violations).toEqual([]);
      expect(failure).toBeUndefined();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
