import type { Generated } from 'kysely';
import type { Role } from '../access/roles.ts';

export type SessionEndReason =
  | 'logout'
  | 'logout_everywhere'
  | 'password_changed'
  | 'password_reset'
  | 'deactivated';
export type ChallengeStage = 'second_factor' | 'second_factor_enrolment' | 'password_change';

export type AuthTables = {
  users: {
    id: Generated<string>;
    partner_id: string;
    email: string;
    display_name: string;
    roles: Role[];
    patient_id: string | null;
    provider_id: string | null;
    active: Generated<boolean>;
    demo: Generated<boolean>;
    password_hash: string;
    password_changed_at: Generated<Date>;
    must_change_password: Generated<boolean>;
    failed_login_count: Generated<number>;
    locked_until: Date | null;
    totp_secret: string | null;
    totp_enabled_at: Date | null;
    totp_last_step: number | null;
    totp_pending_secret: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  user_recovery_codes: {
    user_id: string;
    code_hash: string;
    created_at: Generated<Date>;
    used_at: Date | null;
  };
  sessions: {
    id: Generated<string>;
    token_hash: string;
    user_id: string;
    created_at: Date;
    last_seen_at: Date;
    idle_timeout_seconds: number;
    absolute_expires_at: Date;
    ended_at: Date | null;
    ended_reason: SessionEndReason | null;
    ip: string | null;
    user_agent: string | null;
  };
  login_challenges: {
    id: Generated<string>;
    token_hash: string;
    user_id: string;
    stage: ChallengeStage;
    created_at: Date;
    expires_at: Date;
    consumed_at: Date | null;
  };
  api_clients: {
    id: Generated<string>;
    partner_id: string;
    name: string;
    client_id: string;
    secret_hash: string;
    scopes: string[];
    created_at: Generated<Date>;
    created_by: string | null;
    secret_rotated_at: Date | null;
    revoked_at: Date | null;
    revoked_reason: string | null;
  };
  access_tokens: {
    id: Generated<string>;
    token_hash: string;
    api_client_id: string;
    scopes: string[];
    issued_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
  };
};
