import { describeTerraformStage } from './stage';

describeTerraformStage('ec2-bastion');
