import type { BastionConfigInput } from '../../modules/config';

/** Network variants every stack goes through Terraform in, by the name the tests print. */
export const NETWORK_VARIANTS = {
  'a new VPC': {
    targets: [
      {
        name: 'aurora',
        port: 5432,
        securityGroupId: 'sg-0123456789abcdef0',
        host: 'db.cluster-abc.eu-west-1.rds.amazonaws.com',
      },
      { name: 'redis', port: 6379, cidr: '10.42.200.0/24' },
    ],
  },
  'an existing VPC': {
    network: {
      mode: 'existing',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      routeTableIds: ['rtb-0123456789abcdef0'],
    },
    endpoints: { singleAz: true },
    audit: { s3Archive: false, logRetentionDays: 30 },
    targets: [
      {
        name: 'opensearch',
        port: 443,
        securityGroupId: 'sg-0fedcba9876543210',
        addIngressRule: false,
      },
    ],
  },
} satisfies Record<string, BastionConfigInput>;

export type NetworkVariant = keyof typeof NETWORK_VARIANTS;
