// cdk-nag acknowledgements: every one carries the reason it is safe, next to the resource it concerns.
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges one cdk-nag finding (rule id, optionally `[finding]`) on a construct and all below it. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The `<LogicalId.Arn>` form in which cdk-nag names a resource ARN inside an IAM5 finding. */
export function arnRef(element: IConstruct): string {
  const cfn = (element.node.defaultChild ?? element) as CfnElement;
  return `<${Stack.of(cfn).getLogicalId(cfn)}.Arn>`;
}
