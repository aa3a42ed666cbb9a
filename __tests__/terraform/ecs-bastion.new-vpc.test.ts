import { describeTerraformScenario } from './scenario';

describeTerraformScenario('ecs-bastion', 'a new VPC');
