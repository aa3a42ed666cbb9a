import { Testing } from 'cdktf';

// Registers the cdktf matchers (toHaveResource, toHaveResourceWithProperties, …).
Testing.setupJest();
