// A case's file name from its name: "Customer says no!" -> "customer-says-no".
import { slugFromName } from '../slug';

export const CASE_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export const caseSlug = (name: string): string => slugFromName(name, { maxLength: 60, fallback: 'case' });
