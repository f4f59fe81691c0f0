// The value words of the language (`scheduler wlc`, `protocol tcp`, `role master`…): the rules,
// completion, the designer's intents and its forms all read these lists. No imports: the webview
// bundle uses them too.

export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] as const;
export const TARGET_OSES = ['rhel7', 'rhel9', 'debian', 'ubuntu'] as const;
export const CHECK_TYPES = ['http', 'https', 'tcp', 'udp', 'ping', 'dns', 'script', 'none'] as const;
export const PROTOCOLS = ['tcp', 'udp'] as const;
export const ROLES = ['master', 'backup'] as const;
export const ON_FAILURE = ['remove', 'quiesce'] as const;
