// The rule catalog: every rule module, registered once. Add a rule by adding its module to a
// catalog list; the registry routes nodes to it by the kinds it declares.
import { Rule } from '../types';
import { addressingRules } from './catalog-addressing';
import { operationalRules } from './catalog-operational';

export const allRules: Rule[] = [...addressingRules, ...operationalRules] as Rule[];
