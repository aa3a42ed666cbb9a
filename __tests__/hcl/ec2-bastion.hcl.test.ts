import { describeHclEquivalence } from './equivalence';

describeHclEquivalence('ec2-bastion');
