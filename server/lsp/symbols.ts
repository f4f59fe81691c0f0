// Document symbols (outline): clusters → VIPs, directors, servers, services (→ reals), ha, ssh.
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import * as A from '../language/ast';
import { Analysis } from './analysis';
import { toRange } from './positions';

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const sym = (name: string, detail: string, kind: SymbolKind, span: A.Span, sel: A.Span, children: DocumentSymbol[] = []): DocumentSymbol => ({
    name, detail, kind, range: toRange(a.doc, span), selectionRange: toRange(a.doc, sel), children,
  });
  return a.parse.ast.clusters.map((c) => {
    const children: DocumentSymbol[] = [];
    for (const v of c.vips) children.push(sym(v.name?.text ?? v.address.value, v.name ? v.address.value : 'VIP', SymbolKind.Constant, v.span, v.name?.span ?? v.address.span));
    for (const d of c.directors) children.push(sym(d.name.text, `director ${d.address?.value ?? ''} ${d.role?.value ?? ''}`.trim(), SymbolKind.Class, d.span, d.name.span));
    for (const s of c.services) {
      const reals = s.reals.map((r) => sym(r.name.text, r.weight ? `weight ${r.weight.value}` : 'real server', SymbolKind.Field, r.span, r.name.span));
      children.push(sym(s.name.text, `${s.protocol?.value ?? 'tcp'}/${s.port?.value ?? '?'} ${s.scheduler?.value ?? ''}`.trim(), SymbolKind.Interface, s.span, s.name.span, reals));
    }
    for (const s of c.servers) children.push(sym(s.name.text, `server ${s.address?.value ?? ''}`.trim(), SymbolKind.Object, s.span, s.name.span));
    if (c.ha) children.push(sym('ha', 'keepalived VRRP', SymbolKind.Property, c.ha.span, c.ha.span));
    if (c.ssh) children.push(sym('ssh', 'deploy access', SymbolKind.Property, c.ssh.span, c.ssh.span));
    return sym(c.name.text, c.network?.value ?? 'cluster', SymbolKind.Namespace, c.span, c.name.span, children);
  });
}
