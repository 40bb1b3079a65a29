import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synth, synthOnce } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthOnce();
});

describe('cdk-nag AwsSolutions', () => {
  it('leaves no unacknowledged error or warning in the validation report', () => {
    const violations = s.report.pluginReports.flatMap((r) =>
      r.violations.map((v) => `${r.pluginName} ${v.severity} ${v.ruleName}`),
    );
    expect(violations).toEqual([]);
  });

  it('leaves no construct warning or error', () => {
    const annotations = Annotations.fromStack(s.stack);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  it('gives a written reason for every acknowledgement', () => {
    const acknowledged = s.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) expect(reason.length, id).toBeGreaterThan(40);
  });

  it('fails the synth when a finding is not acknowledged', () => {
    // A plain bucket lacks access logs and TLS enforcement: the checks must catch it.
    expect(() => synth({}, (stack) => new Bucket(stack, 'CarelessBucket'))).toThrow(
      /AwsSolutions-S1|AwsSolutions-S10/,
    );
  });
});
