// Addressing and topology rules (LVS010–LVS055): one module per code.
import { Rule } from '../types';
import { lvs010 } from './lvs010';
import { lvs011 } from './lvs011';
import { lvs012 } from './lvs012';
import { lvs020 } from './lvs020';
import { lvs021 } from './lvs021';
import { lvs030 } from './lvs030';
import { lvs031 } from './lvs031';
import { lvs032 } from './lvs032';
import { lvs033 } from './lvs033';
import { lvs034 } from './lvs034';
import { lvs040 } from './lvs040';
import { lvs041 } from './lvs041';
import { lvs050 } from './lvs050';
import { lvs051 } from './lvs051';
import { lvs052 } from './lvs052';
import { lvs054 } from './lvs054';
import { lvs055 } from './lvs055';

export const addressingRules: Rule[] = [
  lvs010, lvs011, lvs012, lvs020, lvs021, lvs030, lvs031, lvs032, lvs033, lvs034, lvs040, lvs041, lvs050, lvs051, lvs052, lvs054, lvs055,
] as Rule[];
