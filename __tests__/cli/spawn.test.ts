/** Running one session: the AWS CLI spawned with the terminal, its stderr copied and kept. */
import { SignalRelay } from '../../cli/signals';
import { runSession } from '../../cli/spawn';
import { endsAfter, FakeStream, fakeRuntime } from './fakes';

describe('runSession', () => {
  test('spawns aws with the terminal, copies stderr and keeps its end', async () => {
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(90_000, 255, 'An error occurred (TargetNotConnected) when calling the StartSession operation\n')];
    const relay = new SignalRelay(runtime.signals).attach();
    const tee = new FakeStream();
    const result = await runSession(['ssm', 'start-session'], { spawn: runtime.spawn, relay, clock: runtime.clock, teeStderr: tee });
    relay.detach();
    expect(runtime.spawned[0]).toMatchObject({ command: 'aws', args: ['ssm', 'start-session'], stdio: ['inherit', 'inherit', 'pipe'] });
    expect(result).toEqual({ code: 255, signal: null, durationMs: 90_000, stderr: expect.stringContaining('TargetNotConnected') });
    expect(tee.text).toContain('TargetNotConnected');
  });

  // The error that tells a dropped session from one that cannot work comes last, after any amount of output.
  test('keeps the last 8 KiB of a long stderr', async () => {
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(1000, 255, `${'x'.repeat(20_000)}\nAn error occurred (TargetNotConnected)\n`)];
    const relay = new SignalRelay(runtime.signals).attach();
    const result = await runSession(['ssm', 'start-session'], { spawn: runtime.spawn, relay, clock: runtime.clock, teeStderr: new FakeStream() });
    relay.detach();
    expect(result.stderr).toHaveLength(8192);
    expect(result.stderr.endsWith('An error occurred (TargetNotConnected)\n')).toBe(true);
  });

  test('an interactive shell inherits the whole terminal', async () => {
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(1000, 0)];
    const relay = new SignalRelay(runtime.signals).attach();
    await runSession(['ecs', 'execute-command'], { spawn: runtime.spawn, relay, clock: runtime.clock });
    relay.detach();
    expect(runtime.spawned[0]!.stdio).toBe('inherit');
  });

  test('a spawn that fails with ENOENT is a missing AWS CLI', async () => {
    const runtime = fakeRuntime();
    const relay = new SignalRelay(runtime.signals);
    const spawn = () => {
      throw Object.assign(new Error('spawn aws ENOENT'), { code: 'ENOENT' });
    };
    await expect(runSession([], { spawn, relay, clock: runtime.clock })).rejects.toMatchObject({ code: 'MissingTool' });
  });
});
