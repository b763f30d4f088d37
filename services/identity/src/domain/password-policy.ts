/** ASVS 6.2.1: at least 8; we ask for 10 since nothing else (no composition rules) is demanded. */
export const PASSWORD_MIN_LENGTH = 10;
/** ASVS 6.2.9 allows at least 64; the cap only bounds hashing work. */
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common' | 'contains_personal_data';

export interface PasswordContext {
  email?: string;
  displayName?: string;
}

/**
 * The one form of a password that is hashed and checked: Unicode NFC, so the same characters typed on
 * different systems give the same hash. Spaces are kept (passphrases).
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

/**
 * Checks a new password (ASVS 6.2): length in code points, not one of the common passwords, and not
 * built on the user's own email or name. No composition rules (6.2.5).
 */
export function checkPassword(
  password: string,
  context: PasswordContext,
  common: ReadonlySet<string>,
): PasswordProblem | undefined {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = normalized.toLowerCase();
  if (common.has(lower)) return 'too_common';
  const personal = [
    context.email?.toLowerCase(),
    context.email?.split('@')[0]?.toLowerCase(),
    ...(context.displayName?.toLowerCase().split(/\s+/) ?? []),
  ].filter((p): p is string => typeof p === 'string' && p.length >= 4);
  // A password that is the personal word plus a few characters is guessed first by attackers.
  if (personal.some((p) => lower.includes(p) && lower.length - p.length <= 6))
    return 'contains_personal_data';
  return undefined;
}

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `password must be at least ${PASSWORD_MIN_LENGTH} characters long`,
  too_long: `password must be at most ${PASSWORD_MAX_LENGTH} characters long`,
  too_common: 'password is one of the most common passwords; choose another',
  contains_personal_data: 'password must not be built on your email address or name',
};
