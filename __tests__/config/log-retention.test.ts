import { LOG_RETENTION_DAYS, parseConfig, type StackName } from '../../modules/config';
import { synthStack } from '../support/synth';
import { configProblems } from './support';

/**
 * Log retention, exhaustively: the periods CloudWatch Logs accepts (PutRetentionPolicy, "Valid Values" in the
 * CloudWatch Logs API Reference; 0 = never expire is left out on purpose), written here independently, against
 * the configuration check and against the validation of the Terraform variable log_retention_days of both
 * stacks, which a Terraform-only team changes without the configuration.
 */
const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Every value between and around the accepted ones that must be refused: each neighbour, each midpoint, and the ends. */
const REFUSED = [
  ...new Set([
    -1,
    0,
    ...CLOUDWATCH_RETENTION_DAYS.flatMap((days, i) => {
      const next = CLOUDWATCH_RETENTION_DAYS[i + 1];
      return next === undefined ? [days + 1, days * 2] : [days + 1, Math.floor((days + next) / 2), next - 1];
    }),
  ]),
]
  .filter((days) => !CLOUDWATCH_RETENTION_DAYS.includes(days))
  .sort((a, b) => a - b);

function configAccepts(days: number): boolean {
  return configProblems({ audit: { logRetentionDays: days } }).length === 0 && parseConfig({ audit: { logRetentionDays: days as 365 } }).audit.logRetentionDays === days;
}

describe('log retention periods', () => {
  it('are exactly the periods CloudWatch Logs accepts', () => {
    expect([...LOG_RETENTION_DAYS]).toEqual(CLOUDWATCH_RETENTION_DAYS);
  });

  it('are each accepted by the configuration', () => {
    expect(CLOUDWATCH_RETENTION_DAYS.filter((days) => !configAccepts(days))).toEqual([]);
  });

  it('refuse every value around and between them, and fractions, in the configuration', () => {
    expect(REFUSED.length).toBeGreaterThan(2 * CLOUDWATCH_RETENTION_DAYS.length);
    expect([...REFUSED, 1.5, 364.5].filter((days) => configAccepts(days))).toEqual([]);
  });

  describe.each(['ecs-bastion', 'ec2-bastion'] as StackName[])('the log_retention_days variable of %s', (stack) => {
    const variable = synthStack(stack, { audit: { logRetentionDays: 30 } }).tf.variable!.log_retention_days;
    const [validation] = variable.validation as { condition: string; error_message: string }[];
    // The whole expression is pinned, so the list read from it is what Terraform evaluates.
    const match = /^\$\{contains\(\[([0-9, ]+)\], var\.log_retention_days\)\}$/.exec(validation.condition);
    const allowed = match ? match[1].split(', ').map(Number) : [];

    it('defaults to the configured period and has exactly one validation', () => {
      expect(variable).toMatchObject({ type: 'number', default: 30, nullable: false });
      expect(variable.validation).toHaveLength(1);
      expect(match).not.toBeNull();
    });

    it('accepts exactly the periods CloudWatch Logs accepts', () => {
      expect(allowed).toEqual(CLOUDWATCH_RETENTION_DAYS);
      expect(REFUSED.filter((days) => allowed.includes(days))).toEqual([]);
    });

    it('names every accepted period in its error message', () => {
      expect(validation.error_message).toBe(`log_retention_days must be a period CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}.`);
    });

    it('is what every log group of the stack keeps its events for', () => {
      const groups = Object.values(synthStack(stack).tf.resource!.aws_cloudwatch_log_group);
      expect(groups.length).toBeGreaterThan(0);
      expect(groups.map((group) => group.retention_in_days)).toEqual(groups.map(() => '${var.log_retention_days}'));
    });
  });
});
