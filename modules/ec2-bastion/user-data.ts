/**
 * What the EC2 bastion does at first boot so a shell session cannot rewrite the record of itself.
 *
 * The SSM agent writes every session's transcript with the instance role: to the session log group and under
 * the archive's session prefix. A process on the instance that reaches instance metadata can take those
 * credentials and append to, or overwrite, the trail. So:
 * - shells run as an unprivileged OS user (the session document's runAsDefaultUser) instead of ssm-user, which
 *   the agent would create with passwordless sudo;
 * - only root (the SSM agent, dnf, Patch Manager) may reach instance metadata: every other user's packets to
 *   169.254.169.254 are rejected by an nftables rule that survives reboots.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-run-as.html
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-limiting-access.html (limiting IMDS access with a firewall)
 */

/** The OS user shell sessions run as: no sudo, no password, no credentials. */
export const SESSION_OS_USER = 'bastion';

/** The nftables table holding the metadata rule (its own table, so it never touches other rules). */
export const IMDS_TABLE = 'ssm_bastion_imds';

const RULESET = `table inet ${IMDS_TABLE} {
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr 169.254.169.254 meta skuid != 0 counter reject comment "instance metadata for root only"
  }
}`;

/** The first-boot script (cloud-init runs user data once per instance, as root). */
export function bastionUserDataScript(): string {
  return [
    '#!/bin/bash',
    '# ssm-bastion: shells run as an unprivileged user, and only root reaches instance metadata.',
    'set -euo pipefail',
    // The metadata rule first: should it fail, the session user is never created and shells are refused
    // (fail closed), while port forwarding, which runs in the agent, keeps working.
    'command -v nft >/dev/null 2>&1 || dnf install -y -q nftables',
    'install -d -m 0755 /etc/nftables',
    `cat > /etc/nftables/${IMDS_TABLE}.nft <<'RULES'`,
    RULESET,
    'RULES',
    `nft -f /etc/nftables/${IMDS_TABLE}.nft`,
    // nftables.service loads /etc/sysconfig/nftables.conf at boot (Patch Manager reboots the instance).
    `grep -q '${IMDS_TABLE}.nft' /etc/sysconfig/nftables.conf 2>/dev/null || echo 'include "/etc/nftables/${IMDS_TABLE}.nft"' >> /etc/sysconfig/nftables.conf`,
    'systemctl enable nftables.service',
    // The agent grants ssm-user sudo when it creates it (unless this file exists); sessions never run as it.
    `printf '# ssm-bastion: sessions run as ${SESSION_OS_USER}; ssm-user gets no sudo\\n' > /etc/sudoers.d/ssm-agent-users`,
    'chmod 0440 /etc/sudoers.d/ssm-agent-users',
    `if ! id -u ${SESSION_OS_USER} >/dev/null 2>&1; then`,
    `  useradd --create-home --shell /bin/bash --comment "ssm-bastion session user" ${SESSION_OS_USER}`,
    'fi',
    '',
  ].join('\n');
}

/** The script as launch template user data (base64, written out at synth: no token, no heredoc in HCL). */
export function bastionUserData(): string {
  return Buffer.from(bastionUserDataScript(), 'utf8').toString('base64');
}
