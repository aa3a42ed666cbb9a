import { allow, arn, assumedBy, type Deployment, type ExpectedPolicies, logGroupArn, logGroupName, resourceName, when } from './deployment';

/** The exact grants of modules/network: the VPC Flow Logs role, which exists only in a VPC the stack creates. */
export function flowLogsRole(d: Deployment): ExpectedPolicies {
  if (!d.newVpc) return {};
  const role = resourceName(d, 'vpc-flow-logs');
  const group = logGroupArn(d, logGroupName(d, 'vpc-flow-logs'));
  return {
    [`role ${role}: trust`]: [
      assumedBy(
        'AssumedByService',
        'vpc-flow-logs.amazonaws.com',
        when('StringEquals', 'aws:SourceAccount', d.account),
        when('ArnLike', 'aws:SourceArn', arn(d, 'ec2', 'vpc-flow-log/*')),
      ),
    ],
    [`role ${role}: least-privilege`]: [
      allow('DeliverFlowRecordsToTheFlowLogGroup', ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], [group, `${group}:*`]),
      allow('FindTheFlowLogGroup', ['logs:DescribeLogGroups'], ['*']),
    ],
  };
}
