/**
 * The zod shape of a {@link PlacedBy}, for what keeps one on disk (a change's plan in its journal, the
 * guard's state and events): read back with it, never cast.
 */
import { z } from 'zod'
import type { PlacedBy } from '../types.js'

export const placedBySchema = z
  .object({
    by: z.enum(['policy', 'package', 'environment', 'generated', 'hand']),
    name: z.string().optional(),
    file: z.string().optional(),
    line: z.number().int().positive().optional(),
    tool: z.string().optional(),
    profile: z.boolean().optional(),
    comesBack: z.boolean(),
  })
  .strict() satisfies z.ZodType<PlacedBy>
