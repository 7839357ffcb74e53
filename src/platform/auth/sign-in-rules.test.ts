import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextSignInStage } from './sign-in-rules.ts';

describe('sign-in ladder', () => {
  const staff = ['infusion_nurse'] as const;
  const patient = ['patient'] as const;
  const base = { mustChangePassword: false, secondFactorEnabled: false, secondFactorPassed: false };

  test('staff without a second factor must enrol one; patients need not', () => {
    assert.equal(nextSignInStage({ ...base, roles: staff }), 'second_factor_enrolment');
    assert.equal(nextSignInStage({ ...base, roles: patient }), 'done');
  });

  test('an enrolled second factor is asked first, before a temporary password is replaced', () => {
    const enrolled = { ...base, secondFactorEnabled: true, mustChangePassword: true };
    assert.equal(nextSignInStage({ ...enrolled, roles: staff }), 'second_factor');
    assert.equal(nextSignInStage({ ...enrolled, roles: staff, secondFactorPassed: true }), 'password_change');
    assert.equal(
      nextSignInStage({ ...enrolled, mustChangePassword: false, roles: staff, secondFactorPassed: true }),
      'done',
    );
  });

  test('a new staff account: new password, then enrolment, then signed in', () => {
    assert.equal(nextSignInStage({ ...base, mustChangePassword: true, roles: staff }), 'password_change');
    assert.equal(nextSignInStage({ ...base, roles: staff }), 'second_factor_enrolment');
    assert.equal(
      nextSignInStage({ ...base, secondFactorEnabled: true, secondFactorPassed: true, roles: staff }),
      'done',
    );
  });

  test('a patient who chose a second factor is asked for it', () => {
    assert.equal(nextSignInStage({ ...base, secondFactorEnabled: true, roles: patient }), 'second_factor');
  });
});
