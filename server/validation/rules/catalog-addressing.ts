import { Rule } from '../types';

export const addressingRules: Rule[] = [];
