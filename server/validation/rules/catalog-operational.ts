import { Rule } from '../types';

export const operationalRules: Rule[] = [];
