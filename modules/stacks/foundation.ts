import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, Fn, LocalBackend, S3Backend, TerraformStack, type TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { AuditTrail } from '../audit';
import { type BastionConfig, endpointsForBinding, LOCAL_STATE_PATH, LOG_RETENTION_DAYS, STACK_PLACEHOLDER, type StackName, stateKey } from '../config';
import { type DeploymentContext, deploymentContext, stackTags } from '../context';
import { INTERFACE_ENDPOINT_GROUPS, InterfaceEndpoints, type InterfaceService, lookUpS3PrefixList, S3GatewayEndpoint } from '../endpoints';
import { StackVariable } from '../hcl';
import type { PolicyStatement } from '../iam';
import { Network } from '../network';
import { BastionSecurityGroups } from '../security-groups';
import { stackOutput } from './outputs';
import { NameTags } from './tagging';

type InterfaceGroup = keyof typeof INTERFACE_ENDPOINT_GROUPS;

/** What a bastion variant needs from the shared foundation. */
export interface BastionVariant {
  /** Stack name (`cdktf deploy <name>`). */
  readonly stackName: StackName;
  /** Interface endpoint services this variant uses (created only where the configuration turns them on). */
  readonly interfaceServices: readonly InterfaceService[];
  /** S3 gateway endpoint policy statements for the AWS-owned buckets this variant reads. */
  s3EndpointStatements(context: DeploymentContext): PolicyStatement[];
  /** Key policy statements beyond the shared ones. @default - none */
  keyPolicyStatements?(context: DeploymentContext): PolicyStatement[];
  /** Log groups whose names an AWS service fixes, which the variant creates encrypted. @default - none */
  serviceLogGroupNames?(context: DeploymentContext, config: BastionConfig): string[];
}

// Relative to the stack's working folder (cdktf.out/stacks/<stack>), so state lands in the project root
// and no absolute path of the synthesizing machine is written into the output.
const STACK_DIR_TO_PROJECT_ROOT = '../../..';

/**
 * The part both bastion stacks share: provider, backend, the `bastion_enabled` switch, the audit trail, the
 * network, the security groups and the VPC endpoints. The variants add their compute on top.
 */
export abstract class BastionFoundationStack extends TerraformStack {
  readonly config: BastionConfig;
  readonly context: DeploymentContext;
  /** `bastion_enabled`: false parks the bastion (no interface endpoints, no compute). */
  readonly bastionEnabled: TerraformVariable;
  readonly audit: AuditTrail;
  readonly network: Network;
  readonly securityGroups: BastionSecurityGroups;
  readonly s3Endpoint?: S3GatewayEndpoint;
  readonly interfaceEndpoints?: InterfaceEndpoints;

  protected constructor(scope: Construct, config: BastionConfig, variant: BastionVariant) {
    super(scope, variant.stackName);
    this.config = config;
    this.configureTerraform(variant);

    this.bastionEnabled = new StackVariable(this, 'bastion_enabled', {
      type: 'bool',
      default: true,
      nullable: false,
      description: 'false parks the bastion: its compute and interface VPC endpoints are destroyed, so an idle bastion costs (almost) nothing.',
    });
    // A variable, so a Terraform-only team can change retention without re-synthesizing; the default is the
    // configured value, already checked against the periods CloudWatch accepts.
    const logRetention = new StackVariable(this, 'log_retention_days', {
      type: 'number',
      default: config.audit.logRetentionDays,
      nullable: false,
      description: 'Retention of every log group of the bastion, in days.',
      validation: [
        {
          condition: `\${contains([${LOG_RETENTION_DAYS.join(', ')}], var.log_retention_days)}`,
          errorMessage: `log_retention_days must be a period CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}.`,
        },
      ],
    });
    const accountId = config.accountId ?? new DataAwsCallerIdentity(this, 'caller').accountId;
    const enabledCount = Token.asNumber(Fn.conditional(this.bastionEnabled.booleanValue, 1, 0));
    this.context = deploymentContext(config, variant.stackName, accountId, enabledCount);
    const { context } = this;

    this.audit = new AuditTrail(this, 'audit', {
      context,
      logRetentionDays: logRetention.numberValue,
      archiveBucket: config.audit.s3Archive,
      additionalKeyPolicyStatements: variant.keyPolicyStatements?.(context),
      serviceLogGroupNames: variant.serviceLogGroupNames?.(context, config),
    });
    const endpointModes = config.endpoints;
    const groupOf = (service: InterfaceService) =>
      (Object.keys(INTERFACE_ENDPOINT_GROUPS) as InterfaceGroup[]).find((group) => (INTERFACE_ENDPOINT_GROUPS[group] as readonly string[]).includes(service))!;
    const modeOf = (service: InterfaceService) => endpointModes[groupOf(service)];
    const created = variant.interfaceServices.filter((service) => modeOf(service) === 'create');
    const reused = variant.interfaceServices.filter((service) => modeOf(service) === 'existing');
    const throughNat = [...variant.interfaceServices.map(modeOf), endpointModes.s3].includes('none');

    this.network = new Network(this, 'network', {
      context,
      network: config.network,
      audit: this.audit,
      privateDnsEndpoints: created.length > 0 || reused.length > 0,
    });
    const shared = config.network.mode === 'existing';

    if (endpointModes.s3 === 'create') {
      this.s3Endpoint = new S3GatewayEndpoint(this, 's3-endpoint', {
        context,
        vpcId: this.network.vpcId,
        routeTableIds: this.network.routeTableIds,
        // On route tables others share, a policy would restrict their S3 access too: AWS's default instead.
        statements: shared ? undefined : [...variant.s3EndpointStatements(context), ...this.archiveEndpointStatements()],
      });
    }
    this.securityGroups = new BastionSecurityGroups(this, 'security-groups', {
      context,
      vpcId: this.network.vpcId,
      targets: config.targets,
      s3PrefixListId: this.s3Endpoint?.prefixListId ?? lookUpS3PrefixList(this, 's3-prefix-list', context.region),
      interfaceEndpointClients: created.length === 0 ? undefined : shared ? { kind: 'vpc', cidrBlocks: this.network.cidrBlocks } : { kind: 'bastion' },
      existingEndpointCidrBlocks: reused.length > 0 ? this.network.cidrBlocks : undefined,
      httpsToInternet: throughNat,
    });
    if (created.length > 0) {
      this.interfaceEndpoints = new InterfaceEndpoints(this, 'interface-endpoints', {
        context,
        vpcId: this.network.vpcId,
        subnetIds: this.network.subnetIds,
        securityGroupId: this.securityGroups.endpointSecurityGroupId!,
        services: created,
        singleAz: endpointModes.singleAz,
      });
    }
    this.foundationOutputs();
    Aspects.of(this).add(new NameTags(config.namePrefix));
  }

