import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

// Registers (and, through the type import above, declares) the cdktf matchers (toHaveResource, toHaveResourceWithProperties, …).
Testing.setupJest();
