#!/usr/bin/env node
'use strict';
// Launcher of the operator CLI: runs the TypeScript source through tsx (scripts/load-typescript.js), so
// `npx bastion` needs no build step.
// The SDK warns on Node < 22 about its own future releases; the project supports Node >= 20.6 and the
// operator can do nothing about it, so keep it out of their terminal unless they set the variable themselves.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('../scripts/load-typescript.js');
require('../cli/main.ts').main();
