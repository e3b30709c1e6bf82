/**
 * A JSON Schema of a programme definition file, for editors and authors. It
 * covers the shape only; the cross-field checks (references, reachability) run
 * when the file is loaded with `loadProgramme`.
 */
import { z } from 'zod';
import { programmeShapeSchema } from './programme-schema';

export function programmeJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(programmeShapeSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
