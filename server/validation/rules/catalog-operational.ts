// Operational rules (LVS035, LVS042, LVS053, LVS060–LVS119, LVS130–LVS135): one module per code.
import { Rule } from '../types';
import { lvs035 } from './lvs035';
import { lvs042 } from './lvs042';
import { lvs053 } from './lvs053';
import { lvs060 } from './lvs060';
import { lvs070 } from './lvs070';
import { lvs071 } from './lvs071';
import { lvs080 } from './lvs080';
import { lvs081 } from './lvs081';
import { lvs090 } from './lvs090';
import { lvs100 } from './lvs100';
import { lvs101 } from './lvs101';
import { lvs102 } from './lvs102';
import { lvs103 } from './lvs103';
import { lvs104 } from './lvs104';
import { lvs105 } from './lvs105';
import { lvs106 } from './lvs106';
import { lvs107 } from './lvs107';
import { lvs108 } from './lvs108';
import { lvs109 } from './lvs109';
import { lvs110 } from './lvs110';
import { lvs111 } from './lvs111';
import { lvs112 } from './lvs112';
import { lvs113 } from './lvs113';
import { lvs114 } from './lvs114';
import { lvs115 } from './lvs115';
import { lvs116 } from './lvs116';
import { lvs117 } from './lvs117';
import { lvs118 } from './lvs118';
import { lvs119 } from './lvs119';
import { lvs130 } from './lvs130';
import { lvs131 } from './lvs131';
import { lvs132 } from './lvs132';
import { lvs133 } from './lvs133';
import { lvs134 } from './lvs134';
import { lvs135 } from './lvs135';

export const operationalRules: Rule[] = [
  lvs035, lvs042, lvs053, lvs060, lvs070, lvs071, lvs080, lvs081, lvs090, lvs100, lvs101, lvs102, lvs103,
  lvs104, lvs105, lvs106, lvs107, lvs108, lvs109, lvs110, lvs111, lvs112, lvs113, lvs114,
  lvs115, lvs116, lvs117, lvs118, lvs119, lvs130, lvs131, lvs132, lvs133, lvs134, lvs135,
] as Rule[];