  private configureTerraform(variant: BastionVariant): void {
    const { config } = this;
    const provider = config.provider;
    new AwsProvider(this, 'aws', {
      region: config.region,
      // The provider checks allowed_account_ids against the account it asks STS for; with
      // skip_requesting_account_id it has none and would refuse every plan, so the check is left out then.
      allowedAccountIds: config.accountId && !provider.skipRequestingAccountId ? [config.accountId] : undefined,
      defaultTags: [{ tags: { ...stackTags(config, variant.stackName) } }],
      endpoints: provider.endpoints ? [endpointsForBinding(provider.endpoints)] : undefined,
      skipCredentialsValidation: provider.skipCredentialsValidation,
      skipRequestingAccountId: provider.skipRequestingAccountId,
      // A string attribute in provider 5.x; a boolean here breaks `synth --hcl`.
      skipMetadataApiCheck: provider.skipMetadataApiCheck === undefined ? undefined : String(provider.skipMetadataApiCheck),
      skipRegionValidation: provider.skipRegionValidation,
    });
    const backend = config.backend;
    if (backend.type === 's3') {
      const s3 = new S3Backend(this, {
        bucket: backend.bucket,
        key: stateKey(backend.key, variant.stackName),
        region: backend.region ?? config.region,
        encrypt: true,
      });
      // cdktf 0.21 predates S3-native locking (Terraform 1.10); the override writes `use_lockfile`.
      if (backend.useLockfile) s3.addOverride('use_lockfile', true);
    } else {
      const path = (backend.path ?? LOCAL_STATE_PATH).replaceAll(STACK_PLACEHOLDER, variant.stackName);
      new LocalBackend(this, { path: `${STACK_DIR_TO_PROJECT_ROOT}/${path}` });
    }
  }

  /** The session archive is reached through the gateway endpoint too; only principals of this account may. */
  private archiveEndpointStatements(): PolicyStatement[] {
    if (!this.audit.bucketArn) return [];
    return [
      {
        sid: 'SessionArchiveOfThisAccount',
        actions: ['s3:PutObject', 's3:GetEncryptionConfiguration', 's3:GetBucketLocation'],
        resources: [this.audit.bucketArn, `${this.audit.bucketArn}/*`],
        conditions: [{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [this.context.accountId] }],
      },
    ];
  }

  private foundationOutputs(): void {
    stackOutput(this, 'vpc_id', this.network.vpcId, 'Id of the VPC the bastion runs in.');
    stackOutput(this, 'subnet_ids', this.network.subnetIds, 'Private subnets of the bastion.');
    stackOutput(
      this,
      'bastion_security_group_id',
      this.securityGroups.bastionSecurityGroupId,
      'Security group of the bastion: allow it in the security groups of the databases it should reach.',
    );
    stackOutput(this, 'audit_kms_key_arn', this.audit.kmsKeyArn, 'Customer-managed KMS key that encrypts sessions, logs and the session archive.');
    stackOutput(
      this,
      'audit_bucket_name',
      this.audit.bucketName ?? null,
      'S3 bucket holding session transcripts and command output (null when the archive is off).',
    );
  }
}
