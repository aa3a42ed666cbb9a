import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { keepTestingAppOutdirsIn, testingAppRoot } from './app-outdirs';
import { useUnmappedTokenStacks } from './token-stacks';

// Registers (and, through the type import above, declares) the cdktf matchers (toHaveResource, toHaveResourceWithProperties, …).
Testing.setupJest();
// Token creation stacks without source mapping: a sixth of the workers' CPU otherwise (token-stacks.ts).
useUnmappedTokenStacks();
// Apps' output folders in one folder of the worker's, removed when it exits (app-outdirs.ts).
keepTestingAppOutdirsIn(Testing, testingAppRoot());
