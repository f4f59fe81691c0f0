// LVS: New Cluster… (also in File > New File…): asks the cluster's name, network, VIP, how many
// directors and real servers and the target OS, each box checked with the language's own checks
// (server/protocol/new-cluster.ts), then opens the cluster the language server builds from the
// answers in a new, unsaved .lvs editor. Nothing is written to disk until the user saves.
// Its own bundle (dist/client/new-cluster.js), loaded when the command first runs (register.ts).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as v from 'valibot';
import {
  isClusterName, NEW_CLUSTER_MAX_SERVERS, NEW_CLUSTER_OSES, NEW_CLUSTER_REQUEST, NewClusterParams, NewClusterResult, networkProblem, proposedVip, serversProblem, vipProblem,
} from '../../server/protocol/new-cluster';

export interface NewClusterOutcome {
  document?: vscode.TextDocument;
  error?: string;
}

/** What each target OS is, beside its word in the pick list. */
function osDetail(os: (typeof NEW_CLUSTER_OSES)[number]): string {
  switch (os) {
    case 'rhel7': return vscode.l10n.t('RHEL/CentOS 7: ifcfg files, the classic guide');
    case 'rhel9': return vscode.l10n.t('RHEL 9 and its rebuilds: NetworkManager keyfiles');
    case 'debian': return vscode.l10n.t('Debian: systemd units and sysctl.d');
    case 'ubuntu': return vscode.l10n.t('Ubuntu: systemd units and sysctl.d');
  }
}

function step(n: number): string {
  return vscode.l10n.t('New LVS-DR cluster ({0}/6)', n);
}

/** The dialog: one box or list per answer; undefined when the user cancels. */
async function ask(): Promise<unknown> {
  const name = await vscode.window.showInputBox({
    title: step(1), prompt: vscode.l10n.t('Name of the cluster'), value: 'web', ignoreFocusOut: true,
    validateInput: (s) => (isClusterName(s) ? undefined : vscode.l10n.t("A name is a letter or '_' followed by letters, digits, '_' or '-'.")),
  });
  if (name === undefined) return undefined;
  const network = await vscode.window.showInputBox({
    title: step(2), prompt: vscode.l10n.t('The L2 network the directors and real servers share (IPv4 or IPv6 ADDRESS/PREFIX)'), value: '192.168.10.0/24', ignoreFocusOut: true,
    validateInput: (s) => {
      const problem = networkProblem(s.trim());
      if (problem === 'not-cidr') return vscode.l10n.t('An IPv4 or IPv6 network such as 192.168.10.0/24 or 2001:db8:10::/64.');
      if (problem === 'too-small') return vscode.l10n.t('Too small: the gateway, the VIP, a director and a real server need four host addresses (IPv4 /29 or larger, IPv6 /125 or larger).');
      return undefined;
    },
  });
  if (network === undefined) return undefined;
  const net = network.trim();
  const vip = await vscode.window.showInputBox({
    title: step(3), prompt: vscode.l10n.t('The virtual IP (VIP) clients connect to, in {0}', net), value: proposedVip(net), ignoreFocusOut: true,
    validateInput: (s) => {
      const problem = vipProblem(s.trim(), net);
      if (problem === 'not-address') return vscode.l10n.t('An IPv4 or IPv6 address.');
      if (problem === 'outside') return vscode.l10n.t('The VIP must be in {0}.', net);
      if (problem === 'reserved') return vscode.l10n.t("Not the network's own address, its last (broadcast) address or its gateway (the first host).");
      return undefined;
    },
  });
  if (vip === undefined) return undefined;
  const directors = await vscode.window.showQuickPick([
    { label: '2', description: vscode.l10n.t('a master and a backup in hot standby (VRRP)'), value: 2 },
    { label: '1', description: vscode.l10n.t('one director, no standby'), value: 1 },
  ], { title: step(4), placeHolder: vscode.l10n.t('How many directors?'), ignoreFocusOut: true });
  if (!directors) return undefined;
  const servers = await vscode.window.showInputBox({
    title: step(5), prompt: vscode.l10n.t('How many real servers? (1 to {0})', NEW_CLUSTER_MAX_SERVERS), value: '2', ignoreFocusOut: true,
    validateInput: (s) => {
      const problem = serversProblem(s, net, directors.value);
      if (problem === 'not-count') return vscode.l10n.t('A whole number from 1 to {0}.', NEW_CLUSTER_MAX_SERVERS);
      if (problem === 'no-room') return vscode.l10n.t('{0} has no room for that many hosts.', net);
      return undefined;
    },
  });
  if (servers === undefined) return undefined;
  const os = await vscode.window.showQuickPick(NEW_CLUSTER_OSES.map((o) => ({ label: o, description: osDetail(o) })), {
    title: step(6), placeHolder: vscode.l10n.t('Target operating system of the hosts'), ignoreFocusOut: true,
  });
  if (!os) return undefined;
  return { name, network: net, vip: vip.trim(), directors: directors.value, servers: Number(servers), os: os.label };
}

/** Asks (or takes the answers a test or a walkthrough link passes), builds the cluster and opens it. */
export async function newCluster(client: Promise<LanguageClient>, args: unknown): Promise<NewClusterOutcome> {
  const answers = args && typeof args === 'object' ? args : await ask();
  if (answers === undefined) return {};
  const params = v.safeParse(NewClusterParams, answers);
  if (!params.success) return { error: params.issues[0].message };
  const answer = v.safeParse(NewClusterResult, await (await client).sendRequest(NEW_CLUSTER_REQUEST, params.output));
  if (!answer.success) return { error: vscode.l10n.t('The language server gave an unexpected answer.') };
  if (!answer.output.ok) {
    void vscode.window.showErrorMessage(answer.output.message);
    return { error: answer.output.message };
  }
  const document = await vscode.workspace.openTextDocument({ language: 'lvs', content: answer.output.text });
  await vscode.window.showTextDocument(document);
  return { document };
}
