/**
 * The text of `bastion status`: one block per bastion, one labelled row per fact, coloured by how well it is
 * doing (green ready, yellow on its way or parked, red missing or failing). Each row's text is a function of
 * its own, so the tests can check every state it can show.
 */
import { EXEC_AGENT } from '../lookup/ecs';
import type { Ec2Instance } from '../lookup/ec2';
import type { EndpointsInfo } from '../lookup/endpoints';
import type { PatchStateInfo, SessionDocumentInfo, SsmAgentInfo } from '../lookup/ssm';
import type { Style } from '../output';
import type { Ec2Status, EcsStatus, StatusState, VariantStatus } from './status';

const iso = (date?: Date) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);

/** The `state` row: the state word, with what parked and disabled mean. */
export function stateText(state: StatusState, style: Style): string {
  const text: Record<StatusState, string> = {
    running: style.green('running'),
    starting: style.cyan('starting'),
    stopping: style.yellow('stopping'),
    parked: style.yellow('parked (compute stopped; `bastion up` starts it)'),
    disabled: style.yellow('disabled (bastion_enabled=false: no compute, no endpoints)'),
    unreachable: style.red('unreachable (compute up, but the VPC endpoints are gone: no session can start until the stack is applied with bastion_enabled=true)'),
    absent: style.red('not deployed'),
  };
  return text[state];
}

/** The `endpoints` row: none (parked or not configured), else the services, naming those not yet available. */
export function endpointsText(endpoints: Pick<EndpointsInfo, 'expected' | 'found'>, style: Style): string {
  if (endpoints.found.length === 0) {
    return endpoints.expected ? style.yellow('none (parked with bastion_enabled=false)') : 'none (not configured: the VPC reaches AWS through a NAT)';
  }
  const pending = endpoints.found.filter((e) => e.state.toLowerCase() !== 'available');
  return `${endpoints.found.length} present: ${endpoints.found.map((e) => e.service).join(', ')}${
    pending.length > 0 ? style.yellow(` (not yet available: ${pending.map((e) => `${e.service} ${e.state}`).join(', ')})`) : ''
  }`;
}

/** The ECS Exec agent part of a `task` row: green only when RUNNING. */
export function execAgentText(execAgent: string | undefined, style: Style): string {
  return execAgent ? `${EXEC_AGENT} ${execAgent === 'RUNNING' ? style.green(execAgent) : style.yellow(execAgent)}` : 'no ECS Exec agent';
}

/** The `instance` row. */
export function instanceText(i: Ec2Instance | undefined, style: Style): string {
  return i ? `${i.instanceId}  ${i.state}${i.instanceType ? `  ${i.instanceType}` : ''}${i.name ? style.dim(`  ${i.name}`) : ''}` : 'none';
}

/** The `SSM agent` row: the ping status, green only when Online. */
export function ssmAgentText(agent: SsmAgentInfo | undefined, style: Style): string {
  return agent
    ? `${agent.pingStatus === 'Online' ? style.green(agent.pingStatus) : style.yellow(agent.pingStatus)}${agent.agentVersion ? ` (agent ${agent.agentVersion})` : ''}${agent.lastPingAt ? style.dim(`  last ping ${iso(agent.lastPingAt)}`) : ''}`
    : style.yellow('not registered');
}

/** The `patching` row: compliance of the last Patch Manager operation and its counts. */
export function patchText(p: PatchStateInfo | undefined, style: Style): string {
  return p
    ? `${p.compliant ? style.green('COMPLIANT') : style.red('NON_COMPLIANT')}  last ${p.operation ?? 'operation'} ${iso(p.operationEndTime) ?? ''}; ` +
        `${p.missing} missing, ${p.failed} failed, ${p.installed} installed${p.pendingReboot ? `, ${p.pendingReboot} pending reboot` : ''}` +
        `${p.installedRejected ? `, ${p.installedRejected} installed but rejected` : ''}`
    : style.yellow('no patch scan reported yet');
}

/** The `session doc` row. */
export function sessionDocumentText(d: SessionDocumentInfo, style: Style): string {
  return d.present ? `${d.name} (${d.status ?? 'unknown'})` : style.yellow(`${d.name} not found`);
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(13)}${value}`;
}

function ecsRows(s: EcsStatus, style: Style): string[] {
  if (!s.deployed) return [row('service', `${s.service} not found in cluster ${s.cluster}`)];
  const lines = [row('service', `${s.service} in cluster ${s.cluster} (desired ${s.desiredCount}, running ${s.runningCount}, pending ${s.pendingCount})`)];
  if (s.tasks.length === 0) lines.push(row('task', 'none'));
  for (const t of s.tasks) {
    const started = t.startedAt ? style.dim(`  started ${iso(t.startedAt)}`) : '';
    lines.push(row('task', `${t.taskId}  ${t.lastStatus}  ${execAgentText(t.execAgent, style)}${started}${t.replaced ? style.yellow('  being replaced (rollout)') : ''}`));
  }
  if (s.latestEvent && s.state !== 'running') lines.push(row('last event', style.dim(s.latestEvent)));
  return lines;
}

function ec2Rows(s: Ec2Status, style: Style): string[] {
  const lines = [row('instance', instanceText(s.instance, style))];
  if (s.instance) lines.push(row('SSM agent', ssmAgentText(s.ssmAgent, style)), row('patching', patchText(s.patchCompliance, style)));
  lines.push(row('session doc', sessionDocumentText(s.sessionDocument, style)));
  return lines;
}

/** The text of `bastion status`: a block per bastion, an error in place of one that could not be read. */
export function renderStatus(statuses: readonly VariantStatus[], where: { readonly region: string; readonly namePrefix: string }, style: Style): string {
  const blocks = statuses.map((s) => {
    const title = style.bold(`${s.variant.toUpperCase()} bastion`) + style.dim(` (stack ${s.stack}, ${where.namePrefix}, ${where.region})`);
    if ('error' in s) return [title, row('error', style.red(s.error.message)), ...(s.error.hint ? [row('', style.dim(s.error.hint))] : [])].join('\n');
    const lines = [title, row('state', stateText(s.state, style)), ...(s.variant === 'ecs' ? ecsRows(s, style) : ec2Rows(s, style))];
    lines.push(row('endpoints', endpointsText(s.endpoints, style)));
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
