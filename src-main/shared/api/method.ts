// One API method: its input and output schemas (the contract's building block).
import type { z } from 'zod';

export const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
