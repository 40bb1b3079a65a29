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
    // Act: collect the violations cdk-nag reported during the synth
    const violations = s.report.pluginReports.flatMap((r) =>
      r.violations.map((v) => `${r.pluginName} ${v.severity} ${v.ruleName}`),
    );
    // Assess: none
    expect(violations).toEqual([]);
  });

  it('leaves no construct warning or error', () => {
    // Act: read the stack's annotations
    const annotations = Annotations.fromStack(s.stack);
    // Assess: no warning, no error
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  it('gives a written reason for every acknowledgement', () => {
    // Act: collect every acknowledged rule and its reason
    const acknowledged = s.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    // Assess: there are some, and each gives a reason of more than 40 characters
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) expect(reason.length, id).toBeGreaterThan(40);
  });

  it('fails the synth when a finding is not acknowledged', () => {
    // Act: synthesize the stack plus a plain bucket, which lacks access logs and TLS enforcement
    // Assess: the checks catch it and the synth fails
    expect(() => synth({}, (stack) => new Bucket(stack, 'CarelessBucket'))).toThrow(
      /AwsSolutions-S1|AwsSolutions-S10/,
    );
  });
});
