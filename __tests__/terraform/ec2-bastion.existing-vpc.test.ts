import { describeTerraformScenario } from './scenario';

describeTerraformScenario('ec2-bastion', 'an existing VPC');
