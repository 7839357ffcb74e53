import type { Role } from '../platform/access/roles.ts';
import type { BranchKind, ExceptionCode } from '../therapy/template-schema.ts';

/*
 * The events of a case, in the order they happened. They are the record: the case state is
 * computed from them (case-state.ts), the store appends them to the case's ledger stream in the
 * same transaction as its projections, and nothing else changes a case.
 *
 * Every event carries `seq` (1, 2, 3… within the case, no gaps: the store's unique key on
 * (case_id, seq) turns a concurrent write into a retryable conflict), `at` (server time, ISO
 * UTC) and `by` (who, for which partner, in which role; null when the engine itself acts, e.g.
 * opening the next step). `step` + `attempt` name one run of a step: a step opened again by an
 * exception branch (re-manufacture, re-collection) gets the next attempt number.
 */
export type ActorRef = { userId: string; partnerId: string; role: Role };

export const CLOSE_REASONS = ['withdrawal', 'death', 'lost_to_follow_up', 'other'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Numbers are stored with their unit so the record reads the same without the template. */
export type FieldValue = string | boolean | { value: number; unit: string };

export type StepRef = { step: string; attempt: number };

export type CaseEventBody =
  | {
      type: 'case_opened';
      caseId: string;
      patientId: string;
      templateCode: string;
      templateVersion: number;
      /** Where overrides are resolved: the treatment centre's country and site. */
      country: string;
      siteId: string;
      caseOwnerUserId: string;
    }
  | ({ type: 'step_opened' } & StepRef)
  | ({ type: 'task_completed'; taskKey: string; fields: Record<string, FieldValue> } & StepRef)
  | ({ type: 'approval_given'; approvalRole: Role; comment?: string } & StepRef)
  | ({ type: 'signature_given'; meaning: string; recordHash: string; index: number } & StepRef)
  | ({ type: 'custody_confirmed'; custodyRecordId: string } & StepRef)
  | ({ type: 'step_completed' } & StepRef)
  | ({ type: 'step_abandoned'; reason: string } & StepRef)
  | ({
      type: 'exception_raised';
      exceptionId: string;
      code: ExceptionCode;
      reasonCode: string;
      reason: string;
    } & StepRef)
  | {
      type: 'branch_taken';
      exceptionId: string;
      branch: string;
      kind: BranchKind;
      toStep?: string;
      reason?: string;
    }
  | { type: 'case_held'; reason: string }
  | { type: 'case_resumed'; reason: string }
  | { type: 'case_closed'; reason: CloseReason; note: string }
  | { type: 'case_cancelled'; reason: string }
  | { type: 'case_completed' };

export type CaseEvent = CaseEventBody & { seq: number; at: string; by: ActorRef | null };
export type CaseEventType = CaseEvent['type'];
