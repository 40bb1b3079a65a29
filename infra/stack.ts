// The whole pipeline in one stack, one construct per concern.
import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alarms } from './constructs/alarms.ts';
import { Api } from './constructs/api.ts';
import { Data } from './constructs/data.ts';
import { Functions } from './constructs/functions.ts';
import { Mail } from './constructs/mail.ts';
import { MailEvents } from './constructs/mail-events.ts';
import { RetentionSweep } from './constructs/retention-sweep.ts';
import { Schedules } from './constructs/schedules.ts';
import { Site } from './constructs/site.ts';
import { Workflow } from './constructs/workflow.ts';
import { readSettings, type Settings } from './settings.ts';

export class PrivacyRightsStack extends Stack {
  readonly settings: Settings;
  readonly data: Data;
  readonly mail: Mail;
  readonly api: Api;
  readonly functions: Functions;
  readonly workflow: Workflow;
  readonly site: Site;
  readonly schedules: Schedules;
  readonly retentionSweep: RetentionSweep;
  readonly alarms: Alarms;
  readonly mailEvents: MailEvents;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.settings = readSettings(this.node);
    const settings = this.settings;

    this.data = new Data(this, 'Data', { settings });
    this.mail = new Mail(this, 'Mail', { settings });
    // The API comes before the functions (they need its URL) and gets its routes after them.
    this.api = new Api(this, 'Api', { settings, key: this.data.key });
    // Named, so functions get its ARN as a plain string: the state machine refers to them, not back.
    const stateMachineName = `${this.stackName}-Request`;
    this.functions = new Functions(this, 'Functions', {
      settings,
      data: this.data,
      mail: this.mail,
      publicBaseUrl: this.api.url,
      stateMachineArn: this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: stateMachineName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      // The name RetentionSweep gives its state machine (infra/constructs/retention-sweep.ts).
      retentionStateMachineArn: this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: `${this.stackName}-RetentionSweep`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    });
    this.workflow = new Workflow(this, 'Workflow', {
      key: this.data.key,
      stateMachineName,
      tasks: this.functions.tasks,
      connectors: this.functions.connectors,
    });
    this.api.addRoutes(this.functions.api);
    // The pages on the same API; config.json tells the console where staff sign in.
    this.site = new Site(this, 'Site', {
      restApi: this.api.restApi,
      dist: settings.consoleDist,
      accessLogs: this.data.accessLogs,
      key: this.data.key,
      config: {
        auth: 'cognito',
        domain: this.api.loginDomain.baseUrl(),
        clientId: this.api.userPoolClient.userPoolClientId,
        redirectUri: this.api.consoleUrl,
        logoutUri: this.api.consoleUrl,
      },
    });
    this.schedules = new Schedules(this, 'Schedules', {
      functions: this.functions.scheduled,
      workflowEvents: this.functions.workflowEvents,
      stateMachineArn: this.workflow.stateMachine.stateMachineArn,
    });
    this.mailEvents = new MailEvents(this, 'MailEvents', {
      key: this.data.key,
      configurationSet: this.mail.configurationSet,
      handler: this.functions.mailEvents,
    });
    this.retentionSweep = new RetentionSweep(this, 'RetentionSweep', {
      key: this.data.key,
      functions: this.functions.retention,
      bucket: this.data.exports,
      dryRun: settings.retentionDryRun,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      key: this.data.key,
      stateMachine: this.workflow.stateMachine,
      connectors: this.functions.connectors,
      api: this.api.restApi,
      scheduled: new Map([
        ...this.functions.scheduled,
        ...this.functions.workflowEvents,
        ...this.functions.retention,
        ['MailEvents', this.functions.mailEvents],
      ]),
      retentionSweep: this.retentionSweep.stateMachine,
      staffInbox: settings.staffInbox,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.url,
      description: 'Base URL of the public and staff API',
    });
    new CfnOutput(this, 'PrivacyCentreUrl', {
      value: `${this.api.url}/`,
      description: 'The privacy centre (with the slash: its files are linked relative to it)',
    });
    new CfnOutput(this, 'ConsoleUrl', { value: this.api.consoleUrl, description: 'The staff console' });
    new CfnOutput(this, 'StaffLoginUrl', {
      value: this.api.loginDomain.baseUrl(),
      description: "Cognito's hosted sign-in for staff",
    });
    new CfnOutput(this, 'UserPoolId', {
      value: this.api.userPool.userPoolId,
      description: 'Staff user pool',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.api.userPoolClient.userPoolClientId,
      description: 'Staff console app client',
    });
    // Easy DKIM records to publish in the mail domain's DNS before SES will send from it.
    this.mail.identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DNS record ${i + 1} of 3 for ${settings.mailDomain}`,
      });
    });
    new CfnOutput(this, 'StateMachineArn', {
      value: this.workflow.stateMachine.stateMachineArn,
      description: 'Request workflow',
    });
  }
}
