// How mail about a request fared (P10): the configuration set every message goes through publishes SES's Bounce
// and Complaint events to an SNS topic (encrypted with the stack key, TLS only), and the MailEvents Lambda, its one
// subscriber, marks the request the mail was about (functions/events/mail-events.ts).
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
  type IConfigurationSet,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface MailEventsProps {
  key: IKey;
  configurationSet: IConfigurationSet;
  /** the MailEvents Lambda (functions/registry-mail.ts) */
  handler: IFunction;
}

export class MailEvents extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MailEventsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Bounces and complaints of mail about requests',
      masterKey: props.key,
      enforceSSL: true,
    });
    // SES publishes to the encrypted topic only if it may use the key; for this account's configuration sets only.
    props.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    // The destination also grants SES sns:Publish on the topic, for this configuration set alone.
    new ConfigurationSetEventDestination(this, 'Destination', {
      configurationSet: props.configurationSet,
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.topic.addSubscription(new LambdaSubscription(props.handler));
  }
}
