import { fetchJson, type ProblemDetail, sendJson } from '../api-client.ts';

/** The signed-in user, as `GET /api/auth/me` describes them. */
export interface Me {
  id: string;
  email: string;
  displayName: string;
  partner: { id: string; name: string; type: string };
  roles: string[];
  permissions: string[];
  secondFactorEnabled: boolean;
  patientId: string | null;
  providerId: string | null;
}

/** What the server wants next after a sign-in step. */
export type SignInStep =
  | { status: 'authenticated'; user: Me }
  | { status: 'second_factor_required'; challengeId: string }
  | { status: 'second_factor_enrolment_required'; challengeId: string }
  | { status: 'password_change_required'; challengeId: string };

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCodeDataUrl: string;
}

/** The recovery codes, and what the server wants next (normally `authenticated`). */
export type EnrolmentConfirmation = { recoveryCodes: string[] } & SignInStep;

export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return fetchJson<Me>('/api/auth/me', { signal });
}

export function signIn(email: string, password: string): Promise<SignInStep> {
  return sendJson<SignInStep>('POST', '/api/auth/login', { email, password });
}

export function verifySecondFactor(challengeId: string, code: string): Promise<SignInStep> {
  return sendJson<SignInStep>('POST', '/api/auth/second-factor/verify', { challengeId, code });
}

/** Starts enrolling an authenticator: with the sign-in challenge during sign-in, without it when signed in. */
export function startEnrolment(challengeId?: string): Promise<Enrolment> {
  return sendJson<Enrolment>('POST', '/api/auth/second-factor/enrol', challengeId ? { challengeId } : {});
}

export function confirmEnrolment(code: string, challengeId?: string): Promise<EnrolmentConfirmation> {
  return sendJson<EnrolmentConfirmation>(
    'POST',
    '/api/auth/second-factor/enrol/confirm',
    challengeId ? { challengeId, code } : { code },
  );
}

export function changeRequiredPassword(challengeId: string, newPassword: string): Promise<SignInStep> {
  return sendJson<SignInStep>('POST', '/api/auth/password/change-required', { challengeId, newPassword });
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return sendJson<void>('POST', '/api/auth/password', { currentPassword, newPassword });
}

export function signOut(): Promise<void> {
  return sendJson<void>('POST', '/api/auth/logout');
}

export function signOutEverywhere(): Promise<void> {
  return sendJson<void>('POST', '/api/auth/logout-everywhere');
}

/** True when the user holds at least one of `permissions` (or when none are asked for). */
export function hasAnyPermission(me: Me, permissions: readonly string[] | undefined): boolean {
  if (!permissions || permissions.length === 0) return true;
  return permissions.some((permission) => me.permissions.includes(permission));
}

/** The sign-in challenge timed out or was used up: the person must start again from their password. */
export function isSignInExpired(problem: ProblemDetail): boolean {
  return problem.status === 401 && problem.title === 'Sign-in expired';
}
