// `lvsdr deploy FILE --explain-ssh HOST`: how the deploy would reach HOST — every SSH setting,
// the ProxyJump hops and where each value came from (--identity/--known-hosts, the file's `ssh`
// block, ~/.ssh/config, defaults). Reads the file and the user's ssh config, contacts nothing.
// The words are in the reader's language (LC_ALL/LC_MESSAGES/LANG); ssh_config keywords, names,
// addresses and paths stay as they are.
import { validateText } from '../validation/registry';
import { sshSettings } from '../model/topology';
import { explainSsh, resolveSsh } from '../deploy/ssh-resolve';
import { lvsOverrides, readLvsFile } from '../deploy/targets';
import { t } from '../shared/l10n/message';
import { inReaderLanguage as say } from './reader-language';

export function explainSshText(opts: { file: string; host: string; cluster?: string; identity?: string; knownHosts?: string; target?: 'lab' | 'hosts' }): string[] {
  const { file, text } = readLvsFile(opts.file);
  const models = validateText(text).model.clusters.filter((m) => !opts.cluster || m.cluster.name.text === opts.cluster);
  const lines: string[] = [];
  if (opts.target === 'lab') lines.push(say(t`note: with --target lab the lab's own key and known_hosts are used and ~/.ssh/config is not read; this is how --target hosts reaches it`));
  for (const m of models) {
    for (const [name, node] of [...m.directors, ...m.servers]) {
      const address = node.address?.value;
      if (name !== opts.host && address !== opts.host) continue;
      const r = resolveSsh(name, address ?? name, lvsOverrides(file, sshSettings(m, node), opts));
      return [...lines, say(t`cluster ${m.cluster.name.text}`), ...explainSsh(r, undefined, say)];
    }
  }
  // Not a host of the file: resolved as `ssh HOST` would be, without the file's settings.
  const r = resolveSsh(opts.host, opts.host, lvsOverrides(file, {}, opts));
  return [...lines, say(opts.cluster ? t`${opts.host} is not a host of ${opts.file} (cluster ${opts.cluster}); resolved from the command line and ~/.ssh/config only` : t`${opts.host} is not a host of ${opts.file}; resolved from the command line and ~/.ssh/config only`), ...explainSsh(r, undefined, say)];
}
