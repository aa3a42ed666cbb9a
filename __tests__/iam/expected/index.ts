import { bucketPolicies, sharedKeyPolicy } from './audit';
import { auditorPolicy } from './auditor';
import type { Deployment, ExpectedPolicies } from './deployment';
import { ec2OperatorPolicy, instanceRole } from './ec2-bastion';
import { ecsOperatorPolicy, ecsRoles, ecsServiceLogGroups, fargateKeyStatements } from './ecs-bastion';
import { s3EndpointPolicy } from './endpoints';
import { flowLogsRole } from './network';
import { windowRole } from './patching';

export { deployment, type Deployment, STACKS, VARIANTS } from './deployment';

/**
 * Every policy document a deployment must hold, complete, by the label `attachedPolicies` gives it: trust and
 * inline policy of every role, every managed policy, the key policy, the bucket policies and the S3 endpoint
 * policy. One table per module, in the file named after it.
 */
export function expectedPolicies(d: Deployment): ExpectedPolicies {
  return {
    [`key alias/${d.prefix}-${d.short}-audit`]: [...sharedKeyPolicy(d, ecsServiceLogGroups(d)), ...fargateKeyStatements(d)],
    ...bucketPolicies(d),
    ...s3EndpointPolicy(d),
    ...flowLogsRole(d),
    ...ecsRoles(d),
    ...ecsOperatorPolicy(d),
    ...instanceRole(d),
    ...ec2OperatorPolicy(d),
    ...windowRole(d),
    ...auditorPolicy(d),
  };
}
