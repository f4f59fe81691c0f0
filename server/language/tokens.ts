// Tokens of the .lvs language: their patterns define the lexer (lexer.ts implements them).
// Names follow NAME_SOURCE (names.ts) so nothing shell-unsafe can ever be written as a name;
// string literals are checked later (LVS090).
import { createToken, Lexer, TokenType } from 'chevrotain';
import { NAME_SOURCE } from './names';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: "'}'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\r\n]|\\.)*"/, label: 'a quoted string' });
export const SecretRef = createToken({
  name: 'SecretRef',
  pattern: /(?:secret|env|file):[A-Za-z0-9_.\/~-]+/,
  label: 'a secret reference (secret:NAME, env:VAR or file:PATH)',
});
export const PathLit = createToken({ name: 'PathLit', pattern: /(?:~|\.{1,2})?\/[A-Za-z0-9._\/+@-]*/, label: 'a path' });
/** Either family of address, where the grammar takes one (the rules tell a bad one of either family). */
export const IpAddress = createToken({ name: 'IpAddress', pattern: Lexer.NA, label: 'an address' });
export const Ipv4 = createToken({ name: 'Ipv4', pattern: /\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?/, categories: [IpAddress], label: 'an IPv4 address' });
/**
 * The shape of an IPv6 address or prefix: hex groups of up to four digits joined by at least two
 * colons (one colon is an interface label, `lo:0`), an optional `/N`. Which shapes are addresses
 * (`::` once, eight groups at most) is LVS012's to say; only hex digits, colons and a slash can
 * get through, so nothing shell-unsafe.
 */
export const Ipv6 = createToken({ name: 'Ipv6', pattern: /[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\/\d{1,3})?/, categories: [IpAddress], label: 'an IPv6 address' });
export const Duration = createToken({ name: 'Duration', pattern: /\d+(?:ms|s|m|h|d)(?![A-Za-z0-9_])/, label: 'a duration (e.g. 5s, 500ms, 1h)' });
export const NumberLit = createToken({ name: 'NumberLit', pattern: /\d+(?![A-Za-z_.])/, label: 'a number' });
export const DottedName = createToken({ name: 'DottedName', pattern: new RegExp(`${NAME_SOURCE}(?:[.\\/][A-Za-z0-9_-]+)+`), label: 'a sysctl key' });
export const Label = createToken({ name: 'Label', pattern: new RegExp(`${NAME_SOURCE}:[A-Za-z0-9_]*`), label: 'an interface label (e.g. lo:0)' });

/** Every word token (identifiers and keywords) belongs to Name, so keywords can still be names. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });
export const Identifier = createToken({ name: 'Identifier', pattern: new RegExp(NAME_SOURCE), categories: [Name], label: 'a name' });

/**
 * A word that is also a name: keywords are only keywords where the grammar expects them.
 * Written as chevrotain's TokenType fields rather than made by createToken, which gives a token
 * type its index and categories at once: the parser (and a Lexer) does that for every token type
 * when it is built, once for all of them, and sixty createToken calls were a noticeable part of a
 * CLI start-up. The tokens above stay createToken's: the parser decides whether categories are in
 * use from the category matches its token types already have, and Identifier gives Name its first.
 */
function keyword(word: string, name: string): TokenType {
  return { name, PATTERN: new RegExp(word.replace(/-/g, '\\-')), LONGER_ALT: Identifier, CATEGORIES: [Name], LABEL: `'${word}'` };
}

