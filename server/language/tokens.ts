// Tokens of the .lvs language: their patterns define the lexer (lexer.ts implements them).
// Names follow NAME_SOURCE (names.ts) so nothing shell-unsafe can ever be written as a name;
// string literals are checked later (LVS090).
//
// Token types are written as chevrotain's TokenType fields rather than made by createToken, which
// gives each one its index and category matches at once: the parser (and a Lexer) does that for
// all of them when it is built, and eighty createToken calls were a noticeable part of a CLI
// start-up. Identifier alone is createToken's: the parser decides whether categories are in use
// from the category matches its token types already have, and Identifier gives Name its first.
import { createToken, Lexer, TokenType } from 'chevrotain';
import { NAME_SOURCE } from './names';

export const WhiteSpace: TokenType = { name: 'WhiteSpace', PATTERN: /[ \t\r\n]+/, GROUP: Lexer.SKIPPED };
export const Comment: TokenType = { name: 'Comment', PATTERN: /#[^\n\r]*/, GROUP: 'comments' };
export const LCurly: TokenType = { name: 'LCurly', PATTERN: /\{/, LABEL: "'{'" };
export const RCurly: TokenType = { name: 'RCurly', PATTERN: /\}/, LABEL: "'}'" };
export const Equals: TokenType = { name: 'Equals', PATTERN: /=/, LABEL: "'='" };
export const StringLit: TokenType = { name: 'StringLit', PATTERN: /"(?:[^"\\\r\n]|\\.)*"/, LABEL: 'a quoted string' };
export const SecretRef: TokenType = {
  name: 'SecretRef',
  PATTERN: /(?:secret|env|file):[A-Za-z0-9_.\/~-]+/,
  LABEL: 'a secret reference (secret:NAME, env:VAR or file:PATH)',
};
export const PathLit: TokenType = { name: 'PathLit', PATTERN: /(?:~|\.{1,2})?\/[A-Za-z0-9._\/+@-]*/, LABEL: 'a path' };
/** Either family of address, where the grammar takes one (the rules tell a bad one of either family). */
export const IpAddress: TokenType = { name: 'IpAddress', PATTERN: Lexer.NA, LABEL: 'an address' };
export const Ipv4: TokenType = { name: 'Ipv4', PATTERN: /\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?/, CATEGORIES: [IpAddress], LABEL: 'an IPv4 address' };
/**
 * The shape of an IPv6 address or prefix: hex groups of up to four digits joined by at least two
 * colons (one colon is an interface label, `lo:0`), an optional `/N`. Which shapes are addresses
 * (`::` once, eight groups at most) is LVS012's to say; only hex digits, colons and a slash can
 * get through, so nothing shell-unsafe.
 */
export const Ipv6: TokenType = { name: 'Ipv6', PATTERN: /[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\/\d{1,3})?/, CATEGORIES: [IpAddress], LABEL: 'an IPv6 address' };
export const Duration: TokenType = { name: 'Duration', PATTERN: /\d+(?:ms|s|m|h|d)(?![A-Za-z0-9_])/, LABEL: 'a duration (e.g. 5s, 500ms, 1h)' };
export const NumberLit: TokenType = { name: 'NumberLit', PATTERN: /\d+(?![A-Za-z_.])/, LABEL: 'a number' };
export const DottedName: TokenType = { name: 'DottedName', PATTERN: new RegExp(`${NAME_SOURCE}(?:[.\\/][A-Za-z0-9_-]+)+`), LABEL: 'a sysctl key' };
export const Label: TokenType = { name: 'Label', PATTERN: new RegExp(`${NAME_SOURCE}:[A-Za-z0-9_]*`), LABEL: 'an interface label (e.g. lo:0)' };

/** Every word token (identifiers and keywords) belongs to Name, so keywords can still be names. */
export const Name: TokenType = { name: 'Name', PATTERN: Lexer.NA, LABEL: 'a name' };
export const Identifier = createToken({ name: 'Identifier', pattern: new RegExp(NAME_SOURCE), categories: [Name], label: 'a name' });

/** A word that is also a name: keywords are only keywords where the grammar expects them. */
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
