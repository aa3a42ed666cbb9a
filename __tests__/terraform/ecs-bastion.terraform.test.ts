import { describeTerraformStage } from './stage';

describeTerraformStage('ecs-bastion');
