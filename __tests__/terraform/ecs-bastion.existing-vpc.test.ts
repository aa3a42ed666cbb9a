import { describeTerraformScenario } from './scenario';

describeTerraformScenario('ecs-bastion', 'an existing VPC');
