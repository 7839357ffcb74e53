/**
 * The password policy, as a pure rule (NIST SP 800-63B): long rather than "complex", not a known
 * common password (also with digits or symbols stuck on either end, or letters swapped for look-
 * alikes), not built from the user's own name or address. No composition rules, no expiry.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
const MIN_DISTINCT_CHARACTERS = 5;

const LOOK_ALIKES: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
};

/** Lower case, Unicode-normalised, look-alike characters replaced by the letter they imitate. */
export function canonicalPasswordForm(text: string): string {
  return [...text.normalize('NFKC').toLowerCase()].map((c) => LOOK_ALIKES[c] ?? c).join('');
}

/** The password without the digits and symbols people add before or after a word. */
function core(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

export type PasswordContext = {
  email?: string | null;
  displayName?: string | null;
  commonPasswords: ReadonlySet<string>;
};

/** Every reason the password is refused; empty when it is acceptable. */
export function passwordPolicyProblems(password: string, context: PasswordContext): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (length > MAX_PASSWORD_LENGTH) problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS)
    problems.push(`must use at least ${MIN_DISTINCT_CHARACTERS} different characters`);

  const canonical = canonicalPasswordForm(password);
  const coreForm = core(password);
  if (
    context.commonPasswords.has(canonical) ||
    context.commonPasswords.has(canonicalPasswordForm(coreForm)) ||
    (coreForm === '' && length > 0)
  )
    problems.push('is a commonly used password (or one with digits or symbols added); choose another');

  const lower = password.normalize('NFKC').toLowerCase();
  const localPart = context.email?.split('@')[0]?.toLowerCase() ?? '';
  const nameParts = [
    ...(localPart.length >= 3 ? [localPart] : []),
    ...`${localPart} ${context.displayName ?? ''}`
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((part) => part.length >= 4),
  ];
  if (nameParts.some((part) => lower.includes(part) || canonical.includes(canonicalPasswordForm(part))))
    problems.push('must not contain your name or email address');
  return problems;
}
