// The private filesystem of a lab host. Every host sees the machine's files (UML through
// hostfs, real servers through the shared mount tree); the mounts below, made inside the
// host's own mount namespace (or kernel), give it private writable copies of the directories
// a deploy writes to, so lvs1's /etc or /opt/lvs never leaks to lvs2, web1 or the machine.
// Two fstab files and `mount -a -T`: one process per stage (process starts are slow in UML).
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sq } from '../shared/shell-quote';

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

/** The two fstab files of a host (`kernel` adds /proc, /sys and /dev/pts: a UML kernel starts with none). */
export function privateFsFiles(hostDir: string, kernel: boolean): Record<string, string> {
  const early: string[] = [];
  if (kernel) early.push('proc /proc proc defaults 0 0', 'sysfs /sys sysfs defaults 0 0', 'devpts /dev/pts devpts gid=5,mode=620,ptmxmode=666,X-mount.mkdir 0 0');
  for (const [dir, mode] of EMPTY_DIRS) if (isRealDir(dir)) early.push(`lab-${dir.slice(1)} ${dir} tmpfs mode=${mode} 0 0`);
  const overlay = overlaidDirs().map((d) => `lab-${key(d)} ${d} overlay lowerdir=${d},upperdir=${OVL}/${key(d)}/up,workdir=${OVL}/${key(d)}/work 0 0`);
  return { [join(hostDir, 'fstab-early')]: early.join('\n') + '\n', [join(hostDir, 'fstab-overlay')]: overlay.join('\n') + '\n' };
}

export function writePrivateFsFiles(hostDir: string, kernel: boolean): void {
  mkdirSync(hostDir, { recursive: true });
  for (const [path, content] of Object.entries(privateFsFiles(hostDir, kernel))) writeFileSync(path, content);
}

function overlaidDirs(): string[] {
  return OVERLAID_DIRS.filter(isRealDir);
}

function key(dir: string): string {
  return dir.slice(1).replace(/\//g, '_');
}

/** Script lines mounting the host's fstab files (written by writePrivateFsFiles): early, mkdir, overlays. */
export function privateFsScript(hostDir: string): string[] {
  return [
    `mount -a -T ${sq(join(hostDir, 'fstab-early'))} || echo "lvsdr-lab: some early mounts failed"`,
    `mkdir -p ${overlaidDirs().map((d) => `${OVL}/${key(d)}/up ${OVL}/${key(d)}/work`).join(' ')}`,
    `mount -a -T ${sq(join(hostDir, 'fstab-overlay'))} || echo "lvsdr-lab: some private overlays failed"`,
  ];
}

/** Shell lines writing the host's name and the lab's hosts into its private /etc. */
export function identityScript(name: string, hosts: Array<{ name: string; address: string }>): string[] {
  return [
    `echo ${sq(name)} > /proc/sys/kernel/hostname`,
    `echo ${sq(name)} > /etc/hostname`,
    `printf '%s\\n' '# lvsdr lab hosts' ${hosts.map((h) => sq(`${h.address} ${h.name}`)).join(' ')} >> /etc/hosts`,
  ];
}
