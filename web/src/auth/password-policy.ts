export const MIN_PASSWORD_LENGTH = 12;

/** The password rules, written for the person choosing one. The server has the final say. */
export const passwordPolicyHint = `At least ${MIN_PASSWORD_LENGTH} characters. Not a common password, and not containing your name or email. A few unrelated words make a strong, memorable one.`;

/** Checks what the browser can check before asking the server; returns an error per field. */
export function checkNewPassword(newPassword: string, confirmation: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (newPassword.length < MIN_PASSWORD_LENGTH) {
    errors.newPassword = `Use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${newPassword.length}).`;
  }
  if (confirmation !== newPassword) errors.confirmation = 'The two passwords are not the same.';
  return errors;
}
