// SES v2: the sending identity for the MAIL_FROM domain and the configuration set every message goes through.
import { Arn, Stack } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EmailIdentity,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { Settings } from '../settings.ts';

export interface MailProps {
  settings: Settings;
}

export class Mail extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // A bounced or complaining address is not mailed again; SES keeps that list, not the application.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Messages carry verification codes and outcomes: never hand them to a receiving server in clear text.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      sendingEnabled: true,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.settings.mailDomain),
      configurationSet: this.configurationSet,
      dkimSigning: true,
      dkimIdentity: DkimIdentity.easyDkim(),
    });
  }

  /** ARN of the configuration set (the L2 exposes only its name). */
  get configurationSetArn(): string {
    return Arn.format(
      {
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.configurationSet.configurationSetName,
      },
      Stack.of(this),
    );
  }

  /** ses:SendEmail from the domain identity through the configuration set, and nothing else. */
  grantSend(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.identity.emailIdentityArn, this.configurationSetArn],
      }),
    );
  }
}
