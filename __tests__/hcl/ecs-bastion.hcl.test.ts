import { describeHclEquivalence } from './equivalence';

describeHclEquivalence('ecs-bastion');
