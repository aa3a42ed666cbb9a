import type { TargetConfig } from '../config';

/** Placeholder for a target without `host`: the command still shows the shape, and the docs say what to fill in. */
export const HOST_PLACEHOLDER = '<host-of-the-target>';

/** Local ports below 1024 need root on most systems; such targets are forwarded to 10000 + port instead. */
export function localPortFor(remotePort: number): number {
  return remotePort < 1024 ? 10000 + remotePort : remotePort;
}

/** The host a port forward reaches: `host`, else the address of a single-host `cidr` (/32). */
export function forwardHost(target: Pick<TargetConfig, 'host' | 'cidr'>): string {
  if (target.host) return target.host;
  if (target.cidr?.endsWith('/32')) return target.cidr.slice(0, -3);
  return HOST_PLACEHOLDER;
}

/** The `--parameters` of AWS-StartPortForwardingSessionToRemoteHost for a target, as both stacks' commands pass them. */
export function portForwardParameters(target: Pick<TargetConfig, 'host' | 'cidr' | 'port'>): string {
  return JSON.stringify({ host: [forwardHost(target)], portNumber: [String(target.port)], localPortNumber: [String(localPortFor(target.port))] });
}
