import { type Role, requiresSecondFactor } from '../access/roles.ts';

/**
 * What a person still owes after their password was accepted, in order: the second factor they
 * enrolled (before anything else, so a leaked temporary password alone cannot take an account
 * over), then a new password when an administrator set a temporary one, then enrolling a second
 * factor when their role requires one and they have none. Pure, so the whole ladder is tested
 * without a database.
 */
export type SignInStage = 'second_factor' | 'password_change' | 'second_factor_enrolment' | 'done';

export function nextSignInStage(user: {
  mustChangePassword: boolean;
  secondFactorEnabled: boolean;
  roles: readonly Role[];
  /** The second factor was already given in this sign-in. */
  secondFactorPassed: boolean;
}): SignInStage {
  if (user.secondFactorEnabled && !user.secondFactorPassed) return 'second_factor';
  if (user.mustChangePassword) return 'password_change';
  if (!user.secondFactorEnabled && requiresSecondFactor(user.roles)) return 'second_factor_enrolment';
  return 'done';
}

export const STAGE_STATUS = {
  second_factor: 'second_factor_required',
  password_change: 'password_change_required',
  second_factor_enrolment: 'second_factor_enrolment_required',
} as const;
