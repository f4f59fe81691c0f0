// The sshd command line every lab host runs: no config file, only explicit options, so the
// host's own /etc/ssh/sshd_config never matters. Key-only root login with the lab key.
export function sshdArgs(address: string, hostKey: string, authorizedKeys: string): string[] {
  return [
    '/usr/sbin/sshd', '-D', '-e', '-f', '/dev/null',
    '-o', `ListenAddress=${address}`,
    '-o', `HostKey=${hostKey}`,
    '-o', `AuthorizedKeysFile=${authorizedKeys}`,
    '-o', 'PermitRootLogin=prohibit-password',
    '-o', 'PasswordAuthentication=no',
    '-o', 'KbdInteractiveAuthentication=no',
    '-o', 'StrictModes=no',
    '-o', 'UsePAM=no',
    '-o', 'UseDNS=no',
    '-o', 'PidFile=none',
    '-o', 'Subsystem=sftp internal-sftp',
  ];
}
