/** The five programmes of DOMAIN.md, as definitions (unvalidated input; see `domain/index.ts`). */
import type { ProgrammeDefinitionInput } from '../programme-schema';
import { balanzAtWork } from './balanz-at-work';
import { issInclusive } from './iss-inclusive';
import { kwalificatiebanen } from './kwalificatiebanen';
import { logisticsWestBrabant } from './logistics-west-brabant';
import { welslagen } from './welslagen';

export { balanzAtWork, issInclusive, kwalificatiebanen, logisticsWestBrabant, welslagen };

export const builtInProgrammeDefinitions: readonly ProgrammeDefinitionInput[] = [
  kwalificatiebanen,
  balanzAtWork,
  welslagen,
  logisticsWestBrabant,
  issInclusive,
];
