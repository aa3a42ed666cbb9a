/** The permission table of cli/permissions.ts: what it must never list, whatever the runs of the other tests send. */
import { CLI_COMMAND_CALLS, type CliCommand } from '../../cli/permissions';
import { VARIANTS } from '../../cli/variants';

// The command tests only fail on a call the table lacks (calls.ts); a table widened by a write call would pass them
// and the authorization simulation would then prove a policy broader than the command needs.
const READ_ONLY: readonly CliCommand[] = ['status', 'sessions', 'transcript', 'preflight'];
const READ = /^(Describe|List|Get|Head|Lookup)[A-Za-z0-9]+Command$/;

describe('the permission table', () => {
  test.each(READ_ONLY)('bastion %s only reads, and starts no session', (command) => {
    for (const variant of VARIANTS) {
      const calls = CLI_COMMAND_CALLS[command][variant];
      expect(calls.sdk.filter((name) => !READ.test(name))).toEqual([]);
      expect(calls.awsCli).toEqual([]);
    }
  });

  test('down only stops: it never starts the compute', () => {
    for (const variant of VARIANTS) expect(CLI_COMMAND_CALLS.down[variant].sdk).not.toContain('StartInstancesCommand');
  });
});
