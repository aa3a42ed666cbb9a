import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { Ec2Config } from '../config';
import type { DeploymentContext } from '../context';
import { PolicyDocument } from '../iam';
import { PATCH_GROUP_TAG } from '../patching';
import { type InstanceRoleInputs, instanceRoleStatements } from './instance-role';
import { bastionUserData } from './user-data';

export { type InstanceRoleInputs, instanceRoleStatements } from './instance-role';
export { OperatorPolicy, type OperatorPolicyProps, operatorPolicyStatements } from './operator-policy';
export { bastionUserData, bastionUserDataScript, IMDS_TABLE, SESSION_OS_USER } from './user-data';

/** What stands for the instance id in `instanceArn` while the bastion is parked: EC2 ids are `i-` and hex. */
export const PARKED_INSTANCE = 'parked';

/** Root device of the Amazon Linux 2023 AMIs. */
export const AL2023_ROOT_DEVICE = '/dev/xvda';

/** The public SSM parameter that always names the newest Amazon Linux 2023 AMI of an architecture. */
export function al2023AmiParameter(architecture: Ec2Config['architecture']): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

export interface Ec2BastionProps extends Omit<InstanceRoleInputs, 'context'> {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** Instance type, architecture and root volume size (`ec2` configuration). */
  readonly ec2: Pick<Ec2Config, 'instanceType' | 'architecture' | 'rootVolumeSizeGiB'>;
  /** Patch group: the instance carries it as its PatchGroup tag. */
  readonly patchGroup: string;
  /** Private subnets; the instance goes into the first. */
  readonly subnetIds: string[];
  /** Security group of the bastion (no ingress). */
  readonly securityGroupId: string;
}

/**
 * The EC2 bastion: an Amazon Linux 2023 instance launched from a template, reached only through Session Manager.
 * IMDSv2 only (hop limit 1, so a container on it cannot reach the role credentials), tags in instance metadata,
 * an encrypted gp3 root volume, no public IP, no key pair, no ingress. The AMI is resolved by EC2 at launch from
 * the public SSM parameter, so planning needs no AMI lookup and a new AMI never replaces a running bastion:
 * Patch Manager keeps it current, and the next one (after parking) starts from the newest AMI.
 */
export class Ec2Bastion extends Construct {
  /** Id of the instance, or null when the bastion is parked (`one()` over the counted instance). */
  readonly instanceId: string;
  /** Ids of the instance as a list: empty when parked. */
  readonly instanceIds: string[];
  /**
   * ARN of the instance, for policies that grant on this bastion only. While parked there is no instance, and
   * this is the ARN of `instance/parked` (`PARKED_INSTANCE`), which no instance id can match, so the
   * policies stay valid and grant nothing.
   */
  readonly instanceArn: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly instanceProfileArn: string;
  readonly launchTemplateId: string;

  constructor(scope: Construct, id: string, props: Ec2BastionProps) {
    super(scope, id);
    const { context, ec2 } = props;
    const { names } = context;

    const trust = new PolicyDocument(this, 'trust', [
      {
        // No aws:SourceAccount/SourceArn here: EC2 does not send them when it assumes an instance profile role.
        sid: 'AssumedByEc2ForTheInstanceProfile',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: [context.servicePrincipal('ec2')] }],
      },
    ]);
    const role = new IamRole(this, 'role', {
      name: names.resource('bastion'),
      description: 'Instance role of the EC2 bastion: SSM agent, session and patch logs, patch sources.',
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    const permissions = new PolicyDocument(this, 'permissions', instanceRoleStatements({ ...props, context }));
    const rolePolicy = new IamRolePolicy(this, 'role-policy', { name: 'least-privilege', role: role.id, policy: permissions.json });
    const profile = new IamInstanceProfile(this, 'instance-profile', { name: names.resource('bastion'), role: role.name });

    // Tag specifications do not get the provider's default_tags (hashicorp/terraform-provider-aws#19387).
    const volumeTags = { ...context.defaultTags, Name: names.resource('bastion-root'), [PATCH_GROUP_TAG]: props.patchGroup };
    const template = new LaunchTemplate(this, 'launch-template', {
      name: names.resource('bastion'),
      description: `${context.namePrefix}: Amazon Linux 2023 bastion on Session Manager`,
      updateDefaultVersion: true,
      imageId: `resolve:ssm:${al2023AmiParameter(ec2.architecture)}`,
      // The session user and the metadata rule that keep a shell away from the instance role (user-data.ts).
      userData: bastionUserData(),
      instanceType: ec2.instanceType,
      ebsOptimized: 'true',
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'enabled',
      },
      blockDeviceMappings: [
        {
          deviceName: AL2023_ROOT_DEVICE,
          ebs: {
            volumeType: 'gp3',
            volumeSize: ec2.rootVolumeSizeGiB,
            encrypted: 'true',
            kmsKeyId: props.kmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: [
        { resourceType: 'volume', tags: volumeTags },
        { resourceType: 'network-interface', tags: { ...context.defaultTags, Name: names.resource('bastion') } },
      ],
      tags: { Name: names.resource('bastion') },
    });

    const instance = new Instance(this, 'instance', {
      count: context.enabledCount,
      // A changed template (type, volume, metadata options) gets a new version and so a new instance; "$Latest"
      // would leave the running bastion on the old configuration without Terraform ever noticing.
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      subnetId: Fn.element(props.subnetIds, 0),
      vpcSecurityGroupIds: [props.securityGroupId],
      associatePublicIpAddress: false,
      // The provider sends its own ebs_optimized (false unless set) with RunInstances, overriding the template.
      ebsOptimized: true,
      tags: { Name: names.ec2Instance, [PATCH_GROUP_TAG]: props.patchGroup },
      // The agent registers at boot: its permissions must be in place before the instance starts.
      dependsOn: [rolePolicy],
    });

    this.instanceIds = Token.asList(Fn.lookupNested(instance, ['*', 'id']));
    this.instanceId = Token.asString(Fn.one(this.instanceIds));
    this.instanceArn = Token.asString(
      Fn.coalesce([Fn.one(Token.asList(Fn.lookupNested(instance, ['*', 'arn']))), context.arn('ec2', `instance/${PARKED_INSTANCE}`)]),
    );
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.instanceProfileArn = profile.arn;
    this.launchTemplateId = template.id;
  }
}
