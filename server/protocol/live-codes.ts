// The stable codes of the live status's runtime findings (docs/rules.md#lvs500 …), beside the
// language's LVS0xx/1xx. A module of its own, without valibot: the extension's activation bundle
// reads them (the status bar's health) without loading the snapshot's schema.
/** The runtime findings' stable codes (docs/rules.md#lvs500 …), beside the language's LVS0xx/1xx. */
export const LIVE_CODES = {
  unreachable: 'LVS500',
  splitBrain: 'LVS501',
  vipOnNone: 'LVS502',
  keepalivedDown: 'LVS503',
  vrrpFault: 'LVS504',
  ipvsDiffers: 'LVS505',
  loVipMissing: 'LVS506',
  arpSysctls: 'LVS507',
  outOfService: 'LVS508',
  portClosed: 'LVS509',
  override: 'LVS510',
} as const;