// Longer keywords that share a prefix with a shorter one come first (vip-on before vip).
export const VipOnKw = keyword('vip-on', 'VipOnKw');
export const ClusterKw = keyword('cluster', 'ClusterKw');
export const NetworkKw = keyword('network', 'NetworkKw');
export const GatewayKw = keyword('gateway', 'GatewayKw');
export const VipKw = keyword('vip', 'VipKw');
export const DirectorKw = keyword('director', 'DirectorKw');
export const ServerKw = keyword('server', 'ServerKw');
export const ServiceKw = keyword('service', 'ServiceKw');
export const AddressKw = keyword('address', 'AddressKw');
export const InterfaceKw = keyword('interface', 'InterfaceKw');
export const RoleKw = keyword('role', 'RoleKw');
export const PriorityKw = keyword('priority', 'PriorityKw');
export const NopreemptKw = keyword('nopreempt', 'NopreemptKw');
export const HaKw = keyword('ha', 'HaKw');
export const RouterIdKw = keyword('router-id', 'RouterIdKw');
export const AdvertKw = keyword('advert', 'AdvertKw');
export const AuthKw = keyword('auth', 'AuthKw');
export const StrictKw = keyword('strict', 'StrictKw');
export const NoAcceptKw = keyword('no-accept', 'NoAcceptKw');
export const UnicastKw = keyword('unicast', 'UnicastKw');
export const SyncDaemonKw = keyword('sync-daemon', 'SyncDaemonKw');
export const PreemptDelayKw = keyword('preempt-delay', 'PreemptDelayKw');
export const GarpRepeatKw = keyword('garp-repeat', 'GarpRepeatKw');
export const GarpIntervalKw = keyword('garp-interval', 'GarpIntervalKw');
export const NotifyKw = keyword('notify', 'NotifyKw');
export const TrackInterfaceKw = keyword('track-interface', 'TrackInterfaceKw');
export const ProtocolKw = keyword('protocol', 'ProtocolKw');
export const PortsKw = keyword('ports', 'PortsKw');
export const PortKw = keyword('port', 'PortKw');
export const FwmarkKw = keyword('fwmark', 'FwmarkKw');
export const QuorumKw = keyword('quorum', 'QuorumKw');
export const HysteresisKw = keyword('hysteresis', 'HysteresisKw');
export const SorryKw = keyword('sorry', 'SorryKw');
export const SchedulerKw = keyword('scheduler', 'SchedulerKw');
export const PersistenceKw = keyword('persistence', 'PersistenceKw');
export const NetmaskKw = keyword('netmask', 'NetmaskKw');
export const OnFailureKw = keyword('on-failure', 'OnFailureKw');
export const CheckKw = keyword('check', 'CheckKw');
export const PathKw = keyword('path', 'PathKw');
export const ExpectKw = keyword('expect', 'ExpectKw');
export const EveryKw = keyword('every', 'EveryKw');
export const TimeoutsKw = keyword('timeouts', 'TimeoutsKw');
export const TimeoutKw = keyword('timeout', 'TimeoutKw');
export const HostKw = keyword('host', 'HostKw');
export const NameKw = keyword('name', 'NameKw');
export const TypeKw = keyword('type', 'TypeKw');
export const RetryKw = keyword('retry', 'RetryKw');
export const RealKw = keyword('real', 'RealKw');
export const WeightKw = keyword('weight', 'WeightKw');
export const PrefixKw = keyword('prefix', 'PrefixKw');
export const SshKw = keyword('ssh', 'SshKw');
export const UserKw = keyword('user', 'UserKw');
export const KeyKw = keyword('key', 'KeyKw');
export const KnownHostsKw = keyword('known-hosts', 'KnownHostsKw');
export const PasswordKw = keyword('password', 'PasswordKw');
export const TargetKw = keyword('target', 'TargetKw');
export const OsKw = keyword('os', 'OsKw');
export const SysctlKw = keyword('sysctl', 'SysctlKw');
export const ClientsKw = keyword('clients', 'ClientsKw');
export const LinkKw = keyword('link', 'LinkKw');

export const keywordTokens: TokenType[] = [
  VipOnKw, ClusterKw, NetworkKw, GatewayKw, VipKw, DirectorKw, ServerKw, ServiceKw, AddressKw, InterfaceKw,
  RoleKw, PriorityKw, NopreemptKw, HaKw, RouterIdKw, AdvertKw, AuthKw, StrictKw, NoAcceptKw, UnicastKw,
  SyncDaemonKw, PreemptDelayKw, GarpRepeatKw, GarpIntervalKw, NotifyKw, TrackInterfaceKw,
  ProtocolKw, PortsKw, PortKw, FwmarkKw, QuorumKw, HysteresisKw, SorryKw, SchedulerKw, PersistenceKw, NetmaskKw,
  OnFailureKw, CheckKw, PathKw, ExpectKw, EveryKw, TimeoutsKw, TimeoutKw, HostKw, NameKw, TypeKw, RetryKw, RealKw, WeightKw, PrefixKw, SshKw, UserKw, KeyKw, KnownHostsKw,
  PasswordKw, TargetKw, OsKw, SysctlKw, ClientsKw, LinkKw,
];

/** The keyword spellings, for completion and the TextMate grammar test. */
export const keywordWords: string[] = keywordTokens.map((t) => String(t.LABEL).slice(1, -1));

export const allTokens: TokenType[] = [
  WhiteSpace, Comment, LCurly, RCurly, Equals, StringLit, SecretRef, PathLit, Ipv6, Ipv4, Duration, NumberLit,
  DottedName, Label, ...keywordTokens, Name, Identifier, IpAddress,
];

let reference: Lexer | undefined;

/**
 * Chevrotain's own lexer over these token definitions. The language server lexes with the
 * scanner of lexer.ts, which implements exactly these patterns; this one is the reference the
 * unit tests compare it with (positions are offsets only, as in the scanner's tokens).
 */
export function referenceLexer(): Lexer {
  return reference ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
}
