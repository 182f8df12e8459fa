// One API method of the contract: its input and output schemas (see api-contract.ts).
import type { z } from 'zod';

export const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
