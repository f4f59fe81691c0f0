// The private filesystem of a lab host. Every host sees the machine's files (UML through
// hostfs, real servers through the shared mount tree); the mounts below, made inside the
// host's own mount namespace (or kernel), give it private writable copies of the directories
// a deploy writes to, so lvs1's /etc or /opt/lvs never leaks to lvs2, web1 or the machine.
// Two fstab files and `mount -a -T`: one process per stage (process starts are slow in UML).
import { existsSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shq } from './shell';

/** Directories overlaid: the machine's files as the lower layer, a tmpfs upper layer. */
export const OVERLAID_DIRS = ['/etc', '/opt', '/var', '/usr/local'];
/**
 * Directories replaced by an empty tmpfs: /run and /tmp as on a fresh boot, and the homes,
 * so a lab host neither runs the machine's dotfiles nor sees its credentials.
 */
export const EMPTY_DIRS: Array<[string, string]> = [['/run', '755'], ['/tmp', '1777'], ['/root', '700'], ['/home', '755']];
const OVL = '/run/lvsdr-lab/ovl';

function isRealDir(p: string): boolean {
  try {
    return existsSync(p) && lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes `fstab-early` and `fstab-overlay` into `hostDir` and returns the script lines that
 * mount them. `kernel` adds /proc, /sys and /dev/pts (a UML kernel starts with none).
 */
export function privateFsScript(hostDir: string, kernel: boolean): string[] {
  const early: string[] = [];
  if (kernel) early.push('proc /proc proc defaults 0 0', 'sysfs /sys sysfs defaults 0 0', 'devpts /dev/pts devpts gid=5,mode=620,ptmxmode=666,X-mount.mkdir 0 0');
  for (const [dir, mode] of EMPTY_DIRS) if (isRealDir(dir)) early.push(`lab-${dir.slice(1)} ${dir} tmpfs mode=${mode} 0 0`);
  const overlays = OVERLAID_DIRS.filter(isRealDir);
  const keys = overlays.map((d) => d.slice(1).replace(/\//g, '_'));
  const overlay = overlays.map((d, i) => `lab-${keys[i]} ${d} overlay lowerdir=${d},upperdir=${OVL}/${keys[i]}/up,workdir=${OVL}/${keys[i]}/work 0 0`);
  const earlyFile = join(hostDir, 'fstab-early');
  const overlayFile = join(hostDir, 'fstab-overlay');
  writeFileSync(earlyFile, early.join('\n') + '\n');
  writeFileSync(overlayFile, overlay.join('\n') + '\n');
  return [
    `mount -a -T ${shq(earlyFile)} || echo "lvsdr-lab: some early mounts failed"`,
    `mkdir -p ${keys.map((k) => `${OVL}/${k}/up ${OVL}/${k}/work`).join(' ')}`,
    `mount -a -T ${shq(overlayFile)} || echo "lvsdr-lab: some private overlays failed"`,
  ];
}

/** Shell lines writing the host's name and the lab's hosts into its private /etc. */
export function identityScript(name: string, hosts: Array<{ name: string; address: string }>): string[] {
  return [
    `echo ${shq(name)} > /proc/sys/kernel/hostname`,
    `echo ${shq(name)} > /etc/hostname`,
    `printf '%s\\n' '# lvsdr lab hosts' ${hosts.map((h) => shq(`${h.address} ${h.name}`)).join(' ')} >> /etc/hosts`,
  ];
}
