import { describeTerraformScenario } from './scenario';

describeTerraformScenario('ec2-bastion', 'a new VPC');
